import { runMain } from '@polystore/platform';
import { loadUsersStoreConfig } from '../config.js';
import { migrateUsersDatabase } from '../store/migrate.js';

/** `npm run users:migrate`: applies pending migrations to USERS_DATABASE_URL and exits. */
runMain(async () => {
  const config = loadUsersStoreConfig();
  const result = await migrateUsersDatabase(config.databaseUrl, config.migrationsDir);
  console.log(
    result.applied.length
      ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`
      : `database is up to date (${result.alreadyApplied} migration(s) applied before)`,
  );
});

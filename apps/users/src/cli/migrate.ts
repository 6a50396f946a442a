import { runMain } from '@polystore/platform';
import { loadUsersConfig } from '../config.js';
import { migrateUsersDatabase } from '../store/migrate.js';

/** `npm run users:migrate`: applies pending migrations to USERS_DATABASE_URL and exits. */
runMain(async () => {
  const config = loadUsersConfig({ USERS_JWT_PRIVATE_KEY: 'unused-by-migrations', ...process.env });
  const result = await migrateUsersDatabase(config.databaseUrl, config.migrationsDir);
  console.log(
    result.applied.length
      ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`
      : `database is up to date (${result.alreadyApplied} migration(s) applied before)`,
  );
});

import 'reflect-metadata';
import { bootstrapService, runMain } from '@polystore/platform';
import { loadUsersConfig } from './config.js';
import { migrateUsersDatabase } from './store/migrate.js';
import { UsersModule } from './users.module.js';

runMain(async () => {
  const config = loadUsersConfig();
  // The schema is brought up to date before the service takes any request.
  await migrateUsersDatabase(config.databaseUrl, config.migrationsDir);
  await bootstrapService({ service: 'users', module: UsersModule.forRoot(config) as never, prefix: 'USERS', defaultHttpPort: 3101 });
});

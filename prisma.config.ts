// Prisma 7 configuration for the users service's schema (the only Prisma schema in the repo).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/users/schema.prisma',
  migrations: { path: 'prisma/users/migrations' },
  datasource: {
    url: process.env.USERS_DATABASE_URL ?? 'postgresql://users_svc:users_svc_dev_password@127.0.0.1:55432/users',
  },
});

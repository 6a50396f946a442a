// Prisma 7 configuration. Each PostgreSQL service has its own schema and migrations under
// prisma/<service>/ and its own database; pick the service with PRISMA_SERVICE (default: users),
// e.g.  PRISMA_SERVICE=users npx prisma migrate deploy  on a machine with Prisma's schema engine.
// Here the build generates every service's client itself (scripts/build.mjs).
import { defineConfig } from 'prisma/config';

const service = process.env.PRISMA_SERVICE ?? 'users';
const prefix = service.toUpperCase();

export default defineConfig({
  schema: `prisma/${service}/schema.prisma`,
  migrations: { path: `prisma/${service}/migrations` },
  datasource: {
    url: process.env[`${prefix}_DATABASE_URL`] ?? `postgresql://${service}_svc:${service}_svc_dev_password@127.0.0.1:55432/${service}`,
  },
});

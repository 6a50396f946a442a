// Prisma 7 configuration. Each PostgreSQL service has its own schema and migrations under
// prisma/<service>/ and its own database; pick the service with PRISMA_SERVICE (default: users),
// e.g.  PRISMA_SERVICE=users npx prisma migrate deploy  on a machine with Prisma's schema engine.
// Here the build generates every service's client itself (scripts/build.mjs).
import { defineConfig } from 'prisma/config';
import { APPS, type AppName } from './manifest.ts';

const service = (process.env.PRISMA_SERVICE ?? 'users') as AppName;
const store = APPS[service]?.store;
if (store?.kind !== 'postgres') throw new Error(`PRISMA_SERVICE=${service}: not a PostgreSQL service of manifest.ts`);
const prefix = APPS[service].envPrefix;

export default defineConfig({
  schema: `prisma/${service}/schema.prisma`,
  migrations: { path: `prisma/${service}/migrations` },
  datasource: {
    // The service's own login, with the password generated for the stack (`npm run users:migrate`
    // and the build pass it); a placeholder where only the schema is read (client generation).
    url: process.env[`${prefix}_DATABASE_URL`] ?? `postgresql://${service}_svc@127.0.0.1:${store.port.dev}/${service}`,
  },
});

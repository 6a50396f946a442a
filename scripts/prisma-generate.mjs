#!/usr/bin/env node
// `npm run prisma:generate`: (re)generates every PostgreSQL service's Prisma client into generated/<service>/, the way
// `npm run build` does when the schema changed (see prismaGenerate in build.mjs).
import { prismaGenerate } from './build.mjs';

try {
  await prismaGenerate();
} catch (error) {
  console.error(`prisma generate failed: ${error.message}`);
  process.exit(1);
}

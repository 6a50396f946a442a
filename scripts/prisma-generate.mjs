#!/usr/bin/env node
// `npm run prisma:generate`: (re)generates the users Prisma client into generated/users/, the way
// `npm run build` does when the schema changed (see prismaGenerate in build.mjs).
import { prismaGenerate } from './build.mjs';

try {
  await prismaGenerate();
} catch (error) {
  console.error(`prisma generate failed: ${error.message}`);
  process.exit(1);
}

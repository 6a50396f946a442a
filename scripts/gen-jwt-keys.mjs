#!/usr/bin/env node
// Writes an ES256 key pair for access tokens into the given folder, unless one is there already.
import { ensureJwtKeys } from './lib/infra.ts';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/gen-jwt-keys.mjs <folder>');
  process.exit(2);
}
const keys = ensureJwtKeys(dir);
console.log(`keys in ${dir}: ${keys.privateKeyFile}, ${keys.publicKeyFile}`);

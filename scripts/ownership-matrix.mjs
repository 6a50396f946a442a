#!/usr/bin/env node
// `npm run ownership:matrix [-- dev|test]`: brings the stack's stores and NATS up (reusing what
// runs), tries every service's store login on every service's store and every app's NATS user on
// every app's subject spaces, and prints what the engines did beside what the manifest says.
// Exits 1 when they differ. (The same matrix is asserted by test/ownership/.)
import { provision } from './lib/infra.ts';
import { formatMatrix, mismatches, natsMatrix, storeMatrix } from './lib/ownership-matrix.ts';
import { stack } from './lib/stack.ts';

const s = stack(process.argv[2] ?? 'test');
const infra = await provision(s);
let code = 1;
try {
  const stores = await storeMatrix(s);
  const nats = await natsMatrix(s);
  console.log(`\n${formatMatrix(`Store logins (rows: whose login; columns: whose store) — ${s.name} stack`, stores)}`);
  console.log(`\n${formatMatrix('NATS users (rows: subject spaces; columns: whose user)', nats, { byTarget: true })}`);
  const wrong = mismatches([...stores, ...nats]);
  for (const c of wrong) console.log(`MISMATCH ${c.credential} → ${c.target}: ${c.actual}, expected ${c.expected} (${c.detail})`);
  console.log(`\n${stores.length + nats.length} cells, ${wrong.length} differ from the manifest`);
  code = wrong.length ? 1 : 0;
} finally {
  await infra.stop();
}
process.exit(code);

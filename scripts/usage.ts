#!/usr/bin/env node
// `npm run usage [-- --json]`: per service, its store's bytes on disk, rows/documents/keys and
// index bytes, its event stream's bytes, and the requests it handled since start — the seed's
// "cost allocation per service". Reads the running system (`npm start`); POLYSTORE_STACK=test
// reads the test stack. The same figures are series on each app's /metrics (store_disk_bytes,
// store_items, store_index_bytes, event_stream_bytes, event_stream_messages).
import { readUsage, renderUsage } from './lib/usage.ts';
import { stack } from './lib/stack.ts';

const s = stack(process.env.POLYSTORE_STACK ?? 'dev');
const rows = await readUsage(s);
if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
else console.log(renderUsage(rows));
if (rows.every((r) => !r.up)) {
  console.error(`no app answered on the ${s.name} stack: is \`npm start\` running?`);
  process.exit(1);
}

#!/usr/bin/env node
// `npm run bench:orders-rebuild`: about 100k order events (BENCH_EVENTS) seeded straight into orders'
// event store on the test stack, then `npm run orders:rebuild`'s command run BENCH_ROUNDS times (3):
// the rebuild time of every projection, and beside it, as a yardstick from the same run, the time
// the seed took to write the same events (a plain bulk insert).
import { join } from 'node:path';
import { build } from '../build.mjs';
import { provision } from '../lib/infra.ts';
import { ROOT, run } from '../lib/proc.ts';
import { appEnv, stack } from '../lib/stack.ts';
import { provisionerOf } from '../lib/stores/index.ts';
import { median } from './stack.mjs';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const s = stack('test');
const infra = await provision(s);
try {
  await build({ quiet: true });
  // The test stack holds nothing worth keeping: orders' database starts empty.
  await provisionerOf(s, 'orders').reset(s, 'orders');
  const env = appEnv(s, infra.keys).orders;
  const cli = (name, ...args) => run(process.execPath, [join(ROOT, `dist/apps/orders/src/cli/${name}.js`), ...args], { env, quiet: true });
  const seeded = (await cli('seed', String(EVENTS))).trim().split('\n').at(-1);
  console.log(seeded);
  const [, events, orders, seedMs] = /seeded (\d+) events of (\d+) orders in (\d+) ms/.exec(seeded).map(Number);
  const times = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const line = (await cli('rebuild')).trim().split('\n').at(-1);
    const ms = Number(/in (\d+) ms/.exec(line)[1]);
    times.push(ms);
    console.log(`round ${round}: ${line}`);
  }
  const ms = median(times);
  console.log(
    `\nrebuild of ${orders} orders from ${events} events: median ${ms} ms over ${ROUNDS} rounds (${Math.round(events / (ms / 1000))} events/s); ` +
      `the seed's bulk insert of the same events: ${seedMs} ms (${Math.round(events / (seedMs / 1000))} events/s); rebuild / insert = ${(ms / seedMs).toFixed(2)}`,
  );
  console.log(
    `BENCH_RESULT ${JSON.stringify({ bench: 'orders-rebuild', figure: 'rebuild ms', unit: 'ms', yardstick: 'bulk insert of the same events', subject: 'rebuild', pairs: times.map((t) => [seedMs, t]), higherIsBetter: false })}`,
  );
} finally {
  await infra.stop();
}

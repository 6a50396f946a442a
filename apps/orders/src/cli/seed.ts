import 'reflect-metadata';
import { runMain } from '@polystore/platform';
import { loadOrdersConfig } from '../config.js';
import { OrdersDatabase } from '../store/orders-database.js';
import { setUpOrdersSchema } from '../store/schema.js';
import { seedOrderEvents } from '../store/seed.js';

/** `npm run orders:seed -- 100000`: about that many synthetic order events into the event store (for timing the rebuild). */
runMain(async () => {
  const count = Number(process.argv[2] ?? 100_000);
  if (!Number.isInteger(count) || count < 1) throw new Error(`the number of events must be a positive whole number, got "${process.argv[2]}"`);
  const db = new OrdersDatabase(loadOrdersConfig());
  try {
    await setUpOrdersSchema(db);
    const started = performance.now();
    const result = await seedOrderEvents(db, count);
    console.log(`seeded ${result.events} events of ${result.orders} orders in ${Math.round(performance.now() - started)} ms`);
  } finally {
    await db.onApplicationShutdown();
  }
});

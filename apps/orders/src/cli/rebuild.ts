import 'reflect-metadata';
import { runMain } from '@polystore/platform';
import { loadOrdersConfig } from '../config.js';
import { OrdersDatabase } from '../store/orders-database.js';
import { OrderProjections } from '../store/projections.js';
import { setUpOrdersSchema } from '../store/schema.js';

/** `npm run orders:rebuild`: drops every projection and rebuilds it from the event store, then prints what it did. */
runMain(async () => {
  const db = new OrdersDatabase(loadOrdersConfig());
  try {
    await setUpOrdersSchema(db);
    const result = await new OrderProjections(db).rebuild();
    console.log(`rebuilt the projections of ${result.orders} orders from ${result.events} events in ${result.ms} ms`);
  } finally {
    await db.onApplicationShutdown();
  }
});

import type { NatsSettings } from '@polystore/platform';

/** Test tooling connects to the test stack's NATS as the operator user (it may call and publish anything). */
export const opsNats = (name: string): NatsSettings => ({
  servers: [process.env.NATS_URL!],
  name,
  user: process.env.POLYSTORE_NATS_OPS_USER,
  pass: process.env.POLYSTORE_NATS_OPS_PASSWORD,
});

// Every store kind's provisioner, and NATS: what scripts/lib/infra.ts brings up, stops and resets.
import type { StoreKind } from '../../../manifest.ts';
import type { ServiceName, Stack } from '../stack.ts';
import { IN_PROCESS_CLICKHOUSE } from './clickhouse.ts';
import { MONGODB } from './mongodb.ts';
import { OPENSEARCH } from './opensearch.ts';
import { POSTGRES } from './postgres.ts';
import type { StoreProvisioner } from './provisioner.ts';
import { REDIS } from './redis.ts';

export { NATS, natsServerBinary, type NatsProvisioner } from './nats.ts';
export type { Started, StoreConnection, StoreProvisioner } from './provisioner.ts';

/** How a store of each kind is brought up, stopped and emptied on a local stack, for the service that owns it. */
export const STORE_PROVISIONERS: Record<StoreKind, StoreProvisioner> = {
  postgres: POSTGRES,
  redis: REDIS,
  opensearch: OPENSEARCH,
  mongodb: MONGODB,
  clickhouse: IN_PROCESS_CLICKHOUSE,
};

/** The provisioner of the store a service owns. */
export function provisionerOf(s: Stack, service: ServiceName): StoreProvisioner {
  return STORE_PROVISIONERS[s.stores[service].spec.kind];
}

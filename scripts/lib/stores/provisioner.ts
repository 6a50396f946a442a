// What every store kind's module gives the scripts (start, test, infra:up/down, benchmarks): the
// same four verbs, for one service's own store on a local stack. NATS has the same four for the
// stack (nats.ts).
import { join } from 'node:path';
import { serviceCredentials, storeEnv, type ServiceName, type Stack } from '../stack.ts';

/** What ensure did: started a server (stop() ends it), or found one running or nothing to run (NOTHING_STARTED). */
export interface Started {
  started: boolean;
  stop(): Promise<void>;
}

export const NOTHING_STARTED: Started = { started: false, stop: async () => {} };

export interface StoreConnection {
  /**
   * Operators' access to the engine, with every right: set-up, resets, tests that need more than
   * the owner may do. Null where no server runs (in-process ClickHouse: only its owner opens it).
   */
  adminUrl: string | null;
  /** What the owning service is started with on the stack: its store's variables (stack.ts storeEnv). */
  ownerEnv: Record<string, string>;
}

export interface StoreProvisioner {
  /** Starts the service's store unless it already answers, and makes sure the owner's login and database exist. */
  ensure(s: Stack, service: ServiceName): Promise<Started>;
  /** Stops the store's processes that run, found by their pid files (`npm run infra:down`). */
  stop(s: Stack, service: ServiceName): Promise<void>;
  /** Empties the owner's data (the test stack starts every run from empty stores); the store must run. */
  reset(s: Stack, service: ServiceName): Promise<void>;
  connection(s: Stack, service: ServiceName): StoreConnection;
}

/** Where a service's store keeps its files on the stack: `.data/<stack>/<service>/<engine>`. */
export function storeDataDir(s: Stack, service: ServiceName, engine: string = s.stores[service].spec.kind): string {
  return join(s.dataDir, service, engine);
}

/** What the owning service is started with on a local stack (as stack.ts appEnv gives it). */
export function localOwnerEnv(s: Stack, service: ServiceName): Record<string, string> {
  const { port, spec } = s.stores[service];
  return storeEnv(service, { host: '127.0.0.1', port, server: !spec.inProcess }, s.dataDir, serviceCredentials(s, service).password);
}

export const say = (msg: string): void => console.log(`infra: ${msg}`);

import type { EventProducer, ServiceName } from '@polystore/manifest';
import type { HealthReport } from './health.js';
import { rpcSubject, type NoParams, type RpcSubject } from './rpc.js';

/**
 * Request/reply subjects are `<service>.<verb>.v<N>`, declared with their request and reply types
 * in each service's folder (`UsersRpc`, `ProductsRpc`, ...; see rpc.ts).
 * Every service also answers `<service>.health.v1`, so the gateway can report the whole system.
 */
export const healthSubject = (service: ServiceName): RpcSubject<NoParams, HealthReport> => rpcSubject<NoParams, HealthReport>(`${service}.health.v1`);

// The names come from the system manifest (manifest.ts): services own a store and answer requests;
// event producers are the services with a stream, plus the gateway (it has no store, so it
// publishes its few events, such as ProductViewed, straight to JetStream).
export { SERVICE_NAMES, EVENT_PRODUCERS, type ServiceName, type EventProducer } from '@polystore/manifest';

/** Event subjects: `events.<producer>.<Type>.v<N>`; one JetStream stream per producer. */
export const eventSubject = (producer: EventProducer, type: string, version: number): string => `events.${producer}.${type}.v${version}`;
export const eventStreamName = (producer: EventProducer): string => `EVENTS_${producer.toUpperCase()}`;
export const eventStreamSubjects = (producer: EventProducer): string => `events.${producer}.>`;
/** Events a consumer gave up on after its retries land here, under the consuming service and consumer. */
export const deadLetterSubject = (service: ServiceName, consumer: string, originalSubject: string): string =>
  `deadletter.${service}.${consumer}.${originalSubject}`;
export const DEAD_LETTER_STREAM = 'DEADLETTER';

import type { EventProducer, ServiceName } from '@polystore/manifest';

/** Request/reply subjects: `<service>.<verb>.v<N>`. */
export const UsersSubjects = {
  register: 'users.register.v1',
  login: 'users.login.v1',
  getProfile: 'users.get-profile.v1',
  updateProfile: 'users.update-profile.v1',
  getPublicUser: 'users.get-public-user.v1',
  getWallet: 'users.get-wallet.v1',
  creditWallet: 'users.credit-wallet.v1',
  debitWallet: 'users.debit-wallet.v1',
  refundWallet: 'users.refund-wallet.v1',
} as const;

/** Every service answers `<service>.health.v1`, so the gateway can report the whole system. */
export const healthSubject = (service: ServiceName): string => `${service}.health.v1`;

// The names come from the system manifest (manifest.ts): services own a store and answer requests;
// event producers are the services with a stream, plus the gateway (it has no store, so it
// publishes its few events, such as ProductViewed, straight to JetStream).
export { SERVICE_NAMES, EVENT_PRODUCERS, type ServiceName, type EventProducer } from '@polystore/manifest';

/** Event subjects: `events.<producer>.<Type>.v<N>`; one JetStream stream per producer. */
export const eventSubject = (producer: EventProducer, type: string, version: number): string =>
  `events.${producer}.${type}.v${version}`;
export const eventStreamName = (producer: EventProducer): string => `EVENTS_${producer.toUpperCase()}`;
export const eventStreamSubjects = (producer: EventProducer): string => `events.${producer}.>`;
/** Events a consumer gave up on after its retries land here, under the consuming service and consumer. */
export const deadLetterSubject = (service: ServiceName, consumer: string, originalSubject: string): string =>
  `deadletter.${service}.${consumer}.${originalSubject}`;
export const DEAD_LETTER_STREAM = 'DEADLETTER';

export const ProductsSubjects = {
  create: 'products.create.v1',
  update: 'products.update.v1',
  delete: 'products.delete.v1',
  get: 'products.get.v1',
  search: 'products.search.v1',
  suggest: 'products.suggest.v1',
  reserveStock: 'products.reserve-stock.v1',
  releaseStock: 'products.release-stock.v1',
  commitStock: 'products.commit-stock.v1',
  getReservation: 'products.get-reservation.v1',
} as const;

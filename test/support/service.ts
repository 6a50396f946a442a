import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ServiceName } from '@polystore/contracts';
import { NatsLink, RpcClient, appNatsSettings, bootstrapService, type NatsSettings } from '@polystore/platform';
import { opsNats } from './nats.js';

/** A service running inside the test process, and a client to call it. */
export interface ServiceUnderTest {
  app: NestFastifyApplication;
  /** Calls any service, as the operator user, over `link` (its own connection, not the service's). */
  rpc: RpcClient;
  link: NatsLink;
  /** Closes the client's connection, then the service. */
  close: () => Promise<void>;
}

export interface ServiceUnderTestOptions {
  service: ServiceName;
  /** The service's root module, given the NATS settings to use: `(nats) => CartModule.forRoot(loadCartConfig(), { nats })`. */
  module: (nats: NatsSettings) => DynamicModule;
  /** Default: the test stack's NATS as the operator user. E.g. a private nats-server a test stops and restarts. */
  nats?: NatsSettings;
  /**
   * Run the service as its own NATS user (the credentials `npm test` sets from the manifest), so its
   * permissions are part of the test; the test's client stays the operator.
   */
  ownNatsUser?: boolean;
  rpcTimeoutMs?: number;
  /** For a test whose store is unreachable on purpose (the schema setup would fail the start). */
  skipSchemaSetup?: boolean;
}

/**
 * Starts a service in-process the way its main.ts does (bootstrapService: schema setup, NATS
 * handlers, relays, consumers, health), on the test stack's stores (the environment `npm test`
 * sets), with an ephemeral health port.
 */
export async function startServiceForTest(options: ServiceUnderTestOptions): Promise<ServiceUnderTest> {
  const nats = options.ownNatsUser ? appNatsSettings(options.service) : (options.nats ?? opsNats(`${options.service}-test`));
  const app = await bootstrapService({
    service: options.service,
    module: options.module(nats),
    nats,
    httpPort: 0,
    quiet: true,
    skipSchemaSetup: options.skipSchemaSetup,
  });
  const link = await NatsLink.open(options.ownNatsUser ? opsNats(`${options.service}-test-client`) : { ...nats, name: `${nats.name}-client` });
  return {
    app,
    link,
    rpc: new RpcClient(link, options.rpcTimeoutMs ?? 10_000),
    close: async () => {
      await link.close();
      await app.close();
    },
  };
}

/**
 * startServiceForTest for the enclosing describe block: the returned object's fields are filled in
 * before its first test runs, and the service is closed after its last.
 */
export function serviceForSuite(options: ServiceUnderTestOptions, startTimeoutMs = 60_000): ServiceUnderTest {
  const suite = {} as ServiceUnderTest;
  beforeAll(async () => {
    Object.assign(suite, await startServiceForTest(options));
  }, startTimeoutMs);
  afterAll(async () => {
    await suite.close?.();
  });
  return suite;
}

import 'reflect-metadata';
import { Logger, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ServiceName } from '@polystore/contracts';
import { APPS } from '@polystore/manifest';
import { envInt, envOptional, appNatsSettings, type NatsSettings } from './config/env.js';
import { natsTransportOptions } from './nats/connection.js';
import { RpcErrorFilter } from './rpc/rpc-exception.filter.js';
import { rpcValidationPipe } from './rpc/validation.js';
import { runSchemaSetup } from './schema/schema-setup.js';
import { JsonLogger } from './telemetry/logger.js';
import { tracedNatsServer } from './telemetry/nats-server.js';
import { HandlerSpanInterceptor, tracedPipe } from './telemetry/nest-spans.js';

export interface ServiceBootOptions {
  service: ServiceName;
  /** The service's root module, e.g. `CartModule.forRoot(loadCartConfig())`. */
  module: DynamicModule;
  /**
   * Overrides for tests. By default NATS comes from the environment (NATS_URL and the service's
   * <PREFIX>_NATS_USER/_PASSWORD) and the HTTP port from <PREFIX>_HTTP_PORT, falling back to the
   * manifest's dev port; the prefix is the manifest's `envPrefix`.
   */
  nats?: NatsSettings;
  httpPort?: number;
  quiet?: boolean;
  /** Start without the schema setup: for a test whose store is unreachable on purpose. */
  skipSchemaSetup?: boolean;
  /**
   * Set the store's schema up, close everything and return without serving: the Helm chart's
   * per-release Job. Default: POLYSTORE_SCHEMA_SETUP_ONLY=true.
   */
  schemaSetupOnly?: boolean;
}

/**
 * Starts a service: brings its store's schema up to date (its SCHEMA_SETUP provider, if any), then
 * its NATS request/reply handlers (queue group = service name, so instances share the load), its
 * relays and consumers, and a small HTTP port for /health and /metrics.
 */
export async function bootstrapService(options: ServiceBootOptions): Promise<NestFastifyApplication> {
  const logger = new Logger(`bootstrap:${options.service}`);
  const app = APPS[options.service];
  const httpPort = options.httpPort ?? envInt(`${app.envPrefix}_HTTP_PORT`, app.httpPort.dev, { min: 0, max: 65535 });
  // Loopback unless told otherwise: in a pod the kubelet's probes come to the pod's address.
  const httpHost = envOptional(`${app.envPrefix}_HTTP_HOST`) ?? '127.0.0.1';
  const schemaSetupOnly = options.schemaSetupOnly ?? process.env.POLYSTORE_SCHEMA_SETUP_ONLY === 'true';
  const nats = options.nats ?? appNatsSettings(options.service);
  const nest = await NestFactory.create<NestFastifyApplication>(options.module, new FastifyAdapter(), {
    logger: new JsonLogger(options.service, options.quiet ? ['fatal', 'error'] : ['fatal', 'error', 'warn', 'log']),
  });
  try {
    // The providers exist now, but none has started (lifecycle hooks run when the microservice starts).
    if (!options.skipSchemaSetup) await runSchemaSetup(nest, logger);
    if (schemaSetupOnly) {
      await nest.close();
      logger.log(`${options.service}: schema set up; not serving (schema setup only)`);
      return nest;
    }
    // Global pipes and filters first: the microservice copies them when it connects.
    nest.useGlobalPipes(tracedPipe(rpcValidationPipe()));
    nest.useGlobalFilters(new RpcErrorFilter(nest.getHttpAdapter()));
    nest.useGlobalInterceptors(new HandlerSpanInterceptor());
    // Nest's NATS transport, with a server span per request continuing the caller's trace.
    nest.connectMicroservice<MicroserviceOptions>(
      { strategy: tracedNatsServer(natsTransportOptions(nats, options.service)) },
      { inheritAppConfig: true },
    );
    // useProcessExit: exit through process.exit, so the log lines held for the turn (JsonLogger) are written.
    nest.enableShutdownHooks(undefined, { useProcessExit: true });
    await nest.startAllMicroservices();
    await nest.listen(httpPort, httpHost);
  } catch (error) {
    // A start that failed half-way closes what it opened (store pools, NATS), then says why.
    await nest.close().catch(() => undefined);
    throw error;
  }
  logger.log(`${options.service} ready: NATS ${nats.servers.join(',')}, health on http://${httpHost}:${httpPort}/health`);
  return nest;
}

/** Entry-point wrapper: prints a configuration or start-up failure plainly and exits non-zero. */
export function runMain(start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    console.error(`fatal: ${(error as Error)?.message ?? String(error)}`);
    process.exit(1);
  });
}

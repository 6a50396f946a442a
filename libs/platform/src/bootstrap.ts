import 'reflect-metadata';
import { Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ServiceName } from '@polystore/contracts';
import { envInt, natsSettings, type NatsSettings } from './config/env.js';
import { natsTransportOptions } from './nats/connection.js';
import { RpcErrorFilter } from './rpc/rpc-exception.filter.js';
import { rpcValidationPipe } from './rpc/validation.js';

export interface ServiceBootOptions {
  service: ServiceName;
  module: Type<unknown>;
  /** Env prefix, e.g. USERS; the HTTP port is <PREFIX>_HTTP_PORT. */
  prefix: string;
  defaultHttpPort: number;
  /** Overrides for tests; by default both come from the environment. */
  nats?: NatsSettings;
  httpPort?: number;
  quiet?: boolean;
}

/**
 * Starts a service: its NATS request/reply handlers (queue group = service name, so
 * instances share the load) and a small HTTP port for /health and /metrics.
 */
export async function bootstrapService(options: ServiceBootOptions): Promise<NestFastifyApplication> {
  const logger = new Logger(`bootstrap:${options.service}`);
  const httpPort = options.httpPort ?? envInt(`${options.prefix}_HTTP_PORT`, options.defaultHttpPort, { min: 0, max: 65535 });
  const nats = options.nats ?? natsSettings(options.prefix, options.service);
  const app = await NestFactory.create<NestFastifyApplication>(options.module, new FastifyAdapter(), {
    logger: options.quiet ? ['error'] : ['error', 'warn', 'log'],
  });
  // Global pipes and filters first: the microservice copies them when it connects.
  app.useGlobalPipes(rpcValidationPipe());
  app.useGlobalFilters(new RpcErrorFilter(app.getHttpAdapter()));
  app.connectMicroservice<MicroserviceOptions>(
    { transport: Transport.NATS, options: natsTransportOptions(nats, options.service) },
    { inheritAppConfig: true },
  );
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  await app.listen(httpPort, '127.0.0.1');
  logger.log(`${options.service} ready: NATS ${nats.servers.join(',')}, health on http://127.0.0.1:${httpPort}/health`);
  return app;
}

/** Entry-point wrapper: prints a configuration or start-up failure plainly and exits non-zero. */
export function runMain(start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    console.error(`fatal: ${(error as Error)?.message ?? String(error)}`);
    process.exit(1);
  });
}

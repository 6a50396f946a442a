import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { loadGatewayConfig, type GatewayConfig } from './config.js';
import { GATEWAY_CONTROLLERS, GatewayModule } from './gateway.module.js';
import { HandlerSpanInterceptor, JsonLogger, traceHttpRequests, tracedPipe } from '@polystore/platform';
import { HttpErrorFilter, httpValidationPipe } from './http/errors.js';
import { gatewayDocument } from './http/openapi.js';

/** Longer than any URL Node accepts (its 16 KiB header limit), so no parameter stops at Fastify's router. */
const MAX_PATH_PARAM_LENGTH = 16_384;

/** Builds the gateway app (also used by tests) without listening. */
export async function createGateway(config: GatewayConfig, logger: boolean = true): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.forRoot(config),
    new FastifyAdapter({
      bodyLimit: config.bodyLimitBytes,
      trustProxy: config.trustProxy,
      // Fastify refuses a path parameter over 100 characters with its own 414, outside the app's
      // error shape and the document (the fuzzer found it). Let any such parameter reach validation,
      // which refuses it with 400 naming it; a whole request line past Node's header limit still gets 431.
      routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    }),
    { logger: new JsonLogger('gateway', logger ? ['fatal', 'error', 'warn', 'log'] : ['fatal', 'error']) },
  );
  // A span and a request id per HTTP request; spans per handler and per validated argument.
  traceHttpRequests(app.getHttpAdapter().getInstance());
  app.useGlobalInterceptors(new HandlerSpanInterceptor());
  app.useGlobalPipes(tracedPipe(httpValidationPipe()));
  app.useGlobalFilters(new HttpErrorFilter(config.bodyLimitBytes));
  // useProcessExit: exit through process.exit, so the log lines held for the turn (JsonLogger) are written.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  SwaggerModule.setup('docs', app, gatewayDocument(app, GATEWAY_CONTROLLERS, config.bodyLimitBytes), { jsonDocumentUrl: 'docs-json' });
  return app;
}

/**
 * The OpenAPI document with the default settings, built without NATS or a port: the module in
 * Nest's preview mode instantiates nothing. `npm run generate` checks it in as apps/gateway/openapi.json.
 */
export async function defaultGatewayDocument(): Promise<OpenAPIObject> {
  // The document does not depend on the key; a throwaway one satisfies the config.
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const config = loadGatewayConfig({ GATEWAY_JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), new FastifyAdapter(), { preview: true, logger: false });
  try {
    return gatewayDocument(app, GATEWAY_CONTROLLERS, config.bodyLimitBytes);
  } finally {
    await app.close();
  }
}

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { HandlerSpanInterceptor, JsonLogger, traceHttpRequests, tracedPipe } from '@polystore/platform';
import type { GatewayConfig } from './config.js';
import { GatewayModule } from './gateway.module.js';
import { HttpErrorFilter, httpValidationPipe } from './http/errors.js';

/** Builds the gateway app (also used by tests) without listening. */
export async function createGateway(config: GatewayConfig, logger: boolean = true): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, trustProxy: config.trustProxy }),
    { logger: new JsonLogger('gateway', logger ? ['fatal', 'error', 'warn', 'log'] : ['fatal', 'error']) },
  );
  // A span and a request id per HTTP request; spans per handler and per validated argument.
  traceHttpRequests(app.getHttpAdapter().getInstance());
  app.useGlobalInterceptors(new HandlerSpanInterceptor());
  app.useGlobalPipes(tracedPipe(httpValidationPipe()));
  app.useGlobalFilters(new HttpErrorFilter(config.bodyLimitBytes));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('polystore gateway')
      .setDescription('REST entry point of polystore; every route is answered by a service over NATS.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

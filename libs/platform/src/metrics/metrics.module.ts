import {
  Global,
  Inject,
  Injectable,
  Module,
  type CallHandler,
  type DynamicModule,
  type ExecutionContext,
  type NestInterceptor,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_INTERCEPTOR, HttpAdapterHost } from '@nestjs/core';
import type { NatsContext } from '@nestjs/microservices';
import type { AppName } from '@polystore/manifest';
import type { FastifyInstance } from 'fastify';
import { tap, type Observable } from 'rxjs';
import { AppMetrics, errorCodeOf } from './app-metrics.js';

/**
 * Times every request/reply this app answers, by subject and reply code. The handler's subject is
 * one the app declared (Nest routes nothing else to a handler), so the label stays bounded.
 * Pipes run inside it, so a request refused by validation counts as VALIDATION_FAILED.
 */
@Injectable()
export class RpcMetricsInterceptor implements NestInterceptor {
  constructor(@Inject(AppMetrics) private readonly metrics: AppMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const subject = context.switchToRpc().getContext<NatsContext>().getSubject();
    const end = this.metrics.rpcServerDuration.startTimer({ subject });
    return next.handle().pipe(
      tap({
        complete: () => end({ code: 'OK' }),
        error: (error: unknown) => end({ code: errorCodeOf(error) }),
      }),
    );
  }
}

/**
 * Serves `GET /metrics` on the app's HTTP port and times its HTTP requests, straight on Fastify:
 * outside Nest's guards (the gateway's auth guard does not apply to it) and seeing every answer,
 * 404s and refusals by guards included.
 */
@Injectable()
class HttpMetrics implements OnModuleInit {
  constructor(
    @Inject(AppMetrics) private readonly metrics: AppMetrics,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return; // no HTTP server (a standalone application context)
    fastify.addHook('onResponse', async (request, reply) => {
      this.metrics.httpRequestDuration.observe(
        {
          method: request.method,
          // The template (`/products/:id`), never the URL; requests no route matched share one label.
          route: request.routeOptions.url ?? 'unmatched',
          status_class: `${Math.floor(reply.statusCode / 100)}xx`,
        },
        reply.elapsedTime / 1_000,
      );
    });
    fastify.get('/metrics', async (_request, reply) => {
      const text = await this.metrics.render();
      return reply.header('content-type', this.metrics.contentType).send(text);
    });
  }
}

/**
 * The app's metrics (AppMetrics, global: the platform's relay, consumers and RPC client record into
 * it; store adapters time their calls with it), its `/metrics`, and the request/reply and HTTP timers.
 * Every app imports it once: `MetricsModule.forRoot('cart')`.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(app: AppName): DynamicModule {
    return {
      module: MetricsModule,
      providers: [
        { provide: AppMetrics, useFactory: () => new AppMetrics(app) },
        { provide: APP_INTERCEPTOR, useClass: RpcMetricsInterceptor },
        HttpMetrics,
      ],
      exports: [AppMetrics],
    };
  }
}

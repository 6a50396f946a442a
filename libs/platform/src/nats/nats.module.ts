import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsSettings } from '../config/env.js';
import { AppMetrics } from '../metrics/app-metrics.js';
import { RpcClient } from '../rpc/rpc-client.js';
import { NatsLink } from './connection.js';

export const RPC_TIMEOUT_MS = Symbol('RPC_TIMEOUT_MS');

@Injectable()
class NatsLinkLifecycle implements OnApplicationShutdown {
  constructor(@Inject(NatsLink) private readonly link: NatsLink) {}
  async onApplicationShutdown(): Promise<void> {
    await this.link.close();
  }
}

/** One shared NATS connection per app (events, outgoing requests), plus an RpcClient on it. */
@Global()
@Module({})
export class NatsModule {
  static forRoot(settings: NatsSettings, rpcTimeoutMs: number): DynamicModule {
    return {
      module: NatsModule,
      providers: [
        { provide: NatsLink, useFactory: () => NatsLink.open(settings) },
        { provide: RPC_TIMEOUT_MS, useValue: rpcTimeoutMs },
        {
          provide: RpcClient,
          useFactory: (link: NatsLink, metrics?: AppMetrics) => new RpcClient(link, rpcTimeoutMs, metrics),
          inject: [NatsLink, { token: AppMetrics, optional: true }],
        },
        NatsLinkLifecycle,
      ],
      exports: [NatsLink, RpcClient, RPC_TIMEOUT_MS],
    };
  }
}

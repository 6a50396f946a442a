import { Controller, Get, Inject, Res, type Provider, type Type } from '@nestjs/common';
import { healthSubject, type HealthCheck, type HealthReport, type ServiceName } from '@polystore/contracts';
import type { FastifyReply } from 'fastify';
import type { InjectTokens } from '../di/inject-tokens.js';
import { NatsLink } from '../nats/connection.js';
import { RpcHandler } from '../rpc/rpc-handler.js';

/** A named check of one dependency; it throws (or rejects) when the dependency is not usable. */
export interface HealthProbe {
  name: string;
  check: () => Promise<void>;
}

/** Each service provides its probes under this token (its store, typically). */
export const HEALTH_PROBES = Symbol('HEALTH_PROBES');

/**
 * The service's probes (besides NATS, which every service gets), built from its providers:
 *
 *   healthProbes((store: CartRedis) => [{ name: 'redis', check: () => store.ping() }], [CartRedis])
 */
export function healthProbes<Deps extends readonly unknown[]>(
  probes: (...deps: Deps) => HealthProbe[],
  inject: NoInfer<InjectTokens<Deps>>,
): Provider {
  return { provide: HEALTH_PROBES, useFactory: probes, inject: [...inject] };
}

const PROBE_TIMEOUT_MS = 2_000;

export async function runProbes(service: string, probes: HealthProbe[]): Promise<HealthReport> {
  const checks: HealthCheck[] = await Promise.all(
    probes.map(async (probe) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          probe.check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
          }),
        ]);
        return { name: probe.name, ok: true };
      } catch (error) {
        return { name: probe.name, ok: false, detail: (error as Error).message };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { service, ok: checks.every((c) => c.ok), checks };
}

/**
 * Health for a service: `GET /health` on its small HTTP port (MetricsModule serves `/metrics` beside it),
 * and `<service>.health.v1` over NATS for the gateway's system view.
 */
export function createHealthController(service: ServiceName): Type<unknown> {
  @Controller()
  class HealthController {
    constructor(
      @Inject(HEALTH_PROBES) private readonly probes: HealthProbe[],
      @Inject(NatsLink) private readonly nats: NatsLink,
    ) {}

    private report(): Promise<HealthReport> {
      return runProbes(service, [
        {
          name: 'nats',
          check: async () => {
            if (!this.nats.isConnected) throw new Error('disconnected');
          },
        },
        ...this.probes,
      ]);
    }

    @Get('health')
    async http(@Res() reply: FastifyReply): Promise<void> {
      const report = await this.report();
      await reply.status(report.ok ? 200 : 503).send(report);
    }

    @RpcHandler(healthSubject(service))
    rpc(): Promise<HealthReport> {
      return this.report();
    }
  }
  return HealthController;
}

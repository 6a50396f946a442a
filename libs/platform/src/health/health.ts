import { Controller, Get, Inject, Optional, Res, type Provider, type Type } from '@nestjs/common';
import { healthSubject, type HealthCheck, type HealthReport, type ServiceName } from '@polystore/contracts';
import type { FastifyReply } from 'fastify';
import type { InjectTokens } from '../di/inject-tokens.js';
import { NatsLink } from '../nats/connection.js';
import { RpcHandler } from '../rpc/rpc-handler.js';
import type { StoreAvailability } from '../store/store-availability.js';
import { STORE_AVAILABILITY, StoreGateExempt } from '../store/store-gate.js';

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
 * Readiness from what the process already knows, without a round trip: NATS connected and the
 * store available (its heartbeat probe, see StoreAvailability). The HTTP port opens only after the
 * schema setup, so nothing answers "ready" before migrations have run.
 */
export function readiness(service: string, nats: NatsLink, store: StoreAvailability | null): HealthReport {
  const checks: HealthCheck[] = [nats.isConnected ? { name: 'nats', ok: true } : { name: 'nats', ok: false, detail: 'disconnected' }];
  if (store) checks.push(store.available ? { name: store.store, ok: true } : { name: store.store, ok: false, detail: store.reason ?? 'unavailable' });
  return { service, ok: checks.every((c) => c.ok), checks };
}

/**
 * Health for a service, on its small HTTP port: `GET /health/live` (the process answers: restart it
 * only when this fails), `GET /health/ready` (send it work: NATS and store usable, schema set up),
 * `GET /health` (every probe run now, as the gateway's system view asks over `<service>.health.v1`);
 * MetricsModule serves `/metrics` beside them.
 */
export function createHealthController(service: ServiceName): Type<unknown> {
  @Controller()
  class HealthController {
    constructor(
      @Inject(HEALTH_PROBES) private readonly probes: HealthProbe[],
      @Inject(NatsLink) private readonly nats: NatsLink,
      @Optional() @Inject(STORE_AVAILABILITY) private readonly store: StoreAvailability | null = null,
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

    @Get('health/live')
    async live(@Res() reply: FastifyReply): Promise<void> {
      await reply.status(200).send({ service, live: true, uptimeSeconds: Math.round(process.uptime()) });
    }

    @Get('health/ready')
    async ready(@Res() reply: FastifyReply): Promise<void> {
      const report = readiness(service, this.nats, this.store);
      await reply.status(report.ok ? 200 : 503).send(report);
    }

    @StoreGateExempt()
    @RpcHandler(healthSubject(service))
    rpc(): Promise<HealthReport> {
      return this.report();
    }
  }
  return HealthController;
}

import { SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { ServiceName } from '@polystore/contracts';
import { APPS } from '@polystore/manifest';
import { Observable } from 'rxjs';
import { envInt } from '../config/env.js';
import type { InjectTokens } from '../di/inject-tokens.js';
import { RpcError } from '../rpc/rpc-error.js';
import { DomainError } from '../errors/domain-error.js';
import { StoreAvailability } from './store-availability.js';

/** The service's StoreAvailability, for readiness, relays and consumers (absent in the gateway: it has no store). */
export const STORE_AVAILABILITY = Symbol('STORE_AVAILABILITY');

const STORE_GATE_EXEMPT = 'polystore:store-gate-exempt';

/** A request/reply handler that answers without the store (health): the gate lets it through while the store is away. */
export const StoreGateExempt = (): MethodDecorator => SetMetadata(STORE_GATE_EXEMPT, true);

/**
 * Fails the service's request/reply handlers fast while its store is away: refused at once with
 * UNAVAILABLE when the store is known to be away, answered UNAVAILABLE as soon as it goes away
 * while the handler waits on it, and a timeout or connection failure of the store turns into
 * UNAVAILABLE (the gateway answers 503 with Retry-After). What the abandoned handler had sent may
 * still be applied when the store comes back: UNAVAILABLE on a write means "outcome unknown", and
 * writes are made safe to repeat where that matters (idempotency keys, revision-guarded saga steps).
 */
export class StoreGate implements NestInterceptor {
  constructor(private readonly availability: StoreAvailability) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc' || Reflect.getMetadata(STORE_GATE_EXEMPT, context.getHandler()) === true) return next.handle();
    const availability = this.availability;
    return new Observable((subscriber) => {
      if (!availability.available) {
        subscriber.error(availability.unavailableError());
        return undefined;
      }
      const stopListening = availability.onChange((up) => {
        if (!up) subscriber.error(availability.unavailableError());
      });
      const subscription = next.handle().subscribe({
        next: (value) => subscriber.next(value),
        complete: () => subscriber.complete(),
        error: (error: unknown) => {
          // A refusal (a rule, a missing thing) is an answer; a timeout or lost connection is not.
          if (error instanceof RpcError || error instanceof DomainError) return subscriber.error(error);
          if (availability.reportFailure(error) || !availability.available) return subscriber.error(availability.unavailableError());
          subscriber.error(error);
        },
      });
      return () => {
        stopListening();
        subscription.unsubscribe();
      };
    });
  }
}

/** How often a service probes its store, and how long a probe may take (`<PREFIX>_STORE_PROBE_*_MS`). */
export interface StoreProbeSettings {
  probeIntervalMs: number;
  probeDeadlineMs: number;
  /** Deadline of a single store operation in the driver (a safety net behind the probe; `<PREFIX>_STORE_TIMEOUT_MS`). */
  operationTimeoutMs: number;
}

/**
 * Defaults keep "store frozen → UNAVAILABLE" under one second (interval + deadline = 700 ms), with
 * room for a busy machine: a probe is one round trip (PING, SELECT 1) that takes a millisecond or two.
 */
export function storeProbeSettings(service: ServiceName, env: Record<string, string | undefined> = process.env): StoreProbeSettings {
  const prefix = APPS[service].envPrefix;
  return {
    probeIntervalMs: envInt(`${prefix}_STORE_PROBE_INTERVAL_MS`, 100, { min: 10, max: 60_000 }, env),
    probeDeadlineMs: envInt(`${prefix}_STORE_PROBE_DEADLINE_MS`, 600, { min: 10, max: 60_000 }, env),
    operationTimeoutMs: envInt(`${prefix}_STORE_TIMEOUT_MS`, 10_000, { min: 100, max: 600_000 }, env),
  };
}

/**
 * Declares the service's store availability (owned by its store adapter, which feeds it from its
 * driver) to libs/platform: readiness, the RPC gate, relays and consumers use it; its heartbeat
 * runs from bootstrap to shutdown.
 *
 *   storeAvailability((store: CartRedis) => store.availability, [CartRedis])
 */
export function storeAvailability<Deps extends readonly unknown[]>(
  availability: (...deps: Deps) => StoreAvailability,
  inject: NoInfer<InjectTokens<Deps>>,
): Provider[] {
  return [
    { provide: STORE_AVAILABILITY, useFactory: availability, inject: [...inject] },
    { provide: APP_INTERCEPTOR, useFactory: (a: StoreAvailability) => new StoreGate(a), inject: [STORE_AVAILABILITY] },
  ];
}

import type { AppMetrics } from './app-metrics.js';

/** Lifecycle hooks and the like: not store calls. */
const NOT_CALLS = new Set([
  'constructor',
  'onModuleInit',
  'onApplicationBootstrap',
  'onModuleDestroy',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
]);

/**
 * Times every call of a store adapter's own methods as `store_call_duration_seconds{operation="<name>.<method>"}`
 * (ok or error), in one line of the adapter's constructor:
 *
 *     constructor(..., @Optional() @Inject(AppMetrics) metrics?: AppMetrics) {
 *       timeStoreCalls(this, 'carts', metrics);
 *     }
 *
 * Only the methods its class declares (not inherited ones, getters or generators) are wrapped, on
 * the instance; a method answering synchronously is timed as it returns. Labels come from method
 * names, so they are bounded. Without metrics (an adapter built by hand in a test) nothing changes.
 */
export function timeStoreCalls(store: object, name: string, metrics: AppMetrics | undefined): void {
  if (!metrics) return;
  const prototype = Object.getPrototypeOf(store) as object;
  for (const key of Object.getOwnPropertyNames(prototype)) {
    if (NOT_CALLS.has(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
    const method: unknown = descriptor?.value;
    if (typeof method !== 'function' || /GeneratorFunction$/.test(method.constructor.name)) continue;
    const operation = `${name}.${key}`;
    Object.defineProperty(store, key, {
      configurable: true,
      writable: true,
      value: function timed(this: unknown, ...args: unknown[]): unknown {
        const end = metrics.storeCallDuration.startTimer({ operation });
        let result: unknown;
        try {
          result = (method as (...a: unknown[]) => unknown).apply(this, args);
        } catch (error) {
          end({ outcome: 'error' });
          throw error;
        }
        if (result instanceof Promise) {
          return result.then(
            (value) => {
              end({ outcome: 'ok' });
              return value;
            },
            (error: unknown) => {
              end({ outcome: 'error' });
              throw error;
            },
          );
        }
        end({ outcome: 'ok' });
        return result;
      },
    });
  }
}

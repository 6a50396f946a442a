/**
 * Starts OpenTelemetry tracing before the app's own modules load. Every app is started with
 * `node --import <this file> dist/apps/<app>/src/main.js` (scripts/lib/apps.ts, the Dockerfile):
 * under ESM the instrumentations can only patch a driver that is loaded after their loader hook
 * is in place, so this cannot be an import inside main.ts (its whole import graph is loaded first).
 *
 * Configured only by the standard variables: OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) turns it on, OTEL_EXPORTER_OTLP_PROTOCOL picks
 * http/protobuf (default) or http/json, OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG sample,
 * OTEL_SERVICE_NAME names the service (default: the app's name in the manifest). Without an
 * endpoint nothing is loaded or patched, and every span in the code is a no-op.
 *
 * Store spans: Prisma's own (users, orders: @prisma/instrumentation, one `db_query` span per statement),
 * ioredis (cart) and mongodb (under mongoose, messaging) are patched here; OpenSearch and chdb have
 * no instrumentation, so their owners' store adapters make their spans by hand.
 */
import { basename, dirname } from 'node:path';
import { APP_NAMES } from '@polystore/manifest';
import type { PrismaInstrumentation as PrismaInstrumentationType } from '@prisma/instrumentation';
import { redisStatement } from './store-spans.js';
import { recordingIn, tracingConfigured } from './tracing.js';

/** The app a process runs, from its entry point `…/apps/<app>/src/main.js`. */
function appOfEntryPoint(entry: string | undefined): string | undefined {
  if (!entry) return undefined;
  const app = basename(dirname(dirname(entry)));
  return (APP_NAMES as string[]).includes(app) ? app : undefined;
}

/** Modules patched on load; the ESM loader hook wraps only these. */
const PATCHED_MODULES = ['ioredis', 'mongodb'];

/** The tracing helper Prisma's client looks up on globalThis for every operation (@prisma/instrumentation's contract with it). */
interface PrismaTracingHelper {
  isEnabled(): boolean;
  runInChildSpan(options: unknown, callback: (...args: unknown[]) => unknown): unknown;
  [other: string]: unknown;
}

/**
 * Prisma's spans that say nothing a trace reader needs: serialising the answer (tens of µs). Each
 * recorded span costs its making and its export, in every sampled request.
 */
const SKIPPED_PRISMA_SPANS = new Set(['serialize']);

/**
 * @prisma/instrumentation with its spans only inside a recorded trace. As published, its helper
 * makes half a dozen spans per query whatever the sampling decision (non-recording ones in an
 * unsampled request: the cost without the trace), and root spans for queries outside any
 * request (the outbox relay's polls), each then sampled as a trace of its own. The helper is
 * the object Prisma's client reads from `globalThis.PRISMA_INSTRUMENTATION.helper` (the same
 * object under the versioned key); this wraps it in place.
 */
function recordedOnly(Base: typeof PrismaInstrumentationType): typeof PrismaInstrumentationType {
  return class RecordedOnlyPrismaInstrumentation extends Base {
    override enable(): void {
      super.enable();
      const slot = (globalThis as { PRISMA_INSTRUMENTATION?: { helper?: PrismaTracingHelper } }).PRISMA_INSTRUMENTATION;
      const inner = slot?.helper;
      if (!slot || !inner) return;
      slot.helper = Object.assign(Object.create(inner) as PrismaTracingHelper, {
        isEnabled: () => recordingIn(),
        runInChildSpan: (options: unknown, callback: (...args: unknown[]) => unknown) =>
          recordingIn() && !SKIPPED_PRISMA_SPANS.has((options as { name?: string })?.name ?? '')
            ? inner.runInChildSpan(options, callback)
            : callback(),
      });
    }
  };
}

async function startTracing(): Promise<void> {
  const serviceName = process.env.OTEL_SERVICE_NAME || appOfEntryPoint(process.argv[1]) || 'polystore';
  // Traces only: metrics are Prometheus on /metrics, logs are JSON on stdout.
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';

  const { register, supportsSyncHooks } = await import('import-in-the-middle/register-hooks.mjs');
  if (!supportsSyncHooks()) throw new Error(`tracing needs Node ≥ 24.11.1 (module.registerHooks); this is ${process.version}`);
  register({ include: PATCHED_MODULES });

  const [{ NodeSDK }, { ScopeContextManager }, { IORedisInstrumentation }, { MongoDBInstrumentation }, { PrismaInstrumentation }] = await Promise.all(
    [
      import('@opentelemetry/sdk-node'),
      import('./scope-context-manager.js'),
      import('@opentelemetry/instrumentation-ioredis'),
      import('@opentelemetry/instrumentation-mongodb'),
      import('@prisma/instrumentation'),
    ],
  );
  const sdk = new NodeSDK({
    serviceName,
    // The trace context kept with the request id: one AsyncLocalStorage run per request entered.
    contextManager: new ScopeContextManager(),
    // No pg instrumentation: every statement users and orders send goes through Prisma, whose
    // db_query span records it (parameterised SQL: $1, $2, never the values). The driver's patch
    // would only repeat that span, and it costs every query, sampled or not.
    instrumentations: [
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: redisStatement }),
      // Without enhanced reporting the filter's values are replaced with '?'.
      new MongoDBInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      new (recordedOnly(PrismaInstrumentation))(),
    ],
  });
  sdk.start();
  // Flush what is buffered when the app stops.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void sdk.shutdown().catch(() => undefined));
  process.once('beforeExit', () => void sdk.shutdown().catch(() => undefined));
}

if (tracingConfigured()) {
  await startTracing().catch((error: unknown) => {
    // An observability failure must not keep the app down: say so and run untraced.
    console.error(`tracing not started: ${(error as Error)?.message ?? String(error)}`);
  });
}

import { ErrorCode } from '@polystore/contracts';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isUnavailable } from '../rpc/rpc-exception.filter.js';

/**
 * One app's Prometheus metrics: a registry of its own (several apps may share a process in tests),
 * every series labelled `service="<app>"`, Node's default metrics (event-loop lag, heap, GC), and
 * the families every app fills the same way through libs/platform. Labels take values from closed
 * sets only (route templates, declared subjects, error codes, durable names, method names), so the
 * number of series stays bounded whatever the traffic.
 */
export class AppMetrics {
  readonly registry = new Registry();

  /** Gateway (and every app's small HTTP port): by route template, never the raw URL. */
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_class'>;
  /** Request/reply, answered here: `code` is OK or the error code of the reply. */
  readonly rpcServerDuration: Histogram<'subject' | 'code'>;
  /** Request/reply, sent from here. */
  readonly rpcClientDuration: Histogram<'subject' | 'code'>;
  /** Calls into the app's own store, by operation (`<store class>.<method>`). */
  readonly storeCallDuration: Histogram<'operation' | 'outcome'>;

  /** Labelled with the stream the outbox feeds: a gauge without labels would show 0 (healthy) when its read fails. */
  readonly outboxPending: Gauge<'stream'>;
  readonly outboxOldestAge: Gauge<'stream'>;
  readonly outboxPublished: Counter<'stream'>;
  readonly outboxPublishFailures: Counter<'stream'>;

  readonly consumerPending: Gauge<'stream' | 'durable'>;
  readonly consumerAckPending: Gauge<'stream' | 'durable'>;
  readonly consumerRedelivered: Gauge<'stream' | 'durable'>;
  readonly consumerEvents: Counter<'stream' | 'durable' | 'result'>;
  readonly consumerDeadLettered: Counter<'stream' | 'durable'>;
  readonly consumerHandleDuration: Histogram<'stream' | 'durable'>;

  readonly sagaTransitions: Counter<'saga' | 'status'>;
  readonly sagaStepDuration: Histogram<'saga' | 'step' | 'result'>;
  readonly sagaActive: Gauge<'saga'>;
  readonly sagaOldestActiveAge: Gauge<'saga'>;

  readonly probeFailures: Counter<'probe'>;

  private readonly probes = new Map<string, () => Promise<void>>();

  constructor(readonly app: string) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ service: app });
    collectDefaultMetrics({ register: this.registry });

    this.httpRequestDuration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'HTTP requests served, by method, route template and status class',
      labelNames: ['method', 'route', 'status_class'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.rpcServerDuration = new Histogram({
      name: 'rpc_server_duration_seconds',
      help: 'NATS requests answered, by subject and reply code (OK or the error code)',
      labelNames: ['subject', 'code'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.rpcClientDuration = new Histogram({
      name: 'rpc_client_duration_seconds',
      help: 'NATS requests sent, by subject and reply code (OK or the error code)',
      labelNames: ['subject', 'code'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.storeCallDuration = new Histogram({
      name: 'store_call_duration_seconds',
      help: "Calls into the app's own store, by operation and outcome (ok, error)",
      labelNames: ['operation', 'outcome'],
      buckets: STORE_BUCKETS,
      registers,
    });

    const stream = ['stream'];
    this.outboxPending = new Gauge({
      name: 'outbox_pending_events',
      help: 'Events written to the outbox and not yet published (products: documents holding such events)',
      labelNames: stream,
      registers,
    });
    this.outboxOldestAge = new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest event not yet published (0 when the outbox is empty)',
      labelNames: stream,
      registers,
    });
    this.outboxPublished = new Counter({
      name: 'outbox_published_events_total',
      help: 'Outbox events JetStream acknowledged',
      labelNames: stream,
      registers,
    });
    this.outboxPublishFailures = new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Outbox events whose publish failed',
      labelNames: stream,
      registers,
    });

    this.consumerPending = new Gauge({
      name: 'event_consumer_pending_messages',
      help: 'Messages of the stream the durable consumer has not been delivered yet (JetStream consumer info)',
      labelNames: ['stream', 'durable'],
      registers,
    });
    this.consumerAckPending = new Gauge({
      name: 'event_consumer_ack_pending_messages',
      help: 'Messages delivered to the durable consumer and not acknowledged yet (JetStream consumer info)',
      labelNames: ['stream', 'durable'],
      registers,
    });
    this.consumerRedelivered = new Gauge({
      name: 'event_consumer_redelivered_messages',
      help: 'Messages delivered more than once and not acknowledged yet (JetStream consumer info)',
      labelNames: ['stream', 'durable'],
      registers,
    });
    this.consumerEvents = new Counter({
      name: 'event_consumer_events_total',
      help: 'Deliveries handled by a durable consumer, by result (handled, duplicate, retried, dead_lettered)',
      labelNames: ['stream', 'durable', 'result'],
      registers,
    });
    this.consumerDeadLettered = new Counter({
      name: 'event_consumer_dead_lettered_total',
      help: 'Events a durable consumer moved to the dead-letter stream',
      labelNames: ['stream', 'durable'],
      registers,
    });
    this.consumerHandleDuration = new Histogram({
      name: 'event_consumer_handle_duration_seconds',
      help: 'Time to handle one delivery (or one batch, for batch consumers), by durable consumer',
      labelNames: ['stream', 'durable'],
      buckets: LATENCY_BUCKETS,
      registers,
    });

    this.sagaTransitions = new Counter({
      name: 'saga_transitions_total',
      help: 'Saga instances entering a status (a new one enters its first status)',
      labelNames: ['saga', 'status'],
      registers,
    });
    this.sagaStepDuration = new Histogram({
      name: 'saga_step_duration_seconds',
      help: 'Saga steps from their first call to their answer, retries included, by step and result (done, failed)',
      labelNames: ['saga', 'step', 'result'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.sagaActive = new Gauge({ name: 'saga_active_instances', help: 'Saga instances not finished yet', labelNames: ['saga'], registers });
    this.sagaOldestActiveAge = new Gauge({
      name: 'saga_oldest_active_age_seconds',
      help: 'Time since the least recently written unfinished saga instance was last written (0 when none)',
      labelNames: ['saga'],
      registers,
    });

    this.probeFailures = new Counter({
      name: 'metrics_probe_failures_total',
      help: 'Scrape-time reads (outbox, consumer info, saga) that failed or timed out; their gauges are left out of that scrape',
      labelNames: ['probe'],
      registers,
    });
  }

  /**
   * A read run at every scrape that sets gauges (outbox backlog, consumer info, sagas). On failure
   * or timeout the gauges it names are reset, so a scrape never shows an old value as current.
   * Returns a function that removes the probe.
   */
  addProbe(name: string, read: () => Promise<void>, gauges: Gauge<string>[]): () => void {
    this.probes.set(name, async () => {
      try {
        await withTimeout(read(), PROBE_TIMEOUT_MS, `${name}: no answer within ${PROBE_TIMEOUT_MS} ms`);
      } catch {
        this.probeFailures.inc({ probe: name });
        for (const gauge of gauges) gauge.reset();
      }
    });
    return () => void this.probes.delete(name);
  }

  /** The exposition: runs the probes, then renders every family. */
  async render(): Promise<string> {
    await Promise.all([...this.probes.values()].map((probe) => probe()));
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Times `call` as one store operation (`<store class>.<method>`): ok or error. */
  async storeCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const end = this.storeCallDuration.startTimer({ operation });
    try {
      const result = await call();
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    }
  }
}

/** Seconds, from 1 ms to 10 s: request/reply and HTTP. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds, from 0.25 ms: single store round trips on loopback are often under a millisecond. */
const STORE_BUCKETS = [0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const PROBE_TIMEOUT_MS = 2_000;

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** A failed call's code for a label, as the RPC error filter would answer it: a declared code, UNAVAILABLE or INTERNAL. */
export function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && KNOWN_CODES.has(code)) return code;
  return isUnavailable(error) ? ErrorCode.Unavailable : ErrorCode.Internal;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

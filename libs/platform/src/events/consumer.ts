import { Logger } from '@nestjs/common';
import { withJetStreamRetry } from './jetstream-admin.js';
import { deadLetterSubject, type EventEnvelope, type ServiceName } from '@polystore/contracts';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { StoreAvailability } from '../store/store-availability.js';
import type { AppMetrics } from '../metrics/app-metrics.js';
import { runInScope } from '../telemetry/request-scope.js';
import { SpanKind, contextOfTraceparent, inSpan, natsMessagingAttributes } from '../telemetry/tracing.js';
import { ensureDeadLetterStream } from './streams.js';

/**
 * Records that a consumer handled an event in the same atomic step as the handler's effect,
 * so a redelivered event has no second effect. Each store implements it its own way
 * (an inbox table in the effect's transaction, a unique key on the written row, ...).
 */
export interface Inbox<TTx> {
  /** Runs `effect` and records (consumer, eventId) atomically; returns false, running nothing, if already recorded. */
  once(consumer: string, eventId: string, effect: (tx: TTx) => Promise<void>): Promise<boolean>;
}

export interface EventConsumerOptions<TTx> {
  /** The consuming service: its NATS user may publish dead letters only under `deadletter.<service>.>`. */
  service: ServiceName;
  /** Durable consumer name; also the inbox's consumer key. */
  durable: string;
  stream: string;
  subjects: string[];
  inbox: Inbox<TTx>;
  handle: (event: EventEnvelope, tx: TTx) => Promise<void>;
  /** Deliveries before an event goes to the dead-letter subject. */
  maxDeliveries?: number;
  /** Pause before each redelivery; the last value repeats. */
  backoffMs?: number[];
  ackWaitMs?: number;
  /**
   * The consuming service's store: while it is away the consumer holds the event (extending its
   * ack deadline) and handles it again once the store is back, so an outage spends no delivery and
   * dead-letters nothing.
   */
  availability?: StoreAvailability | null;
  /** Counts deliveries by result and times the handler. */
  metrics?: AppMetrics;
}

/** Retries of one delivery after "store unavailable" before it counts as an ordinary failure. */
const MAX_UNAVAILABLE_RETRIES = 20;

/**
 * A durable JetStream consumer: acks only after the handler's effect is stored, ignores
 * an event id already handled, retries a failing event with backoff, and after
 * `maxDeliveries` moves it to `deadletter.<service>.<durable>.<subject>` so it never blocks the stream.
 */
export class EventConsumer<TTx> {
  private readonly logger: Logger;
  private messages: ConsumerMessages | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly maxDeliveries: number;
  private readonly backoffMs: number[];
  private readonly stopped = new AbortController();

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: EventConsumerOptions<TTx>,
  ) {
    this.logger = new Logger(`EventConsumer:${options.durable}`);
    this.maxDeliveries = options.maxDeliveries ?? 5;
    this.backoffMs = options.backoffMs ?? [200, 1_000, 5_000, 15_000];
  }

  async start(): Promise<void> {
    await ensureDeadLetterStream(this.nc);
    await withJetStreamRetry(`consumer ${this.options.durable}`, () => this.createOrUpdateDurable());
    const consumer = await withJetStreamRetry(`consumer ${this.options.durable}`, () =>
      jetstream(this.nc).consumers.get(this.options.stream, this.options.durable),
    );
    this.messages = await consumer.consume({ max_messages: 256 });
    this.loopDone = this.loop(this.messages);
  }

  private async createOrUpdateDurable(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    const config = {
      durable_name: this.options.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      // One subject as filter_subject: nats-server 2.9 (Debian's) knows only that; several need ≥ 2.10.
      ...(this.options.subjects.length === 1 ? { filter_subject: this.options.subjects[0] } : { filter_subjects: this.options.subjects }),
      ack_wait: nanos(this.options.ackWaitMs ?? 30_000),
      // Redelivery is bounded by this helper (then dead-lettered), not by the server.
      max_deliver: -1,
      max_ack_pending: 1_000,
    };
    try {
      await jsm.consumers.info(this.options.stream, this.options.durable);
      await jsm.consumers.update(this.options.stream, this.options.durable, config);
    } catch (error) {
      if (!/not found/i.test(String((error as Error).message))) throw error;
      await jsm.consumers.add(this.options.stream, config);
    }
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    await this.messages?.close().catch(() => undefined);
    await this.loopDone;
  }

  private async loop(messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      await this.handleOne(msg);
    }
  }

  private async handleOne(msg: JsMsg): Promise<void> {
    let event: EventEnvelope;
    try {
      event = msg.json<EventEnvelope>();
      if (typeof event?.id !== 'string' || typeof event.type !== 'string') throw new Error('not an event envelope');
    } catch (error) {
      await this.deadLetter(msg, `unreadable message: ${(error as Error).message}`);
      return;
    }
    const { stream, durable, metrics } = this.options;
    const end = metrics?.consumerHandleDuration.startTimer({ stream, durable });
    const store = this.options.availability;
    try {
      for (let unavailable = 0; ; unavailable++) {
        if (store && !store.available && !(await this.holdWhileAway(msg, event, store))) return;
        try {
          const handled = await runInScope({ eventId: event.id }, () => this.process(msg, event));
          if (!handled) this.logger.debug(this.aboutEvent(msg, event, `event ${event.type} ${event.id} already handled; acking again`));
          msg.ack();
          metrics?.consumerEvents.inc({ stream, durable, result: handled ? 'handled' : 'duplicate' });
          return;
        } catch (error) {
          if (store && unavailable < MAX_UNAVAILABLE_RETRIES && (store.reportFailure(error) || !store.available)) {
            // The store is being probed: held (below) if it is away, handled again if it answers.
            await new Promise((resolve) => setTimeout(resolve, 250));
            continue;
          }
          await this.failed(msg, event, error);
          return;
        }
      }
    } finally {
      end?.();
    }
  }

  /**
   * Keeps `msg` ours (no redelivery, no delivery spent) until the store is back; false if the
   * consumer stopped first (the event is then redelivered after its ack wait).
   */
  private async holdWhileAway(msg: JsMsg, event: EventEnvelope, store: StoreAvailability): Promise<boolean> {
    this.logger.warn(this.aboutEvent(msg, event, `holding event ${event.type} ${event.id} (and those after it) while ${store.store} is unavailable`));
    const tick = Math.max(1_000, Math.floor((this.options.ackWaitMs ?? 30_000) / 3));
    while (!store.available && !this.stopped.signal.aborted) {
      msg.working();
      const wait = AbortSignal.any([this.stopped.signal, AbortSignal.timeout(tick)]);
      await store.whenAvailable(wait);
    }
    return !this.stopped.signal.aborted;
  }

  private async failed(msg: JsMsg, event: EventEnvelope, error: unknown): Promise<void> {
    const attempt = msg.info.deliveryCount;
    const reason = (error as Error)?.message ?? String(error);
    if (attempt >= this.maxDeliveries) {
      await this.deadLetter(msg, reason, event);
      return;
    }
    this.options.metrics?.consumerEvents.inc({ stream: this.options.stream, durable: this.options.durable, result: 'retried' });
    const delay = this.backoffMs[Math.min(attempt - 1, this.backoffMs.length - 1)]!;
    this.logger.warn({
      ...this.aboutEvent(
        msg,
        event,
        `event ${event.type} ${event.id} on ${msg.subject} failed in ${this.options.durable} (attempt ${attempt}/${this.maxDeliveries}), retry in ${delay} ms: ${reason}`,
      ),
      attempt,
      retry_in_ms: delay,
    });
    msg.nak(delay);
  }

  /**
   * A log line about one delivery, with the fields that find it: the event's id (`event_id`, the
   * field every line of its handling carries), its subject, this consumer and the stream sequence.
   * Unreadable messages have no event; their Nats-Msg-Id (the producer's event id) stands in.
   */
  private aboutEvent(msg: JsMsg, event: EventEnvelope | null, text: string): Record<string, unknown> {
    const eventId = event?.id ?? msg.headers?.get('Nats-Msg-Id');
    return {
      msg: text,
      ...(eventId ? { event_id: eventId } : {}),
      subject: msg.subject,
      consumer: this.options.durable,
      stream_seq: msg.info.streamSequence,
    };
  }

  /**
   * Runs the handler through the inbox in a CONSUMER span `process <subject>` that continues the
   * trace in which the event was created (the envelope's `traceparent`).
   */
  private process(msg: JsMsg, event: EventEnvelope): Promise<boolean> {
    return inSpan(
      `process ${msg.subject}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextOfTraceparent(event.traceparent ?? msg.headers?.get('traceparent')),
        attributes: () =>
          natsMessagingAttributes(
            msg.subject,
            { type: 'process', name: 'process' },
            {
              'messaging.message.id': event.id,
              'messaging.consumer.group.name': this.options.durable,
              'messaging.message.delivery_count': msg.info.deliveryCount,
            },
          ),
      },
      () => this.options.inbox.once(this.options.durable, event.id, (tx) => this.options.handle(event, tx)),
    );
  }

  private async deadLetter(msg: JsMsg, reason: string, event: EventEnvelope | null = null): Promise<void> {
    const h = headers();
    h.set('Polystore-Error', reason.slice(0, 1_000));
    h.set('Polystore-Original-Subject', msg.subject);
    h.set('Polystore-Deliveries', String(msg.info.deliveryCount));
    try {
      await jetstream(this.nc).publish(deadLetterSubject(this.options.service, this.options.durable, msg.subject), msg.data, {
        headers: h,
        msgID: `${this.options.durable}:${msg.info.streamSequence}`,
      });
      this.logger.error({
        ...this.aboutEvent(
          msg,
          event,
          `dead-lettered ${event ? `event ${event.type} ${event.id}` : 'message'} on ${msg.subject} (#${msg.info.streamSequence}) in ${this.options.durable} after ${msg.info.deliveryCount} deliveries: ${reason}`,
        ),
        deliveries: msg.info.deliveryCount,
      });
      msg.term(reason.slice(0, 200));
      const labels = { stream: this.options.stream, durable: this.options.durable };
      this.options.metrics?.consumerDeadLettered.inc(labels);
      this.options.metrics?.consumerEvents.inc({ ...labels, result: 'dead_lettered' });
    } catch (error) {
      this.logger.warn(
        this.aboutEvent(
          msg,
          event,
          `could not dead-letter ${msg.subject} (#${msg.info.streamSequence}) in ${this.options.durable}: ${(error as Error).message}; will retry`,
        ),
      );
      msg.nak(this.backoffMs[this.backoffMs.length - 1]);
    }
  }
}

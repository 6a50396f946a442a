import { Logger } from '@nestjs/common';
import { withJetStreamRetry } from './jetstream-admin.js';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { AppMetrics } from '../metrics/app-metrics.js';
import { ROOT_CONTEXT, isSpanContextValid, type Link } from '@opentelemetry/api';
import { SpanKind, contextOfNatsHeaders, inSpan, natsMessagingAttributes, recordFailure, tracer, tracerRegistered } from '../telemetry/tracing.js';

export interface BatchConsumerOptions {
  /** Durable consumer name. */
  durable: string;
  stream: string;
  /** Stores the batch; resolves only once it is stored. A rejection retries the same batch with backoff. */
  handle: (batch: JsMsg[]) => Promise<void>;
  /** A batch is stored when it holds this many messages... */
  maxBatch: number;
  /** ...or when its first message has waited this long. */
  maxWaitMs: number;
  /** Unacked messages are redelivered after this long (a redelivery must be harmless to `handle`). */
  ackWaitMs?: number;
  /** Longest pause between retries of a failing batch, growing from 100 ms. */
  maxBackoffMs?: number;
  /** Batches stored at the same time (the next one fills meanwhile); `handle` must allow that. */
  maxBatchesInFlight?: number;
  /**
   * One ack per stored batch (AckPolicy.All: an ack covers every earlier message) instead of one per
   * message. Only for a durable that this process alone reads: another reader's messages below
   * ours would be acked unstored. See the class comment for what keeps it lossless.
   */
  cumulativeAcks?: boolean;
  /** Counts stored messages and times each batch's store. */
  metrics?: AppMetrics;
}

/**
 * A durable JetStream consumer that hands messages over in batches (by size and by time) and
 * acknowledges a batch's messages only after `handle` stored it. By default each message is acked
 * on its own (AckPolicy.Explicit): a message the server dropped on the way (a busy client is a
 * "slow consumer" to NATS; a connection lost) is simply redelivered after `ackWaitMs`.
 *
 * With `cumulativeAcks` (AckPolicy.All) one ack, the last message's, covers a batch and everything
 * before it — acking a message never received would lose it. So: batches are acked in the order
 * they were cut, each once every earlier one is stored; the consumer starts from a clean slate
 * (a durable left with unacked messages, or made with the other ack policy, is made again from its
 * ack floor, so those come first and in order); and every delivery must carry the next consumer
 * sequence — a gap means deliveries were lost, and the consumer stops, lets the batches before the
 * gap finish, and is made again from its ack floor. Everything after the floor is delivered again
 * (`handle` must be idempotent, as for any redelivery).
 * `handle` gets every message, readable or not: deciding what a bad message means is the caller's.
 */
export class JetStreamBatchConsumer {
  private readonly logger: Logger;
  private messages: ConsumerMessages | null = null;
  private buffer: JsMsg[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Batches cut and not yet stored and acked, oldest first. */
  private readonly inFlight: Promise<void>[] = [];
  /** Batches cut while maxBatchesInFlight were being stored: they start, in order, as those end. */
  private readonly waiting: JsMsg[][] = [];
  /** Cumulative acks: every batch cut and not yet acked, in order, and whether it is stored. */
  private readonly unacked: Array<{ batch: JsMsg[]; stored: boolean }> = [];
  /** Cumulative acks: the consumer sequence the next delivery must carry (0: not known). */
  private nextDelivery = 0;
  /** Cumulative acks: a gap was seen; deliveries are ignored until the durable is made again. */
  private restarting: Promise<void> | null = null;
  private readonly maxInFlight: number;
  private running = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: BatchConsumerOptions,
  ) {
    this.logger = new Logger(`BatchConsumer:${options.stream}:${options.durable}`);
    this.maxInFlight = options.maxBatchesInFlight ?? 2;
  }

  /** Creates or updates the durable consumer and starts consuming; rejects if the stream does not exist. */
  async start(): Promise<void> {
    const { durable } = this.options;
    this.nextDelivery = await withJetStreamRetry(`consumer ${durable}`, () => this.createOrUpdateDurable());
    this.running = true;
    await this.consume();
  }

  private async consume(): Promise<void> {
    const { stream, durable, maxBatch } = this.options;
    const consumer = await withJetStreamRetry(`consumer ${durable}`, () => jetstream(this.nc).consumers.get(stream, durable));
    // Pull about one batch at a time: what the server pushes beyond what the client reads counts
    // against the connection's pending limit (a slow consumer loses messages to the server).
    // A callback rather than the async iterator: no promise and generator step per message.
    this.messages = await consumer.consume({
      max_messages: Math.min(Math.max(maxBatch, 512), 10_000),
      callback: (msg) => this.receive(msg),
    });
  }

  /** Makes the durable as configured; resolves to the consumer sequence its next delivery will carry. */
  private async createOrUpdateDurable(): Promise<number> {
    const { stream, durable, maxBatch, cumulativeAcks } = this.options;
    // No account-info probe: a consuming service's NATS user may not call $JS.API.INFO.
    const jsm = await jetstreamManager(this.nc, { checkAPI: false });
    const ackPolicy = cumulativeAcks ? AckPolicy.All : AckPolicy.Explicit;
    const changeable = {
      ack_wait: nanos(this.options.ackWaitMs ?? 60_000),
      max_deliver: -1,
      // Room for the batches being stored plus the next one filling.
      max_ack_pending: Math.max(10_000, maxBatch * 4),
    };
    const info = await jsm.consumers.info(stream, durable).catch((error: unknown) => {
      if (/not found/i.test(String((error as Error).message))) return null;
      throw error;
    });
    if (!info) {
      await jsm.consumers.add(stream, { durable_name: durable, ack_policy: ackPolicy, deliver_policy: DeliverPolicy.All, ...changeable });
      return 1;
    }
    // An ack policy cannot be changed in place; and with cumulative acks, messages delivered and
    // not acked (a process that stopped or died) would be covered by the next ack unstored.
    if (info.config.ack_policy !== ackPolicy || (cumulativeAcks && info.num_ack_pending > 0)) {
      const floor = info.ack_floor.stream_seq;
      this.logger.log(`making ${durable} again from its ack floor (stream sequence ${floor}; ${info.num_ack_pending} delivered, not acked)`);
      // A crash between these two leaves no durable: the next start reads the stream from its start (idempotent, slower).
      await jsm.consumers.delete(stream, durable);
      await jsm.consumers.add(stream, {
        durable_name: durable,
        ack_policy: ackPolicy,
        ...(floor > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: floor + 1 } : { deliver_policy: DeliverPolicy.All }),
        ...changeable,
      });
      return 1;
    }
    await jsm.consumers.update(stream, durable, changeable);
    return info.delivered.consumer_seq + 1;
  }

  /** Stops pulling; waits for the batches being stored. Buffered and waiting messages stay unacked (they are redelivered). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.waiting.length = 0;
    await this.messages?.close().catch(() => undefined);
    await this.restarting;
    await Promise.all(this.inFlight);
  }

  private receive(msg: JsMsg): void {
    if (!this.running || this.restarting) return;
    if (this.options.cumulativeAcks) {
      const delivery = deliverySequenceOf(msg);
      if (delivery !== this.nextDelivery) {
        this.restartAfterGap(delivery);
        return;
      }
      this.nextDelivery++;
    }
    this.buffer.push(msg);
    if (this.buffer.length >= this.options.maxBatch) this.cut();
    else if (!this.timer) this.timer = setTimeout(() => this.cut(), this.options.maxWaitMs);
  }

  /**
   * Ends the current batch; stores it at once alongside earlier ones still being stored, or, with
   * maxBatchesInFlight of them under way, once the oldest of those is done (back-pressure: the
   * server sends no more than the durable's max_ack_pending unacked messages meanwhile).
   */
  private cut(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return;
    if (this.options.cumulativeAcks) this.unacked.push({ batch, stored: false });
    if (this.inFlight.length >= this.maxInFlight) this.waiting.push(batch);
    else this.storeAndAck(batch);
  }

  private storeAndAck(batch: JsMsg[]): void {
    const settled = this.storeTraced(batch).then((stored) => {
      if (stored) this.acknowledge(batch);
      this.inFlight.splice(this.inFlight.indexOf(settled), 1);
      const next = this.running ? this.waiting.shift() : undefined;
      if (next) this.storeAndAck(next);
    });
    this.inFlight.push(settled);
  }

  private acknowledge(batch: JsMsg[]): void {
    try {
      if (!this.options.cumulativeAcks) {
        for (const msg of batch) msg.ack();
        return;
      }
      this.unacked.find((entry) => entry.batch === batch)!.stored = true;
      // The oldest batches, as far as all of them are stored: one ack, the last message's, covers them.
      let last: JsMsg | undefined;
      while (this.unacked[0]?.stored) last = this.unacked.shift()!.batch.at(-1);
      last?.ack();
    } catch (error) {
      // A connection closed under us: what was not acked is delivered again (and stored again, harmlessly).
      this.logger.warn(`acking a stored batch of ${batch.length} failed (${(error as Error).message}); it will be delivered again`);
    }
  }

  /**
   * A delivery other than the next in sequence: some were lost on the way. Nothing received from
   * here on is stored or acked; the batches before it finish (and are acked); then the durable is
   * made again from its ack floor and consuming resumes.
   */
  private restartAfterGap(delivery: number): void {
    this.logger.warn(
      `consumer sequence ${delivery} delivered where ${this.nextDelivery} was due: deliveries were lost; starting again from the ack floor`,
    );
    this.cut(); // what came before the gap
    this.restarting = (async () => {
      await this.messages?.close().catch(() => undefined);
      while (this.inFlight.length > 0) await Promise.all(this.inFlight);
      this.unacked.length = 0;
      if (!this.running) return;
      this.nextDelivery = await withJetStreamRetry(`consumer ${this.options.durable}`, () => this.createOrUpdateDurable());
      if (this.running) await this.consume();
    })()
      .catch((error: unknown) => this.logger.error(`starting ${this.options.durable} again failed: ${(error as Error).message}`))
      .finally(() => (this.restarting = null));
  }

  /**
   * `store` with spans: for each message a CONSUMER span `process <subject>` continuing the trace
   * its `traceparent` header names (the one in which the event was created), lasting until the
   * batch is stored; and one `process batch <stream>` span, its own trace, linked to each of them,
   * holding the store's spans. Without a tracer (tracing off) none of that is built: reading every
   * message's headers and making a no-op span per message took ~5 % of ingestion's CPU time.
   */
  private async storeTraced(batch: JsMsg[]): Promise<boolean> {
    if (!tracerRegistered()) return this.store(batch);
    const { stream, durable } = this.options;
    const perMessage = batch.map((msg) =>
      tracer.startSpan(
        `process ${msg.subject}`,
        {
          kind: SpanKind.CONSUMER,
          attributes: natsMessagingAttributes(
            msg.subject,
            { type: 'process', name: 'process' },
            { 'messaging.consumer.group.name': durable, 'messaging.batch.message_count': batch.length },
          ),
        },
        contextOfNatsHeaders(msg.headers),
      ),
    );
    const links: Link[] = perMessage.map((span) => ({ context: span.spanContext() })).filter((link) => isSpanContextValid(link.context));
    try {
      const stored = await inSpan(
        `process batch ${stream}`,
        {
          kind: SpanKind.CONSUMER,
          parent: ROOT_CONTEXT,
          links,
          attributes: natsMessagingAttributes(
            stream,
            { type: 'process', name: 'process' },
            { 'messaging.consumer.group.name': durable, 'messaging.batch.message_count': batch.length },
          ),
        },
        () => this.store(batch),
      );
      return stored;
    } catch (error) {
      for (const span of perMessage) recordFailure(span, error);
      throw error;
    } finally {
      for (const span of perMessage) span.end();
    }
  }

  /** Resolves true once `handle` stored the batch, retrying with backoff; false if stopped first. */
  private async store(batch: JsMsg[]): Promise<boolean> {
    const { stream, durable, metrics } = this.options;
    for (let failures = 0; this.running; failures++) {
      const end = metrics?.consumerHandleDuration.startTimer({ stream, durable });
      try {
        await this.options.handle(batch);
        end?.();
        metrics?.consumerEvents.inc({ stream, durable, result: 'handled' }, batch.length);
        return true;
      } catch (error) {
        end?.();
        metrics?.consumerEvents.inc({ stream, durable, result: 'retried' }, batch.length);
        const pause = Math.min(this.options.maxBackoffMs ?? 10_000, 100 * 2 ** Math.min(failures, 10));
        this.logger.warn({
          msg: `storing a batch of ${batch.length} from ${stream} failed in ${durable} (${failures + 1}x), retrying in ${pause} ms: ${(error as Error).message}`,
          ...batchFields(batch),
          consumer: durable,
          attempt: failures + 1,
          retry_in_ms: pause,
        });
        // Keep the batch ours meanwhile, so the server does not redeliver it while we retry.
        for (const msg of batch) msg.working();
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
    return false;
  }
}

/** Where the stream sequence is among the reply subject's dot-separated tokens, by their number (ADR-15). */
const STREAM_SEQUENCE_TOKEN = new Map([
  // $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<timestamp>.<pending>
  [9, 5],
  // $JS.ACK.<domain>.<account hash>.<stream>.<consumer>.<delivered>.<stream seq>.… (and a random token)
  [11, 7],
  [12, 7],
]);
const DOT = 0x2e;

/**
 * The stream sequence a JetStream message was delivered with, read straight from its reply
 * subject: `msg.seq` splits the subject and builds the whole delivery info, which ingestion would
 * do for every event. Anything not of the documented forms goes to `msg.seq` (which throws).
 * The reply subject is what nats.js' JsMsg keeps (not in its type); without it, `msg.seq` again.
 */
export function streamSequenceOf(msg: JsMsg): number {
  return replySequence(msg, 0) ?? msg.seq;
}

/** The consumer (delivery) sequence, likewise: the token after the stream sequence. */
export function deliverySequenceOf(msg: JsMsg): number {
  return replySequence(msg, 1) ?? msg.info.deliverySequence;
}

/** The number `after` tokens past the stream sequence in the reply subject; null if it is not of the documented forms. */
function replySequence(msg: JsMsg, after: number): number | null {
  const reply = (msg as JsMsg & { reply?: unknown }).reply;
  if (typeof reply !== 'string' || !reply.startsWith('$JS.ACK.')) return null;
  let tokens = 1;
  for (let i = 0; i < reply.length; i++) if (reply.charCodeAt(i) === DOT) tokens++;
  const streamToken = STREAM_SEQUENCE_TOKEN.get(tokens);
  if (streamToken === undefined) return null;
  const wanted = streamToken + after;
  let token = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < reply.length; i++) {
    const c = reply.charCodeAt(i);
    if (c === DOT) {
      if (token === wanted) break;
      token++;
    } else if (token === wanted) {
      if (c < 0x30 || c > 0x39) return null;
      value = value * 10 + (c - 0x30);
      digits++;
    }
  }
  return digits > 0 && digits <= 15 ? value : null;
}

/** How many event ids a log line about a batch lists; the stream sequences cover the rest. */
const LOGGED_EVENT_IDS = 20;

/**
 * What finds a batch's events from a log line: their ids (each message's Nats-Msg-Id, the
 * producer's event id; the first LOGGED_EVENT_IDS of them) and the stream sequences it spans.
 */
function batchFields(batch: JsMsg[]): Record<string, unknown> {
  const ids = batch.map((msg) => msg.headers?.get('Nats-Msg-Id')).filter((id): id is string => Boolean(id));
  const sequences = batch.map((msg) => msg.seq);
  // A loop, not Math.min(...): a batch may hold more values than a call takes arguments.
  const from = sequences.reduce((a, b) => Math.min(a, b));
  const to = sequences.reduce((a, b) => Math.max(a, b));
  return {
    event_ids: ids.slice(0, LOGGED_EVENT_IDS),
    ...(ids.length > LOGGED_EVENT_IDS ? { event_ids_left_out: ids.length - LOGGED_EVENT_IDS } : {}),
    subjects: [...new Set(batch.map((msg) => msg.subject))].slice(0, LOGGED_EVENT_IDS),
    stream_seq_from: from,
    stream_seq_to: to,
  };
}

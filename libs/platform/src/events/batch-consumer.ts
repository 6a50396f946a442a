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
  /** Counts stored messages and times each batch's store. */
  metrics?: AppMetrics;
}

/**
 * A durable JetStream consumer that hands messages over in batches (by size and by time) and
 * acknowledges a batch's messages only after `handle` stored it. Each message is acked on its own
 * (AckPolicy.Explicit): with AckPolicy.All one ack would cover every earlier message, including
 * any the server dropped on the way (a busy client is a "slow consumer" to NATS) — those would
 * be lost; acked one by one, a dropped message is simply redelivered after `ackWaitMs`.
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
    const { stream, durable, maxBatch } = this.options;
    await withJetStreamRetry(`consumer ${durable}`, () => this.createOrUpdateDurable());
    const consumer = await withJetStreamRetry(`consumer ${durable}`, () => jetstream(this.nc).consumers.get(stream, durable));
    this.running = true;
    // Pull about one batch at a time: what the server pushes beyond what the client reads counts
    // against the connection's pending limit (a slow consumer loses messages to the server).
    // A callback rather than the async iterator: no promise and generator step per message.
    this.messages = await consumer.consume({
      max_messages: Math.min(Math.max(maxBatch, 512), 10_000),
      callback: (msg) => this.receive(msg),
    });
  }

  private async createOrUpdateDurable(): Promise<void> {
    const { stream, durable, maxBatch } = this.options;
    // No account-info probe: a consuming service's NATS user may not call $JS.API.INFO.
    const jsm = await jetstreamManager(this.nc, { checkAPI: false });
    const config = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.options.ackWaitMs ?? 60_000),
      max_deliver: -1,
      // Room for the batches being stored plus the next one filling.
      max_ack_pending: Math.max(10_000, maxBatch * 4),
    };
    try {
      await jsm.consumers.info(stream, durable);
      await jsm.consumers.update(stream, durable, config);
    } catch (error) {
      if (!/not found/i.test(String((error as Error).message))) throw error;
      await jsm.consumers.add(stream, config);
    }
  }

  /** Stops pulling; waits for the batches being stored. Buffered and waiting messages stay unacked (they are redelivered). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.waiting.length = 0;
    await this.messages?.close().catch(() => undefined);
    await Promise.all(this.inFlight);
  }

  private receive(msg: JsMsg): void {
    if (!this.running) return;
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
    if (this.inFlight.length >= this.maxInFlight) this.waiting.push(batch);
    else this.storeAndAck(batch);
  }

  private storeAndAck(batch: JsMsg[]): void {
    const settled = this.storeTraced(batch).then((stored) => {
      if (stored) ackEach(batch);
      this.inFlight.splice(this.inFlight.indexOf(settled), 1);
      const next = this.running ? this.waiting.shift() : undefined;
      if (next) this.storeAndAck(next);
    });
    this.inFlight.push(settled);
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

/** What ackEach reaches in nats.js v3: a JsMsg's message, and that message's protocol handler (the connection's writer). */
interface DeliveredMessage {
  msg?: { reply?: unknown; publisher?: { sendCommand?: unknown } };
}

/**
 * Acks each message of a batch on its own, exactly as msg.ack() does (`+ACK` published to the
 * message's reply subject; AckPolicy.Explicit semantics unchanged), but written as one protocol
 * command for the whole batch rather than a publish per message: one ack at a time (a string
 * encoded, three buffers queued, each) took ~14 % of ingestion's JavaScript time. A message whose
 * internals are not as expected (another nats.js version) is acked through msg.ack().
 */
export function ackEach(batch: readonly JsMsg[]): void {
  let protocol = '';
  let writer: { sendCommand(cmd: string): void } | null = null;
  for (const msg of batch) {
    const delivered = (msg as unknown as DeliveredMessage).msg;
    const reply = delivered?.reply;
    const publisher = delivered?.publisher;
    if (typeof reply !== 'string' || reply === '' || typeof publisher?.sendCommand !== 'function' || (writer && publisher !== writer)) {
      msg.ack();
      continue;
    }
    writer = publisher as { sendCommand(cmd: string): void };
    protocol += `PUB ${reply} 4\r\n+ACK\r\n`;
  }
  if (writer && protocol) writer.sendCommand(protocol);
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
  const reply = (msg as JsMsg & { reply?: unknown }).reply;
  if (typeof reply !== 'string' || !reply.startsWith('$JS.ACK.')) return msg.seq;
  let tokens = 1;
  for (let i = 0; i < reply.length; i++) if (reply.charCodeAt(i) === DOT) tokens++;
  const wanted = STREAM_SEQUENCE_TOKEN.get(tokens);
  if (wanted === undefined) return msg.seq;
  let token = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < reply.length; i++) {
    const c = reply.charCodeAt(i);
    if (c === DOT) {
      if (token === wanted) break;
      token++;
    } else if (token === wanted) {
      if (c < 0x30 || c > 0x39) return msg.seq;
      value = value * 10 + (c - 0x30);
      digits++;
    }
  }
  return digits > 0 && digits <= 15 ? value : msg.seq;
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

import { Logger } from '@nestjs/common';
import { withJetStreamRetry } from './jetstream-admin.js';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import type { AppMetrics } from '../metrics/app-metrics.js';
import { ROOT_CONTEXT, isSpanContextValid, type Link } from '@opentelemetry/api';
import { SpanKind, contextOfNatsHeaders, inSpan, natsMessagingAttributes, recordFailure, tracer, tracerRegistered } from '../telemetry/tracing.js';

export interface BatchConsumerOptions<T> {
  /** Durable consumer name. */
  durable: string;
  stream: string;
  /**
   * Turns a message into what its batch holds, as the message arrives; the message itself is let go
   * (only its reply subject is kept, for the ack). Must not throw: a message it throws on is logged
   * and left unacked (redelivered after `ackWaitMs`).
   */
  decode: (msg: JsMsg) => T;
  /** Stores the batch; resolves only once it is stored. A rejection retries the same batch with backoff. */
  handle: (batch: T[]) => Promise<void>;
  /** The event id an item stands for, for log lines about a batch (optional). */
  idOf?: (item: T) => string | undefined;
  /** A batch is stored when it holds this many messages... */
  maxBatch: number;
  /**
   * ...or when its first message has waited this long and a store slot is free (with
   * maxBatchesInFlight batches being stored, it goes on filling until one is done or it is full).
   */
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

/** A batch as cut: what `decode` made of each message, and each message's reply subject (its ack address). */
interface Batch<T> {
  items: T[];
  replies: string[];
  /** Each message's subject and headers, kept only while a tracer is registered (the spans need them). */
  traced: Array<{ subject: string; headers: MsgHdrs | undefined }> | null;
}

/**
 * A durable JetStream consumer that hands messages over in batches (by size and by time), each
 * message decoded as it arrives, and acknowledges a batch's messages only after `handle` stored it.
 * A batch holds what `decode` made and the reply subjects, not nats.js' message objects: kept until
 * their batch was stored, 20,000-message batches of those had the garbage collector copying them
 * from young to old space. Each message is acked on its own
 * (AckPolicy.Explicit): with AckPolicy.All one ack would cover every earlier message, including
 * any the server dropped on the way (a busy client is a "slow consumer" to NATS) — those would
 * be lost; acked one by one, a dropped message is simply redelivered after `ackWaitMs`.
 * `handle` gets every message, readable or not: deciding what a bad message means is the caller's.
 */
export class JetStreamBatchConsumer<T> {
  private readonly logger: Logger;
  private messages: ConsumerMessages | null = null;
  private buffer: Batch<T> = emptyBatch();
  private timer: NodeJS.Timeout | null = null;
  /** Batches cut and not yet stored and acked, oldest first. */
  private readonly inFlight: Promise<void>[] = [];
  /** Batches cut while maxBatchesInFlight were being stored: they start, in order, as those end. */
  private readonly waiting: Batch<T>[] = [];
  private readonly maxInFlight: number;
  private running = false;
  /** The buffered batch waited maxWaitMs while every store slot was taken: it is cut as soon as one frees. */
  private due = false;
  /** Where acks are written (the connection's protocol handler), found on the first message; null: nc.publish per ack. */
  private protocol: ProtocolWriter | null | undefined = undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: BatchConsumerOptions<T>,
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
    this.due = false;
    this.waiting.length = 0;
    await this.messages?.close().catch(() => undefined);
    await Promise.all(this.inFlight);
  }

  private receive(msg: JsMsg): void {
    if (!this.running) return;
    let item: T;
    try {
      item = this.options.decode(msg);
    } catch (error) {
      this.logger.error({
        msg: `decoding a message from ${this.options.stream} failed; left unacked: ${(error as Error).message}`,
        consumer: this.options.durable,
        stream_seq: streamSequenceOfReply(replyOf(msg)),
      });
      return;
    }
    if (this.protocol === undefined) this.protocol = protocolWriterOf(msg);
    const buffer = this.buffer;
    buffer.items.push(item);
    buffer.replies.push(replyOf(msg));
    if (tracerRegistered()) (buffer.traced ??= []).push({ subject: msg.subject, headers: msg.headers });
    if (buffer.items.length >= this.options.maxBatch) this.cut();
    else if (!this.timer && !this.due) this.timer = setTimeout(() => this.waited(), this.options.maxWaitMs);
  }

  /**
   * The buffered batch's first message has waited maxWaitMs: stored now if a slot is free, otherwise
   * it goes on filling until one is. Cut into a queue of small batches behind busy stores instead,
   * as it was, each became its own insert, its own parts in ClickHouse and their merges (under load
   * ingestion's batches were a fraction of maxBatch, and merges took ~6 µs of CPU per event).
   */
  private waited(): void {
    this.timer = null;
    if (this.inFlight.length + this.waiting.length < this.maxInFlight) this.cut();
    else this.due = true;
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
    this.due = false;
    const batch = this.buffer;
    this.buffer = emptyBatch();
    if (batch.items.length === 0) return;
    if (this.inFlight.length >= this.maxInFlight) this.waiting.push(batch);
    else this.storeAndAck(batch);
  }

  private storeAndAck(batch: Batch<T>): void {
    const settled = this.storeTraced(batch).then((stored) => {
      if (stored) this.reply(batch.replies, ACK);
      this.inFlight.splice(this.inFlight.indexOf(settled), 1);
      const next = this.running ? this.waiting.shift() : undefined;
      if (next) this.storeAndAck(next);
      else if (this.running && this.due) this.cut();
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
  private async storeTraced(batch: Batch<T>): Promise<boolean> {
    if (!tracerRegistered() || !batch.traced) return this.store(batch);
    const { stream, durable } = this.options;
    const count = batch.items.length;
    const perMessage = batch.traced.map((msg) =>
      tracer.startSpan(
        `process ${msg.subject}`,
        {
          kind: SpanKind.CONSUMER,
          attributes: natsMessagingAttributes(
            msg.subject,
            { type: 'process', name: 'process' },
            { 'messaging.consumer.group.name': durable, 'messaging.batch.message_count': count },
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
            { 'messaging.consumer.group.name': durable, 'messaging.batch.message_count': count },
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

  /**
   * Answers each message on its own (`+ACK` or `+WPI` published to its reply subject, as msg.ack()
   * and msg.working() do: AckPolicy.Explicit semantics unchanged), written as one protocol command
   * for the whole batch rather than a publish per message: acking one at a time (a string encoded,
   * three buffers queued, each) took ~14 % of ingestion's JavaScript time. Without nats.js'
   * protocol handler at hand, one nc.publish per message.
   */
  private reply(replies: readonly string[], answer: typeof ACK | typeof WORKING): void {
    if (!this.protocol) {
      for (const reply of replies) if (reply) this.nc.publish(reply, answer);
      return;
    }
    let command = '';
    for (const reply of replies) if (reply) command += `PUB ${reply} 4\r\n${answer}\r\n`;
    if (command) this.protocol.sendCommand(command);
  }

  /** Resolves true once `handle` stored the batch, retrying with backoff; false if stopped first. */
  private async store(batch: Batch<T>): Promise<boolean> {
    const { stream, durable, metrics } = this.options;
    const count = batch.items.length;
    for (let failures = 0; this.running; failures++) {
      const end = metrics?.consumerHandleDuration.startTimer({ stream, durable });
      try {
        await this.options.handle(batch.items);
        end?.();
        metrics?.consumerEvents.inc({ stream, durable, result: 'handled' }, count);
        return true;
      } catch (error) {
        end?.();
        metrics?.consumerEvents.inc({ stream, durable, result: 'retried' }, count);
        const pause = Math.min(this.options.maxBackoffMs ?? 10_000, 100 * 2 ** Math.min(failures, 10));
        this.logger.warn({
          msg: `storing a batch of ${count} from ${stream} failed in ${durable} (${failures + 1}x), retrying in ${pause} ms: ${(error as Error).message}`,
          ...batchFields(batch, this.options.idOf),
          consumer: durable,
          attempt: failures + 1,
          retry_in_ms: pause,
        });
        // Keep the batch ours meanwhile, so the server does not redeliver it while we retry.
        this.reply(batch.replies, WORKING);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
    return false;
  }
}

/** What the batch consumer writes to a message's reply subject: the ack, or "still working on it" (+WPI). */
const ACK = '+ACK';
const WORKING = '+WPI';
/** nats.js v3's protocol handler, as far as it is written to here. */
interface ProtocolWriter {
  sendCommand(cmd: string): void;
}

/** The connection's protocol handler, reached through a JsMsg's message (nats.js v3); null if it is not where expected. */
function protocolWriterOf(msg: JsMsg): ProtocolWriter | null {
  const publisher = (msg as unknown as { msg?: { publisher?: { sendCommand?: unknown } } }).msg?.publisher;
  return typeof publisher?.sendCommand === 'function' ? (publisher as ProtocolWriter) : null;
}

/** A delivered message's reply subject (its ack address), which nats.js' JsMsg keeps but does not type. */
const replyOf = (msg: JsMsg): string => {
  const reply = (msg as JsMsg & { reply?: unknown }).reply;
  return typeof reply === 'string' ? reply : '';
};

const emptyBatch = <T>(): Batch<T> => ({ items: [], replies: [], traced: null });

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
  return (typeof reply === 'string' ? streamSequenceOfReply(reply) : null) ?? msg.seq;
}

/** The stream sequence a JetStream reply subject names; null if it is not of the documented forms. */
export function streamSequenceOfReply(reply: string): number | null {
  if (!reply.startsWith('$JS.ACK.')) return null;
  let tokens = 1;
  for (let i = 0; i < reply.length; i++) if (reply.charCodeAt(i) === DOT) tokens++;
  const wanted = STREAM_SEQUENCE_TOKEN.get(tokens);
  if (wanted === undefined) return null;
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
 * What finds a batch's events from a log line: their ids (as `idOf` reads them from the decoded
 * items; the first LOGGED_EVENT_IDS of them) and the stream sequences it spans.
 */
function batchFields<T>(batch: Batch<T>, idOf: ((item: T) => string | undefined) | undefined): Record<string, unknown> {
  const ids = idOf ? batch.items.map(idOf).filter((id): id is string => Boolean(id)) : [];
  let from = Infinity;
  let to = -Infinity;
  for (const reply of batch.replies) {
    const sequence = streamSequenceOfReply(reply);
    if (sequence === null) continue;
    from = Math.min(from, sequence);
    to = Math.max(to, sequence);
  }
  return {
    event_ids: ids.slice(0, LOGGED_EVENT_IDS),
    ...(ids.length > LOGGED_EVENT_IDS ? { event_ids_left_out: ids.length - LOGGED_EVENT_IDS } : {}),
    ...(from <= to ? { stream_seq_from: from, stream_seq_to: to } : {}),
  };
}

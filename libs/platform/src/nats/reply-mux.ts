import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { EndOfTurn } from './end-of-turn.js';

/** Why a request got no reply: nobody subscribes to its subject, or no reply came in time. */
export type RequestFailure = 'no-responders' | 'timeout' | 'closed';

export class ReplyMuxError extends Error {
  constructor(
    readonly failure: RequestFailure,
    readonly subject: string,
  ) {
    super(`request on ${subject}: ${failure}`);
    this.name = 'ReplyMuxError';
  }
}

interface PendingRequest {
  subject: string;
  resolve: (msg: Msg) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply over one wildcard reply subscription per connection (`<inbox>.<token>`), as
 * nats.js's own muxed `request()` does, without its per-request cost: even with `noAsyncTraces`,
 * nats.js 3.4 settles every answered request by also rejecting it with a new
 * `RequestError("cancelled")`, an Error with a stack trace each time (5 % of the gateway's busy
 * time in a profile under load), and races a second timer promise against the reply.
 *
 * The requests made during one turn of the event loop are published together at its end, so
 * that they leave in one socket write (EndOfTurn): in the gateway, each request comes from its own
 * HTTP connection's read, and the writes were a quarter of its busy time in a profile under load.
 *
 * A subject nobody subscribes to fails at once: the server answers the reply subject with an empty
 * 503 status message (no_responders, which nats.js asks for at connect). The subscription is
 * re-made by the client after a reconnect; a request whose reply is lost times out.
 */
export class ReplyMux {
  private readonly prefix: string;
  private readonly subscription: Subscription;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly publishes = new EndOfTurn();
  private nextToken = 0;

  constructor(
    private readonly connection: NatsConnection,
    inboxPrefix?: string,
  ) {
    this.prefix = `${createInbox(inboxPrefix)}.`;
    this.subscription = connection.subscribe(`${this.prefix}*`, { callback: (error, msg) => (error || !msg ? undefined : this.settle(msg)) });
    void connection.closed().then(() => this.failAll('closed'));
  }

  /** Publishes `payload` on `subject` and resolves with its reply; rejects with a ReplyMuxError. */
  request(subject: string, payload: string | Uint8Array, timeoutMs: number, headers?: MsgHdrs): Promise<Msg> {
    const token = (this.nextToken++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new ReplyMuxError('timeout', subject));
      }, timeoutMs);
      this.pending.set(token, { subject, resolve, reject, timer });
      this.publishes.defer(() => this.publish(token, subject, payload, headers));
    });
  }

  private publish(token: string, subject: string, payload: string | Uint8Array, headers: MsgHdrs | undefined): void {
    const request = this.pending.get(token);
    if (!request) return; // failed meanwhile (the connection closed)
    try {
      this.connection.publish(subject, payload, { reply: this.prefix + token, ...(headers ? { headers } : {}) });
    } catch (error) {
      clearTimeout(request.timer);
      this.pending.delete(token);
      request.reject(error as Error);
    }
  }

  /** Requests waiting for their reply (for tests and metrics). */
  get waiting(): number {
    return this.pending.size;
  }

  close(): void {
    this.subscription.unsubscribe();
    this.failAll('closed');
  }

  private settle(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length);
    const request = this.pending.get(token);
    if (!request) return; // answered after its timeout: nobody waits for it any more
    this.pending.delete(token);
    clearTimeout(request.timer);
    if (msg.data.length === 0 && msg.headers?.code === 503) request.reject(new ReplyMuxError('no-responders', request.subject));
    else request.resolve(msg);
  }

  private failAll(failure: RequestFailure): void {
    for (const [token, request] of this.pending) {
      this.pending.delete(token);
      clearTimeout(request.timer);
      request.reject(new ReplyMuxError(failure, request.subject));
    }
  }
}

import { ErrorCode, isRpcErrorPayload, type RpcSubject } from '@polystore/contracts';
import { headers as natsHeaders, nuid, type MsgHdrs } from '@nats-io/transport-node';
import type { NatsLink } from '../nats/connection.js';
import { ReplyMuxError } from '../nats/reply-mux.js';
import { errorCodeOf, type AppMetrics } from '../metrics/app-metrics.js';
import { REQUEST_ID_HEADER, currentRequestId } from '../telemetry/request-scope.js';
import { SpanKind, inSpan, injectIntoNatsHeaders, natsMessagingAttributes } from '../telemetry/tracing.js';
import { RpcError } from './rpc-error.js';

interface NestReply<T> {
  id?: string;
  response?: T;
  err?: unknown;
  isDisposed?: boolean;
}

/**
 * Sends a request to a Nest `@MessagePattern` handler over NATS and waits for its reply.
 *
 * It speaks Nest's packet format (`{ pattern, data, id }` → `{ response | err }`) through the
 * connection's reply mux (nats/reply-mux.ts), rather than Nest's ClientProxy, for two reasons: a
 * subject with no subscriber fails at once ("no responders" → UNAVAILABLE) instead of after the
 * whole timeout, and requests share one reply subscription instead of one subscription each.
 */
export class RpcClient {
  constructor(
    private readonly link: NatsLink,
    private readonly defaultTimeoutMs: number,
    private readonly metrics?: AppMetrics,
  ) {}

  /**
   * Sends `request` on a subject declared with its types (`UsersRpc.getWallet`, ...): the request
   * must be of that subject's request type, and the reply comes back as its reply type.
   */
  async send<Req, Reply>(rpc: RpcSubject<Req, Reply>, request: NoInfer<Req>, timeoutMs = this.defaultTimeoutMs): Promise<Reply> {
    const { subject } = rpc;
    const call = () =>
      inSpan(
        `send ${subject}`,
        { kind: SpanKind.CLIENT, attributes: () => natsMessagingAttributes(subject, { type: 'send', name: 'request' }) },
        () => this.request<Reply>(subject, request, timeoutMs, requestHeaders()),
      );
    if (!this.metrics) return call();
    const end = this.metrics.rpcClientDuration.startTimer({ subject });
    try {
      const reply = await call();
      end({ code: 'OK' });
      return reply;
    } catch (error) {
      end({ code: errorCodeOf(error) });
      throw error;
    }
  }

  private async request<Reply>(subject: string, request: unknown, timeoutMs: number, headers: MsgHdrs | undefined): Promise<Reply> {
    if (!this.link.isConnected) {
      throw new RpcError(ErrorCode.Unavailable, 'The message bus is unavailable; try again later', { subject });
    }
    const packet = JSON.stringify({ pattern: subject, data: request, id: nuid.next() });
    let raw: string;
    try {
      const msg = await this.link.replies.request(subject, packet, timeoutMs, headers);
      raw = msg.string();
    } catch (error) {
      throw toRpcError(error, subject, timeoutMs);
    }
    const reply = JSON.parse(raw) as NestReply<Reply>;
    if (reply.err !== undefined && reply.err !== null) {
      if (isRpcErrorPayload(reply.err)) throw new RpcError(reply.err.code, reply.err.message, reply.err.details);
      throw new RpcError(ErrorCode.Internal, `Service behind ${subject} failed`);
    }
    return reply.response as Reply;
  }
}

/** The NATS headers of a request: the trace context (W3C traceparent) and the request id, when there are any. */
function requestHeaders(): MsgHdrs | undefined {
  const requestId = currentRequestId();
  const h = natsHeaders();
  const traced = injectIntoNatsHeaders(h);
  if (requestId) h.set(REQUEST_ID_HEADER, requestId);
  return traced || requestId ? h : undefined;
}

function toRpcError(error: unknown, subject: string, timeoutMs: number): RpcError {
  const service = subject.split('.')[0];
  if (error instanceof ReplyMuxError && error.failure === 'no-responders') {
    return new RpcError(ErrorCode.Unavailable, `The ${service} service is not running`, { subject });
  }
  if (error instanceof ReplyMuxError && error.failure === 'timeout') {
    return new RpcError(ErrorCode.Timeout, `The ${service} service did not answer within ${timeoutMs} ms`, { subject });
  }
  return new RpcError(ErrorCode.Unavailable, `Could not reach the ${service} service`, { subject });
}

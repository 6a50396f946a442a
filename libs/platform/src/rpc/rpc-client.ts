import { ErrorCode, isRpcErrorPayload, type RpcSubject } from '@polystore/contracts';
import { RequestError, TimeoutError, nuid } from '@nats-io/transport-node';
import type { NatsLink } from '../nats/connection.js';
import { errorCodeOf, type AppMetrics } from '../metrics/app-metrics.js';
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
 * NATS client's own `request`, rather than Nest's ClientProxy, for two reasons: a subject with no
 * subscriber fails at once ("no responders" → UNAVAILABLE) instead of after the whole timeout, and
 * requests share one muxed reply subscription instead of one subscription each.
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
    if (!this.metrics) return this.exchange(rpc.subject, request, timeoutMs);
    const end = this.metrics.rpcClientDuration.startTimer({ subject: rpc.subject });
    try {
      const reply = await this.exchange<Reply>(rpc.subject, request, timeoutMs);
      end({ code: 'OK' });
      return reply;
    } catch (error) {
      end({ code: errorCodeOf(error) });
      throw error;
    }
  }

  private async exchange<Reply>(subject: string, request: unknown, timeoutMs: number): Promise<Reply> {
    if (!this.link.isConnected) {
      throw new RpcError(ErrorCode.Unavailable, 'The message bus is unavailable; try again later', { subject });
    }
    const packet = JSON.stringify({ pattern: subject, data: request, id: nuid.next() });
    let raw: string;
    try {
      const msg = await this.link.connection.request(subject, packet, { timeout: timeoutMs });
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

function toRpcError(error: unknown, subject: string, timeoutMs: number): RpcError {
  const service = subject.split('.')[0];
  if (error instanceof RequestError && error.isNoResponders()) {
    return new RpcError(ErrorCode.Unavailable, `The ${service} service is not running`, { subject });
  }
  if (error instanceof TimeoutError || (error instanceof RequestError && error.cause instanceof TimeoutError)) {
    return new RpcError(ErrorCode.Timeout, `The ${service} service did not answer within ${timeoutMs} ms`, { subject });
  }
  return new RpcError(ErrorCode.Unavailable, `Could not reach the ${service} service`, { subject });
}

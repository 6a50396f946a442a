import { RpcException } from '@nestjs/microservices';
import { ErrorCode, type RpcErrorPayload } from '@polystore/contracts';

/** A failure that crosses NATS as `{ code, message, details }`. */
export class RpcError extends RpcException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super({ code, message, details } satisfies RpcErrorPayload);
  }

  get payload(): RpcErrorPayload {
    return { code: this.code, message: this.message, details: this.details };
  }

  static notFound(what: string, details?: unknown): RpcError {
    return new RpcError(ErrorCode.NotFound, `${what} not found`, details);
  }
  static conflict(message: string, details?: unknown): RpcError {
    return new RpcError(ErrorCode.Conflict, message, details);
  }
  static unauthenticated(message: string): RpcError {
    return new RpcError(ErrorCode.Unauthenticated, message);
  }
  static validation(message: string, details?: unknown): RpcError {
    return new RpcError(ErrorCode.ValidationFailed, message, details);
  }
  static unavailable(message: string, details?: unknown): RpcError {
    return new RpcError(ErrorCode.Unavailable, message, details);
  }
}

import type { ErrorCode } from '@polystore/contracts';

/**
 * A service's rule refused something. Thrown by domain/ and store/ code, which know nothing of
 * RPC: each app names its refusals in its domain/errors.ts (EmailTaken, InsufficientFunds, ...).
 * The code is how callers see the refusal: RpcErrorFilter answers it as `{ code, message, details }`,
 * exactly as it answers an RpcError thrown in api/.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

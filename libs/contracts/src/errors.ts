/**
 * Error codes carried by every RPC failure as `{ code, message, details }`.
 * The gateway maps them to HTTP statuses (see ERROR_HTTP_STATUS).
 */
export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  Unprocessable: 'UNPROCESSABLE',
  InsufficientFunds: 'INSUFFICIENT_FUNDS',
  OutOfStock: 'OUT_OF_STOCK',
  /** A price moved between what the user was shown and what the checkout would charge. */
  PriceChanged: 'PRICE_CHANGED',
  Unavailable: 'UNAVAILABLE',
  Timeout: 'TIMEOUT',
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNPROCESSABLE: 422,
  INSUFFICIENT_FUNDS: 422,
  OUT_OF_STOCK: 422,
  PRICE_CHANGED: 409,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
  INTERNAL: 500,
};

/** The shape of an RPC error on the wire. */
export interface RpcErrorPayload {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export function isRpcErrorPayload(value: unknown): value is RpcErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RpcErrorPayload).code === 'string' &&
    (value as RpcErrorPayload).code in ERROR_HTTP_STATUS_BY_CODE &&
    typeof (value as RpcErrorPayload).message === 'string'
  );
}
const ERROR_HTTP_STATUS_BY_CODE: Record<string, number> = ERROR_HTTP_STATUS;

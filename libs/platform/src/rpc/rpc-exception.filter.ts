import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ErrorCode, type RpcErrorPayload } from '@polystore/contracts';
import { BaseExceptionFilter } from '@nestjs/core';
import { trace } from '@opentelemetry/api';
import { throwError, type Observable } from 'rxjs';
import { DomainError } from '../errors/domain-error.js';
import { recordFailure } from '../telemetry/tracing.js';
import { RpcError } from './rpc-error.js';

/**
 * Turns anything a request/reply handler throws into a typed `{ code, message, details }`:
 * an RpcError (api/) or a DomainError (a rule of domain/ or store/) as it is, with its code.
 * Unknown errors are logged here and leave as INTERNAL without their internals.
 */
@Catch()
export class RpcErrorFilter extends BaseExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('RpcErrorFilter');

  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    // The same app also serves /health over HTTP: leave those errors to Nest's HTTP handling.
    if (host.getType() !== 'rpc') return super.catch(exception, host);
    const payload = this.toPayload(exception);
    // The request's server span (active here) shows the code the caller gets.
    const span = trace.getActiveSpan();
    if (span) recordFailure(span, payload);
    return throwError(() => payload);
  }

  toPayload(exception: unknown): RpcErrorPayload {
    if (exception instanceof RpcError) return exception.payload;
    if (exception instanceof DomainError) return { code: exception.code, message: exception.message, details: exception.details };
    if (isUnavailable(exception)) {
      this.logger.warn(`store or dependency unavailable: ${String((exception as Error).message)}`);
      return { code: ErrorCode.Unavailable, message: 'A dependency of this service is unavailable; try again later' };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { code: ErrorCode.Internal, message: 'Internal error' };
  }
}

/** Connection-level failures of a store or the network: the caller may retry later. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const text = `${(error as { code?: string }).code ?? ''} ${error.name} ${error.message}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P01|57P03|08006|08001|08003|P1001|P1002|P1017|DatabaseNotReachable|Connection terminated|Can't reach database|connection.*(closed|refused)|timeout exceeded when trying to connect|Mongo(ose)?ServerSelectionError|MongoNetwork(Timeout)?Error|MongoPoolClearedError|MongoNotConnectedError|Client must be connected|Cannot call .* before initial connection|Command timed out|Stream isn't writeable|max retries per request|Connection is closed|Query read timeout|NoLivingConnections|ConnectionError|TimeoutError|Request timed out|MongoOperationTimeoutError|MongoServerClosedError|DeadlineExceeded|ChdbTimeoutError|ChdbAbortError|ChdbClosedError/i.test(
    text,
  );
}

import { BadRequestException, Catch, HttpException, Logger, ValidationPipe, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_HTTP_STATUS, ErrorCode } from '@polystore/contracts';
import { RpcError, VALIDATION_OPTIONS, describeProblems, fieldProblems } from '@polystore/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The error name of a 429 (rate limits at the edge; no service answers it). */
export const TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS';

/** What a 503 tells the client to wait before trying again. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

/** The body of every error response. */
export class ErrorBody {
  @ApiProperty({ type: 'integer', example: 400, description: 'The HTTP status again' })
  statusCode!: number;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'An error code: VALIDATION_FAILED, UNAUTHENTICATED, NOT_FOUND, OUT_OF_STOCK, ...' })
  error!: string;

  @ApiProperty({ example: 'limit must be an integer number' })
  message!: string;

  @ApiPropertyOptional({
    description: 'For VALIDATION_FAILED, one { field, problems } per bad field; otherwise what the error has to add',
    oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object' }],
  })
  details?: unknown;
}

/** The methods a route can have (HEAD comes with GET). */
const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Validates request bodies, queries and params: unknown fields rejected, every bad field named. */
export function httpValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    exceptionFactory: (errors) => {
      const problems = fieldProblems(errors);
      return new BadRequestException({
        statusCode: 400,
        error: ErrorCode.ValidationFailed,
        message: describeProblems(problems),
        details: problems,
      } satisfies ErrorBody);
    },
  });
}

/** Fastify's own request errors (before any handler runs), with the status we answer them with. */
const FASTIFY_ERRORS: Record<string, { status: number; error: string; message: (e: Error) => string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: 'MALFORMED_JSON', message: (e) => `body is not valid JSON: ${e.message}` },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, error: 'MALFORMED_JSON', message: () => 'body is empty but content-type is application/json' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, error: 'UNSUPPORTED_MEDIA_TYPE', message: (e) => e.message },
};

/** Maps everything a route throws to one JSON error shape; RPC error codes become HTTP statuses. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  constructor(private readonly bodyLimitBytes?: number) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    // No route matched: whatever went wrong on the way (the framework's not-found, or a body it could not
    // parse for an unknown method such as QUERY), the answer is about the route.
    const body = request.routeOptions?.url === undefined ? this.unroutable(request, reply) : this.toBody(exception);
    // A service or its store is away: say when to try again (they come back on their own).
    if (body.statusCode === 503 && !reply.getHeader('retry-after')) void reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    void reply.status(body.statusCode).send(body);
  }

  /** 405 with Allow when the path has other methods, else 404; in the app's error shape either way. */
  private unroutable(request: FastifyRequest, reply: FastifyReply): ErrorBody {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = ROUTE_METHODS.filter((method) => request.server.findRoute({ method: method as 'GET', url: path }) !== null);
    if (allowed.length === 0) return { statusCode: 404, error: ErrorCode.NotFound, message: `no route ${path}` };
    void reply.header('allow', allowed.join(', '));
    return { statusCode: 405, error: 'METHOD_NOT_ALLOWED', message: `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}` };
  }

  private bodyTooLarge(): ErrorBody {
    const limit = this.bodyLimitBytes ? ` of ${this.bodyLimitBytes} bytes` : '';
    return {
      statusCode: 400,
      error: 'BODY_TOO_LARGE',
      message: `body is larger than the limit${limit}`,
      details: [{ field: 'body', problems: ['too large'] }],
    };
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof RpcError) {
      return { statusCode: ERROR_HTTP_STATUS[exception.code] ?? 500, error: exception.code, message: exception.message, details: exception.details };
    }
    if (exception instanceof HttpException) {
      // Fastify's body limit reaches us as Nest's 413; the issue asks for a 400 naming the problem.
      if (exception.getStatus() === 413) return this.bodyTooLarge();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'error' in response && 'message' in response && 'statusCode' in response) {
        return response as ErrorBody;
      }
      const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? exception.message);
      return { statusCode: exception.getStatus(), error: httpErrorName(exception.getStatus()), message };
    }
    const code = (exception as { code?: string })?.code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return this.bodyTooLarge();
    const known = code ? FASTIFY_ERRORS[code] : undefined;
    if (known) return { statusCode: known.status, error: known.error, message: known.message(exception as Error) };
    const status = (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, error: httpErrorName(status), message: (exception as Error).message };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { statusCode: 500, error: ErrorCode.Internal, message: 'Internal error' };
  }
}

function httpErrorName(status: number): string {
  switch (status) {
    case 400:
      return ErrorCode.ValidationFailed;
    case 401:
      return ErrorCode.Unauthenticated;
    case 403:
      return ErrorCode.Forbidden;
    case 404:
      return ErrorCode.NotFound;
    case 409:
      return ErrorCode.Conflict;
    case 422:
      return ErrorCode.Unprocessable;
    case 429:
      return TOO_MANY_REQUESTS;
    default:
      return status >= 500 ? ErrorCode.Internal : 'BAD_REQUEST';
  }
}

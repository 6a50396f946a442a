import { BadRequestException } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ErrorCode, IDEMPOTENCY_KEY_PATTERN } from '@polystore/contracts';

/** The `Idempotency-Key` header a retry-safe write requires, or a 400 naming it. */
export function requireIdempotencyKey(header: string | undefined): string {
  if (!header || !IDEMPOTENCY_KEY_PATTERN.test(header)) {
    throw new BadRequestException({
      statusCode: 400,
      error: ErrorCode.ValidationFailed,
      message: 'Idempotency-Key header is required: 1-200 letters, digits or . _ : -',
      details: [{ field: 'Idempotency-Key', problems: [header ? 'invalid characters or length' : 'required header'] }],
    });
  }
  return header;
}

/** Documents the required `Idempotency-Key` header with the pattern requireIdempotencyKey enforces. */
export const ApiIdempotencyKey = (description: string): MethodDecorator =>
  ApiHeader({ name: 'Idempotency-Key', required: true, description, schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source } });

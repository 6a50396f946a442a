import { ErrorCode } from '@polystore/contracts';
import { RpcError } from '@polystore/platform';
import { HttpErrorFilter } from './errors.js';

describe('HTTP error mapping', () => {
  const filter = new HttpErrorFilter(65_536);
  const cases: Array<[ErrorCode, number]> = [
    [ErrorCode.ValidationFailed, 400],
    [ErrorCode.Unauthenticated, 401],
    [ErrorCode.Forbidden, 403],
    [ErrorCode.NotFound, 404],
    [ErrorCode.Conflict, 409],
    [ErrorCode.Unprocessable, 422],
    [ErrorCode.InsufficientFunds, 422],
    [ErrorCode.Unavailable, 503],
    [ErrorCode.Timeout, 504],
  ];
  it.each(cases)('%s → %i', (code, status) => {
    const body = filter.toBody(new RpcError(code, 'm', { field: 'f' }));
    expect(body).toEqual({ statusCode: status, error: code, message: 'm', details: { field: 'f' } });
  });

  it('answers an oversize body with 400 and the limit', () => {
    const error = Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
    expect(filter.toBody(error)).toMatchObject({ statusCode: 400, error: 'BODY_TOO_LARGE', message: 'body is larger than the limit of 65536 bytes' });
  });
});

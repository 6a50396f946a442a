import { Logger } from '@nestjs/common';
import { ErrorCode } from '@polystore/contracts';
import { DomainError } from '../errors/domain-error.js';
import { RpcError } from './rpc-error.js';
import { RpcErrorFilter, isUnavailable } from './rpc-exception.filter.js';

describe('RpcErrorFilter', () => {
  const filter = new RpcErrorFilter();
  // The failures below are expected; keep their logs out of the test output.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['error', 'warn', 'log']));

  it('passes typed errors through unchanged', () => {
    expect(filter.toPayload(RpcError.conflict('taken', { field: 'email' }))).toEqual({
      code: ErrorCode.Conflict,
      message: 'taken',
      details: { field: 'email' },
    });
  });

  it('answers a domain error with its code, message and details', () => {
    class EmailTaken extends DomainError {
      constructor() {
        super(ErrorCode.Conflict, 'email is already registered', { field: 'email' });
      }
    }
    expect(filter.toPayload(new EmailTaken())).toEqual({
      code: ErrorCode.Conflict,
      message: 'email is already registered',
      details: { field: 'email' },
    });
  });

  it('turns a lost store connection into UNAVAILABLE', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isUnavailable(refused)).toBe(true);
    expect(filter.toPayload(refused).code).toBe(ErrorCode.Unavailable);
    const mongoAway = Object.assign(new Error('connection <monitor> to 127.0.0.1:57017 closed'), { name: 'MongoNetworkError' });
    expect(isUnavailable(mongoAway)).toBe(true);
    expect(isUnavailable(Object.assign(new Error('Server selection timed out after 3000 ms'), { name: 'MongoServerSelectionError' }))).toBe(true);
  });

  it('hides the internals of anything else', () => {
    const payload = filter.toPayload(new TypeError('x is undefined at secret.ts:12'));
    expect(payload).toEqual({ code: ErrorCode.Internal, message: 'Internal error' });
  });
});

import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import { ErrorCode, RevenueRequest, TopProductsRequest } from '@polystore/contracts';
import { RpcError, rpcValidationPipe } from '@polystore/platform';

const meta = (metatype: new () => unknown): ArgumentMetadata => ({ type: 'body', metatype });
const problems = async (metatype: new () => unknown, value: unknown) => {
  const error = (await rpcValidationPipe()
    .transform(value, meta(metatype))
    .catch((e: unknown) => e)) as RpcError;
  expect(error).toBeInstanceOf(RpcError);
  expect(error.code).toBe(ErrorCode.ValidationFailed);
  return error.details as Array<{ field: string; problems: string[] }>;
};

describe('analytics report requests (unit)', () => {
  it('accepts a range of up to 366 days, both ends included', async () => {
    const value = await rpcValidationPipe().transform({ from: '2024-01-01', to: '2024-12-31', by: 'day' }, meta(RevenueRequest));
    expect(value).toMatchObject({ from: '2024-01-01', to: '2024-12-31' });
  });

  it('refuses a reversed range, naming `to`', async () => {
    expect(await problems(RevenueRequest, { from: '2026-11-10', to: '2026-11-09', by: 'day' })).toEqual([
      { field: 'to', problems: ['to must not be before from'] },
    ]);
  });

  it('refuses a range over a year, naming `to`', async () => {
    const [problem] = await problems(RevenueRequest, { from: '2025-01-01', to: '2026-01-02', by: 'day' });
    expect(problem).toMatchObject({ field: 'to', problems: [expect.stringMatching(/at most 365 days after from/)] });
  });

  it('refuses malformed and impossible dates and unknown dimensions, naming each', async () => {
    const fields = (await problems(TopProductsRequest, { from: '2026-02-30', to: 'soon', by: 'colour', limit: '0' })).map((p) => p.field).sort();
    expect(fields).toEqual(['by', 'from', 'limit', 'to']);
    expect((await problems(RevenueRequest, { from: '2026-11-01', to: '2026-11-02', by: 'brand' }))[0]!.problems[0]).toBe(
      'by must be one of: day, category',
    );
  });
});

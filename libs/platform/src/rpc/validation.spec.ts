import 'reflect-metadata';
import { ArgumentMetadata } from '@nestjs/common';
import { ErrorCode, RegisterRequest, SuggestProductsRequest, UpdateProfileRequest, WalletMovementRequest } from '@polystore/contracts';
import { RpcError } from './rpc-error.js';
import { rpcValidationPipe } from './validation.js';

const meta = (metatype: new () => unknown): ArgumentMetadata => ({ type: 'body', metatype });

describe('RPC payload validation', () => {
  const pipe = rpcValidationPipe();

  it('accepts a valid payload and normalises the email', async () => {
    const value = await pipe.transform({ email: ' Ada@Example.COM ', name: ' Ada ', password: 'long-enough' }, meta(RegisterRequest));
    expect(value).toBeInstanceOf(RegisterRequest);
    expect(value).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
  });

  it('fails with VALIDATION_FAILED naming every bad or unknown field', async () => {
    const error = await pipe.transform({ email: 'nope', password: 1, admin: true }, meta(RegisterRequest)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    const rpc = error as RpcError;
    expect(rpc.code).toBe(ErrorCode.ValidationFailed);
    const fields = (rpc.details as Array<{ field: string }>).map((d) => d.field).sort();
    expect(fields).toEqual(['admin', 'email', 'name', 'password']);
  });

  it('a profile field may be left out, but null names the field (it used to reach the store: 500)', async () => {
    const userId = '0193a3c4-0000-7000-8000-000000000000';
    const fieldsOf = async (body: object) => {
      const error = (await pipe.transform({ userId, ...body }, meta(UpdateProfileRequest)).catch((e: unknown) => e)) as RpcError;
      return error instanceof RpcError ? (error.details as Array<{ field: string }>).map((d) => d.field).sort() : [];
    };
    expect(await fieldsOf({ name: 'Ada King', email: null })).toEqual(['email']);
    expect(await fieldsOf({ name: null, email: 'x@example.com' })).toEqual(['name']);
    expect(await fieldsOf({ name: null, email: null })).toEqual(['email', 'name']);
    expect(await fieldsOf({ name: 'Ada King' })).toEqual([]);
  });

  it('rejects non-integer and negative amounts and odd idempotency keys', async () => {
    const bad = { userId: '0193a3c4-0000-7000-8000-000000000000', amountCents: -1.5, idempotencyKey: 'has space' };
    const error = (await pipe.transform(bad, meta(WalletMovementRequest)).catch((e: unknown) => e)) as RpcError;
    const fields = (error.details as Array<{ field: string }>).map((d) => d.field).sort();
    expect(fields).toEqual(['amountCents', 'idempotencyKey']);
  });

  it('says only "not a whole number" for a number of the wrong kind, not also its range', async () => {
    const bad = { userId: '0193a3c4-0000-7000-8000-000000000000', amountCents: '1.5', idempotencyKey: 'k' };
    const error = (await pipe.transform(bad, meta(WalletMovementRequest)).catch((e: unknown) => e)) as RpcError;
    expect(error.details).toEqual([{ field: 'amountCents', problems: ['amountCents must be an integer number'] }]);
  });

  it('refuses text with a NUL character, which PostgreSQL cannot store (it was a 500)', async () => {
    const error = (await pipe
      .transform({ email: 'ada@example.com', name: 'Ada\u0000', password: 'long-enough' }, meta(RegisterRequest))
      .catch((e: unknown) => e)) as RpcError;
    expect(error.details).toEqual([{ field: 'name', problems: ['name must not contain the NUL character (\\u0000)'] }]);
  });

  it('a suggestion prefix with a character the completion suggester reserves names q (it reached OpenSearch: 500, found by the fuzzer)', async () => {
    for (const q of ['Q\u001f', 'a\u001eb', 'x\u0000']) {
      const error = (await pipe.transform({ q }, meta(SuggestProductsRequest)).catch((e: unknown) => e)) as RpcError;
      expect(error).toBeInstanceOf(RpcError);
      expect((error.details as Array<{ field: string }>).map((d) => d.field)).toEqual(['q']);
    }
    await expect(pipe.transform({ q: 'trai' }, meta(SuggestProductsRequest))).resolves.toMatchObject({ q: 'trai' });
  });
});

import type { RpcError } from '@polystore/platform';

/** Resolves to the RpcError a call failed with; fails the test if the call succeeded. */
export function failure(promise: Promise<unknown>): Promise<RpcError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as RpcError,
  );
}

/**
 * A payload that breaks its subject's contract on purpose (a wrong type, an unknown field), to see
 * the receiving service refuse it. `rpc.send` would not typecheck it otherwise.
 */
export function offContract(payload: Record<string, unknown>): never {
  return payload as never;
}

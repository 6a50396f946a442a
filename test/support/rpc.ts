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

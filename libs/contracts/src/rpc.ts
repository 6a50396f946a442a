/** Type-level only: carries a subject's request and reply types; no value ever has it. */
declare const rpcTypes: unique symbol;

/**
 * A request/reply subject (`<service>.<verb>.v<N>`) together with the types of its request and
 * its reply. At runtime it is `{ subject }` only; the types are phantom. `RpcClient.send` and
 * `@RpcHandler` (libs/platform) take it, so sending the wrong request, reading the reply as
 * something else or answering the wrong type fails the typecheck, on both sides of the wire.
 */
export interface RpcSubject<Req, Reply> {
  readonly subject: string;
  readonly [rpcTypes]: { request: Req; reply: Reply };
}

/** Declares a subject with its request and reply types: `rpcSubject<UserIdRequest, Wallet>('users.get-wallet.v1')`. */
export function rpcSubject<Req, Reply>(subject: string): RpcSubject<Req, Reply> {
  return Object.freeze({ subject }) as RpcSubject<Req, Reply>;
}

/** The request of a subject that takes no parameters. */
export type NoParams = Record<string, never>;

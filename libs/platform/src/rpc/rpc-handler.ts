import 'reflect-metadata';
import { MessagePattern } from '@nestjs/microservices';
import type { RpcSubject } from '@polystore/contracts';

/** A handler of a subject: takes its request (and maybe Nest's context after it) and answers its reply. */
export type RpcHandlerMethod<Req, Reply> = (request: Req, ...rest: any[]) => Promise<Reply> | Reply;

/** What the validation pipe skips (see Nest's ValidationPipe.toValidate): a payload of such a type would go unchecked. */
const UNVALIDATED: unknown[] = [Object, String, Number, Boolean, Array, Date, Buffer, Promise, undefined];

/**
 * `@MessagePattern` for a subject declared with its types: the decorated method must take the
 * subject's request and answer its reply, or the typecheck fails.
 *
 *     @RpcHandler(UsersRpc.getWallet)
 *     get(@Payload() request: UserIdRequest): Promise<Wallet> { ... }
 *
 * Payloads are validated as before, by the global validation pipe against the class of the
 * `@Payload()` parameter; so that this cannot silently stop, the request parameter must be typed
 * with a class (the contract's DTO), not an interface or a type, or the app fails at start-up.
 */
export function RpcHandler<Req, Reply>(rpc: RpcSubject<Req, Reply>) {
  const pattern = MessagePattern(rpc.subject);
  return <M extends RpcHandlerMethod<Req, Reply>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    const params = (Reflect.getMetadata('design:paramtypes', target, key) ?? []) as unknown[];
    if (params.length > 0 && UNVALIDATED.includes(params[0])) {
      throw new Error(
        `${target.constructor.name}.${String(key)} (${rpc.subject}): type its request with the contract's request class, ` +
          'not an interface or a type, so that the validation pipe checks the payload',
      );
    }
    pattern(target, key, descriptor);
  };
}

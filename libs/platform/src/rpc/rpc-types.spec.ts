import 'reflect-metadata';
import { Payload } from '@nestjs/microservices';
import { PATTERN_METADATA } from '@nestjs/microservices/constants.js';
import {
  ProductIdRequest,
  UserIdRequest,
  UsersRpc,
  healthSubject,
  rpcSubject,
  type Product,
  type Wallet,
  type WalletMovementReply,
} from '@polystore/contracts';
import type { NatsLink } from '../nats/connection.js';
import { RpcClient } from './rpc-client.js';
import { RpcHandler } from './rpc-handler.js';

/**
 * Typed subjects on both sides of the wire. Besides the tests run here, this file is a type-level
 * test: `npx tsc --noEmit -p tsconfig.json` (which includes it) fails if any line marked
 * `@ts-expect-error` stops being an error, that is, if a wrong request, a wrong use of a reply or a
 * handler answering the wrong type would typecheck.
 */

const userId = '0193a3c4-0000-7000-8000-000000000000';
const wallet: Wallet = { userId, balanceCents: 500, currency: 'EUR', recentEntries: [] };

/** An RpcClient whose "NATS" answers every request with `response`, recording what was sent. */
function clientAnswering(response: unknown) {
  const sent: Array<{ subject: string; packet: { pattern: string; data: unknown } }> = [];
  const link = {
    isConnected: true,
    replies: {
      request: async (subject: string, packet: string) => {
        sent.push({ subject, packet: JSON.parse(packet) as { pattern: string; data: unknown } });
        return { string: () => JSON.stringify({ response, isDisposed: true }) };
      },
    },
  } as unknown as NatsLink;
  return { rpc: new RpcClient(link, 1_000), sent };
}

describe('typed RPC subjects', () => {
  it('send puts the subject string on the wire and resolves to the reply', async () => {
    const { rpc, sent } = clientAnswering(wallet);
    const reply: Wallet = await rpc.send(UsersRpc.getWallet, { userId });
    expect(reply.balanceCents).toBe(500);
    expect(sent).toEqual([{ subject: 'users.get-wallet.v1', packet: expect.objectContaining({ pattern: 'users.get-wallet.v1', data: { userId } }) }]);
  });

  it('@RpcHandler registers the handler under the subject string', () => {
    class WalletHandlers {
      @RpcHandler(UsersRpc.getWallet)
      get(@Payload() _request: UserIdRequest): Promise<Wallet> {
        return Promise.resolve(wallet);
      }

      @RpcHandler(healthSubject('users'))
      health() {
        return { service: 'users', ok: true, checks: [] };
      }
    }
    expect(Reflect.getMetadata(PATTERN_METADATA, WalletHandlers.prototype.get)).toEqual(['users.get-wallet.v1']);
    expect(Reflect.getMetadata(PATTERN_METADATA, WalletHandlers.prototype.health)).toEqual(['users.health.v1']);
  });

  it('@RpcHandler refuses a request parameter the validation pipe would not check', () => {
    type UserIdShape = { userId: string };
    const declare = () => {
      class Unchecked {
        @RpcHandler(UsersRpc.getWallet)
        get(@Payload() _request: UserIdShape): Promise<Wallet> {
          return Promise.resolve(wallet);
        }
      }
      return Unchecked;
    };
    expect(declare).toThrow(/Unchecked\.get \(users\.get-wallet\.v1\): type its request with the contract's request class/);
  });
});

/** Never called: what must not typecheck. */
export async function typeLevelOnly(rpc: RpcClient): Promise<void> {
  // A wrong request type: products' id where users wants a userId.
  // @ts-expect-error the request of users.get-wallet.v1 is a UserIdRequest
  await rpc.send(UsersRpc.getWallet, { id: userId });

  // @ts-expect-error a required field (idempotencyKey) is missing
  await rpc.send(UsersRpc.creditWallet, { userId, amountCents: 100 });

  // @ts-expect-error a field the contract does not have
  await rpc.send(UsersRpc.getWallet, { userId, includeEntries: true });

  // The request is checked against the subject's type, not inferred from the argument.
  const partial: { userId: string; amountCents: number } = { userId, amountCents: 100 };
  // @ts-expect-error a request of a wider type than the subject's does not pass
  await rpc.send(UsersRpc.debitWallet, partial);

  // A wrong use of the reply.
  // @ts-expect-error users.get-wallet.v1 replies a Wallet, not a Product
  const product: Product = await rpc.send(UsersRpc.getWallet, { userId });
  void product;
  const movement = await rpc.send(UsersRpc.creditWallet, { userId, amountCents: 100, idempotencyKey: 'k' });
  // @ts-expect-error a WalletMovementReply has balanceCents, not balance
  void movement.balance;
  const sameMovement: WalletMovementReply = movement;
  void sameMovement;

  // @ts-expect-error the health subject takes no parameters
  await rpc.send(healthSubject('users'), { verbose: true });

  // @ts-expect-error a bare string is not a subject: it has no types
  await rpc.send('users.get-wallet.v1', { userId });

  // @ts-expect-error the reply type comes from the subject; no explicit `send<T>` any more
  await rpc.send<Wallet>(UsersRpc.getWallet, { userId });

  class WrongHandlers {
    // A handler answering the wrong reply type.
    // @ts-expect-error users.get-wallet.v1 must answer a Wallet
    @RpcHandler(UsersRpc.getWallet)
    get(@Payload() _request: UserIdRequest): Promise<Product> {
      return Promise.reject(new Error('never called'));
    }

    // A handler taking the wrong request type.
    // @ts-expect-error users.get-wallet.v1 sends a UserIdRequest, not a ProductIdRequest
    @RpcHandler(UsersRpc.getWallet)
    other(@Payload() _request: ProductIdRequest): Promise<Wallet> {
      return Promise.resolve(wallet);
    }

    // A synchronous answer of the right type is fine.
    @RpcHandler(rpcSubject<UserIdRequest, { ok: true }>('test.sync.v1'))
    sync(@Payload() _request: UserIdRequest): { ok: true } {
      return { ok: true };
    }
  }
  void WrongHandlers;
}

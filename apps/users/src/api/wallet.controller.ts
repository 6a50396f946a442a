import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CreditWalletRequest,
  DebitWalletRequest,
  RefundWalletRequest,
  UserIdRequest,
  UsersRpc,
  type Wallet,
  type WalletMovementReply,
} from '@polystore/contracts';
import { RpcHandler } from '@polystore/platform';
import { walletMoved } from '../events/users-events.js';
import { WalletStore } from '../store/wallet.store.js';

/** Wallet RPCs; each movement is idempotent by the caller's key. */
@Controller()
export class WalletController {
  constructor(@Inject(WalletStore) private readonly wallets: WalletStore) {}

  @RpcHandler(UsersRpc.getWallet)
  get(@Payload() request: UserIdRequest): Promise<Wallet> {
    return this.wallets.get(request.userId);
  }

  @RpcHandler(UsersRpc.creditWallet)
  credit(@Payload() request: CreditWalletRequest): Promise<WalletMovementReply> {
    return this.wallets.credit(request, walletMoved(request.userId));
  }

  @RpcHandler(UsersRpc.debitWallet)
  debit(@Payload() request: DebitWalletRequest): Promise<WalletMovementReply> {
    return this.wallets.debit(request, walletMoved(request.userId));
  }

  @RpcHandler(UsersRpc.refundWallet)
  refund(@Payload() request: RefundWalletRequest): Promise<WalletMovementReply> {
    return this.wallets.refund(request, walletMoved(request.userId));
  }
}

import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreditWalletRequest,
  DebitWalletRequest,
  RefundWalletRequest,
  UserIdRequest,
  UsersSubjects,
  type Wallet,
  type WalletMovementReply,
} from '@polystore/contracts';
import { walletMoved } from '../events/users-events.js';
import { WalletStore } from '../store/wallet.store.js';

/** Wallet RPCs; each movement is idempotent by the caller's key. */
@Controller()
export class WalletController {
  constructor(@Inject(WalletStore) private readonly wallets: WalletStore) {}

  @MessagePattern(UsersSubjects.getWallet)
  get(@Payload() request: UserIdRequest): Promise<Wallet> {
    return this.wallets.get(request.userId);
  }

  @MessagePattern(UsersSubjects.creditWallet)
  credit(@Payload() request: CreditWalletRequest): Promise<WalletMovementReply> {
    return this.wallets.credit(request, walletMoved(request.userId));
  }

  @MessagePattern(UsersSubjects.debitWallet)
  debit(@Payload() request: DebitWalletRequest): Promise<WalletMovementReply> {
    return this.wallets.debit(request, walletMoved(request.userId));
  }

  @MessagePattern(UsersSubjects.refundWallet)
  refund(@Payload() request: RefundWalletRequest): Promise<WalletMovementReply> {
    return this.wallets.refund(request, walletMoved(request.userId));
  }
}

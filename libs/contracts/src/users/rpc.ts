import { rpcSubject } from '../rpc.js';
import type { LoginReply, ManyUsersReply, PublicUser, UserProfile, Wallet, WalletMovementReply } from './replies.js';
import type {
  CreditWalletRequest,
  DebitWalletRequest,
  GetManyUsersRequest,
  LoginRequest,
  RefundWalletRequest,
  RegisterRequest,
  UpdateProfileRequest,
  UserIdRequest,
} from './requests.js';

/** users' request/reply subjects, with their request and reply types. */
export const UsersRpc = {
  register: rpcSubject<RegisterRequest, UserProfile>('users.register.v1'),
  login: rpcSubject<LoginRequest, LoginReply>('users.login.v1'),
  getProfile: rpcSubject<UserIdRequest, UserProfile>('users.get-profile.v1'),
  updateProfile: rpcSubject<UpdateProfileRequest, UserProfile>('users.update-profile.v1'),
  getPublicUser: rpcSubject<UserIdRequest, PublicUser>('users.get-public-user.v1'),
  getMany: rpcSubject<GetManyUsersRequest, ManyUsersReply>('users.get-many.v1'),
  getWallet: rpcSubject<UserIdRequest, Wallet>('users.get-wallet.v1'),
  creditWallet: rpcSubject<CreditWalletRequest, WalletMovementReply>('users.credit-wallet.v1'),
  debitWallet: rpcSubject<DebitWalletRequest, WalletMovementReply>('users.debit-wallet.v1'),
  refundWallet: rpcSubject<RefundWalletRequest, WalletMovementReply>('users.refund-wallet.v1'),
} as const;

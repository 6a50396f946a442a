import type { EraseUserRequest, ErasureStatus, ErasuresRepublished, RepublishErasuresRequest } from '../erasure/requests.js';
import { rpcSubject } from '../rpc.js';
import type { LoginReply, PublicUser, UserContacts, UserProfile, Wallet, WalletMovementReply } from './replies.js';
import type {
  CreditWalletRequest,
  DebitWalletRequest,
  LoginRequest,
  RefundWalletRequest,
  RegisterRequest,
  UpdateProfileRequest,
  UserIdRequest,
  UserIdsRequest,
} from './requests.js';

/** users' request/reply subjects, with their request and reply types. */
export const UsersRpc = {
  register: rpcSubject<RegisterRequest, UserProfile>('users.register.v1'),
  login: rpcSubject<LoginRequest, LoginReply>('users.login.v1'),
  getProfile: rpcSubject<UserIdRequest, UserProfile>('users.get-profile.v1'),
  updateProfile: rpcSubject<UpdateProfileRequest, UserProfile>('users.update-profile.v1'),
  getPublicUser: rpcSubject<UserIdRequest, PublicUser>('users.get-public-user.v1'),
  /** Up to 1000 users' names and emails in one request (unknown ids left out). */
  getMany: rpcSubject<UserIdsRequest, UserContacts>('users.get-many.v1'),
  getWallet: rpcSubject<UserIdRequest, Wallet>('users.get-wallet.v1'),
  creditWallet: rpcSubject<CreditWalletRequest, WalletMovementReply>('users.credit-wallet.v1'),
  debitWallet: rpcSubject<DebitWalletRequest, WalletMovementReply>('users.debit-wallet.v1'),
  refundWallet: rpcSubject<RefundWalletRequest, WalletMovementReply>('users.refund-wallet.v1'),
  eraseUser: rpcSubject<EraseUserRequest, ErasureStatus>('users.erase-user.v1'),
  getErasure: rpcSubject<UserIdRequest, ErasureStatus>('users.get-erasure.v1'),
  republishErasures: rpcSubject<RepublishErasuresRequest, ErasuresRepublished>('users.republish-erasures.v1'),
} as const;

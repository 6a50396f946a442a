import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  LoginRequest,
  RegisterRequest,
  UpdateProfileRequest,
  UserIdRequest,
  UserIdsRequest,
  UsersRpc,
  type UserContacts,
  type LoginReply,
  type PublicUser,
  type UserProfile,
} from '@polystore/contracts';
import { RpcHandler } from '@polystore/platform';
import { AccountsService } from './accounts.service.js';

@Controller()
export class AccountsController {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @RpcHandler(UsersRpc.register)
  register(@Payload() request: RegisterRequest): Promise<UserProfile> {
    return this.accounts.register(request);
  }

  @RpcHandler(UsersRpc.login)
  login(@Payload() request: LoginRequest): Promise<LoginReply> {
    return this.accounts.login(request);
  }

  @RpcHandler(UsersRpc.getProfile)
  profile(@Payload() request: UserIdRequest): Promise<UserProfile> {
    return this.accounts.profile(request.userId);
  }

  @RpcHandler(UsersRpc.updateProfile)
  updateProfile(@Payload() request: UpdateProfileRequest): Promise<UserProfile> {
    return this.accounts.updateProfile(request);
  }

  @RpcHandler(UsersRpc.getPublicUser)
  publicUser(@Payload() request: UserIdRequest): Promise<PublicUser> {
    return this.accounts.publicUser(request.userId);
  }

  @RpcHandler(UsersRpc.getMany)
  many(@Payload() request: UserIdsRequest): Promise<UserContacts> {
    return this.accounts.many(request.userIds);
  }
}

import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  GetManyUsersRequest,
  LoginRequest,
  RegisterRequest,
  UpdateProfileRequest,
  UserIdRequest,
  UsersRpc,
  type LoginReply,
  type ManyUsersReply,
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

  @RpcHandler(UsersRpc.getMany)
  getMany(@Payload() request: GetManyUsersRequest): Promise<ManyUsersReply> {
    return this.accounts.getMany(request.userIds);
  }

  @RpcHandler(UsersRpc.getPublicUser)
  publicUser(@Payload() request: UserIdRequest): Promise<PublicUser> {
    return this.accounts.publicUser(request.userId);
  }
}

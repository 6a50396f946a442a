import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  LoginRequest,
  RegisterRequest,
  UpdateProfileRequest,
  UserIdRequest,
  UsersSubjects,
  type LoginReply,
  type PublicUser,
  type UserProfile,
} from '@polystore/contracts';
import { AccountsService } from './accounts.service.js';

@Controller()
export class AccountsController {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @MessagePattern(UsersSubjects.register)
  register(@Payload() request: RegisterRequest): Promise<UserProfile> {
    return this.accounts.register(request);
  }

  @MessagePattern(UsersSubjects.login)
  login(@Payload() request: LoginRequest): Promise<LoginReply> {
    return this.accounts.login(request);
  }

  @MessagePattern(UsersSubjects.getProfile)
  profile(@Payload() request: UserIdRequest): Promise<UserProfile> {
    return this.accounts.profile(request.userId);
  }

  @MessagePattern(UsersSubjects.updateProfile)
  updateProfile(@Payload() request: UpdateProfileRequest): Promise<UserProfile> {
    return this.accounts.updateProfile(request);
  }

  @MessagePattern(UsersSubjects.getPublicUser)
  publicUser(@Payload() request: UserIdRequest): Promise<PublicUser> {
    return this.accounts.publicUser(request.userId);
  }
}

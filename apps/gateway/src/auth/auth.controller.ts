import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { LoginReply, LoginRequest, RegisterRequest, UserProfile, UsersRpc } from '@polystore/contracts';
import { RpcClient } from '@polystore/platform';
import { Public } from './jwt-auth.guard.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Public()
  @Post('register')
  @ApiCreatedResponse({ type: UserProfile })
  @ApiConflictResponse({ description: 'email is already registered' })
  register(@Body() body: RegisterRequest): Promise<UserProfile> {
    return this.rpc.send(UsersRpc.register, body);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginReply })
  @ApiUnauthorizedResponse({ description: 'email or password is wrong' })
  login(@Body() body: LoginRequest): Promise<LoginReply> {
    return this.rpc.send(UsersRpc.login, body);
  }
}

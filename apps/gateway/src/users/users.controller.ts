import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  EraseMeBody,
  ErasureStatus,
  ProfileChanges,
  PublicUser,
  UserProfile,
  UsersRpc,
  Wallet,
  WalletAmount,
  WalletMovementReply,
} from '@polystore/contracts';
import { RpcClient } from '@polystore/platform';
import { IsUUID } from 'class-validator';
import { CurrentCaller, Roles, type Caller } from '../auth/jwt-auth.guard.js';
import { ApiIdempotencyKey, requireIdempotencyKey } from '../http/idempotency-key.js';
import { ApiErrors } from '../http/openapi.js';

class UserIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'id must be a UUID' })
  id!: string;
}

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get('me')
  @ApiOkResponse({ type: UserProfile })
  @ApiErrors([404, 'the token’s user no longer exists'])
  me(@CurrentCaller() caller: Caller): Promise<UserProfile> {
    return this.rpc.send(UsersRpc.getProfile, { userId: caller.id });
  }

  @Patch('me')
  @ApiOkResponse({ type: UserProfile })
  @ApiErrors([404, 'the token’s user no longer exists'], [409, 'email is already registered'])
  updateMe(@CurrentCaller() caller: Caller, @Body() body: ProfileChanges): Promise<UserProfile> {
    return this.rpc.send(UsersRpc.updateProfile, { ...body, userId: caller.id });
  }

  @Get('me/wallet')
  @ApiOkResponse({ type: Wallet })
  @ApiErrors([404, 'the token’s user no longer exists'])
  wallet(@CurrentCaller() caller: Caller): Promise<Wallet> {
    return this.rpc.send(UsersRpc.getWallet, { userId: caller.id });
  }

  /**
   * Top-up. In a real system this would sit behind a payment provider's confirmed
   * payment (webhook), never be called with an amount straight from the client.
   */
  @Post('me/wallet/credit')
  @ApiIdempotencyKey('Repeat a request with the same key to retry it safely')
  @ApiCreatedResponse({ type: WalletMovementReply, description: 'Credited (or, with a key already used, the same answer again: replayed)' })
  @ApiErrors(
    [404, 'the token’s user no longer exists'],
    [409, 'this key was already used for a different movement'],
    [422, 'the balance would exceed its limit'],
  )
  credit(
    @CurrentCaller() caller: Caller,
    @Body() body: WalletAmount,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<WalletMovementReply> {
    return this.rpc.send(UsersRpc.creditWallet, {
      ...body,
      userId: caller.id,
      // Namespaced so a client-chosen key can never collide with keys other services use.
      idempotencyKey: `topup:${requireIdempotencyKey(idempotencyKey)}`,
    });
  }

  @Delete('me')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Erase my account and everything every service holds about me (right to be forgotten)',
    description:
      'The account is a tombstone at once (login fails from then on); every service that keeps data about users erases its part ' +
      'and reports back. Follow it at GET /users/me/erasure (the token stays valid until it expires). Asking again answers the same erasure.',
  })
  @ApiAcceptedResponse({ type: ErasureStatus, description: 'Erasure recorded; services report as they finish' })
  @ApiErrors([401, 'UNAUTHENTICATED: no valid token, or the password is wrong'], [404, 'the token’s user no longer exists'])
  eraseMe(@CurrentCaller() caller: Caller, @Body() body: EraseMeBody): Promise<ErasureStatus> {
    return this.rpc.send(UsersRpc.eraseUser, { userId: caller.id, requestedBy: 'self', password: body.password });
  }

  @Get('me/erasure')
  @ApiOkResponse({ type: ErasureStatus, description: 'My erasure, per service' })
  @ApiErrors([404, 'no erasure was asked for this user'])
  myErasure(@CurrentCaller() caller: Caller): Promise<ErasureStatus> {
    return this.rpc.send(UsersRpc.getErasure, { userId: caller.id });
  }

  @Delete(':id')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({ summary: 'Erase a user (admin): as DELETE /users/me, without their password' })
  @ApiAcceptedResponse({ type: ErasureStatus, description: 'Erasure recorded; services report as they finish' })
  @ApiErrors(404)
  erase(@Param() params: UserIdParam): Promise<ErasureStatus> {
    return this.rpc.send(UsersRpc.eraseUser, { userId: params.id, requestedBy: 'admin' });
  }

  @Get(':id/erasure')
  @Roles('admin')
  @ApiOkResponse({ type: ErasureStatus, description: 'The user’s erasure, per service' })
  @ApiErrors([404, 'no erasure was asked for this user'])
  erasure(@Param() params: UserIdParam): Promise<ErasureStatus> {
    return this.rpc.send(UsersRpc.getErasure, { userId: params.id });
  }

  @Get(':id')
  @ApiOkResponse({ type: PublicUser })
  @ApiErrors(404)
  byId(@Param() params: UserIdParam): Promise<PublicUser> {
    return this.rpc.send(UsersRpc.getPublicUser, { userId: params.id });
  }
}

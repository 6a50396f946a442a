import { Body, Controller, Get, Headers, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ProfileChanges, PublicUser, UserProfile, UsersRpc, Wallet, WalletAmount, WalletMovementReply } from '@polystore/contracts';
import { RpcClient } from '@polystore/platform';
import { IsUUID } from 'class-validator';
import { CurrentCaller, type Caller } from '../auth/jwt-auth.guard.js';
import { requireIdempotencyKey } from '../http/idempotency-key.js';

class UserIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID(undefined, { message: 'id must be a UUID' })
  id!: string;
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get('me')
  @ApiOkResponse({ type: UserProfile })
  me(@CurrentCaller() caller: Caller): Promise<UserProfile> {
    return this.rpc.send(UsersRpc.getProfile, { userId: caller.id });
  }

  @Patch('me')
  @ApiOkResponse({ type: UserProfile })
  updateMe(@CurrentCaller() caller: Caller, @Body() body: ProfileChanges): Promise<UserProfile> {
    return this.rpc.send(UsersRpc.updateProfile, { ...body, userId: caller.id });
  }

  @Get('me/wallet')
  @ApiOkResponse({ type: Wallet })
  wallet(@CurrentCaller() caller: Caller): Promise<Wallet> {
    return this.rpc.send(UsersRpc.getWallet, { userId: caller.id });
  }

  /**
   * Top-up. In a real system this would sit behind a payment provider's confirmed
   * payment (webhook), never be called with an amount straight from the client.
   */
  @Post('me/wallet/credit')
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Repeat a request with the same key to retry it safely' })
  @ApiOkResponse({ type: WalletMovementReply })
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

  @Get(':id')
  @ApiOkResponse({ type: PublicUser })
  byId(@Param() params: UserIdParam): Promise<PublicUser> {
    return this.rpc.send(UsersRpc.getPublicUser, { userId: params.id });
  }
}

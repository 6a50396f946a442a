import { Body, Controller, HttpCode, HttpException, Inject, Ip, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, LoginReply, LoginRequest, RegisterRequest, UserProfile, UsersRpc } from '@polystore/contracts';
import { RpcClient, RpcError } from '@polystore/platform';
import type { FastifyReply } from 'fastify';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';
import { TOO_MANY_REQUESTS, type ErrorBody } from '../http/errors.js';
import { ApiErrors } from '../http/openapi.js';
import { RateLimiter } from '../http/rate-limit.js';
import { Public } from './jwt-auth.guard.js';

/**
 * Register and log in, with two limits against guessing and flooding: attempts per client address
 * (both routes), and failed logins per account (cleared by a successful one).
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  private readonly attemptsByAddress: RateLimiter;
  private readonly loginFailuresByAccount: RateLimiter;

  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.attemptsByAddress = new RateLimiter(config.authAttemptsPerAddressPerMinute, 60_000);
    this.loginFailuresByAccount = new RateLimiter(config.loginFailuresPerAccount, config.loginFailureWindowMinutes * 60_000);
  }

  @Public()
  @Post('register')
  @ApiCreatedResponse({ type: UserProfile })
  @ApiErrors([409, 'email is already registered'], [429, 'too many attempts from this address; Retry-After says when to try again'])
  register(@Body() body: RegisterRequest, @Ip() address: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<UserProfile> {
    this.admit(reply, this.attemptsByAddress, `address:${address}`, 'too many attempts from this address');
    this.attemptsByAddress.hit(`address:${address}`);
    return this.rpc.send(UsersRpc.register, body);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginReply })
  @ApiErrors(
    [401, 'email or password is wrong'],
    [429, 'too many attempts from this address, or failed logins for this account; Retry-After says when to try again'],
  )
  async login(@Body() body: LoginRequest, @Ip() address: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginReply> {
    const account = `account:${body.email}`;
    this.admit(reply, this.attemptsByAddress, `address:${address}`, 'too many attempts from this address');
    this.admit(reply, this.loginFailuresByAccount, account, 'too many failed logins for this account');
    this.attemptsByAddress.hit(`address:${address}`);
    try {
      const result = await this.rpc.send(UsersRpc.login, body);
      this.loginFailuresByAccount.reset(account);
      return result;
    } catch (error) {
      if (error instanceof RpcError && error.code === ErrorCode.Unauthenticated) this.loginFailuresByAccount.hit(account);
      throw error;
    }
  }

  /** Refuses with 429 and Retry-After while `key` is over its limit. */
  private admit(reply: FastifyReply, limiter: RateLimiter, key: string, why: string): void {
    const retryAfter = limiter.retryAfterSeconds(key);
    if (retryAfter === 0) return;
    void reply.header('retry-after', String(retryAfter));
    throw new HttpException(
      {
        statusCode: 429,
        error: TOO_MANY_REQUESTS,
        message: `${why}; try again in ${retryAfter} s`,
        details: { retryAfterSeconds: retryAfter },
      } satisfies ErrorBody,
      429,
    );
  }
}

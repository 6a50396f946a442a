import {
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  ForbiddenException,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ErrorCode, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, USER_ROLES, type AccessTokenClaims, type UserRole } from '@polystore/contracts';
import type { FastifyRequest } from 'fastify';

/** Who is calling, from a verified access token. */
export interface Caller {
  id: string;
  role: UserRole;
}

type AuthedRequest = FastifyRequest & { caller?: Caller };

const PUBLIC_ROUTE = 'polystore:public';
const ROLES = 'polystore:roles';
/** Marks a route as reachable without a token. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** Restricts a route to these roles (from the token's `role` claim). */
export const Roles = (...roles: UserRole[]) => SetMetadata(ROLES, roles);

export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<AuthedRequest>().caller;
  if (!caller) throw new UnauthorizedException();
  return caller;
});

/**
 * Every route needs a valid bearer token unless marked @Public(). Tokens are ES256 and
 * verified with users' public key, so the gateway can check tokens but never mint one.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw unauthenticated('missing bearer token: send Authorization: Bearer <accessToken>');
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims & object>(match[1]!, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      });
    } catch (error) {
      const expired = (error as Error).name === 'TokenExpiredError';
      throw unauthenticated(expired ? 'access token has expired; log in again' : 'access token is invalid');
    }
    if (typeof claims.sub !== 'string' || !(USER_ROLES as readonly string[]).includes(claims.role)) {
      throw unauthenticated('access token is invalid');
    }
    request.caller = { id: claims.sub, role: claims.role };
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(claims.role)) {
      throw new ForbiddenException({ statusCode: 403, error: ErrorCode.Forbidden, message: `requires role ${roles.join(' or ')}` });
    }
    return true;
  }
}

function unauthenticated(message: string): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, error: ErrorCode.Unauthenticated, message });
}

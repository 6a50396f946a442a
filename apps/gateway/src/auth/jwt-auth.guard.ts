import {
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  ForbiddenException,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, type UserRole } from '@polystore/contracts';
import { inSpanSync, setHttpUser } from '@polystore/platform';
import type { FastifyRequest } from 'fastify';
import { TokenVerifier } from './token-verifier.js';

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

/** Who may call a route: anyone (public), or a token holder, perhaps of certain roles only (for the OpenAPI document). */
export function accessOf(controller: Type, handler: (...args: unknown[]) => unknown): { public: boolean; roles?: UserRole[] } {
  const reflector = new Reflector();
  const targets = [handler, controller];
  return {
    public: reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) ?? false,
    roles: reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets),
  };
}

export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<AuthedRequest>().caller;
  if (!caller) throw new UnauthorizedException();
  return caller;
});

/** The caller when the request carried a valid token, else null (for public routes that are richer when signed in). */
export const OptionalCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller | null => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().caller ?? null;
});

/**
 * Every route needs a valid bearer token unless marked @Public(); on a public route a valid
 * token still identifies the caller (an invalid one is ignored there). Tokens are ES256 and
 * verified with users' public key (TokenVerifier), so the gateway can check tokens but never mint one.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    @Inject(TokenVerifier) private readonly tokens: TokenVerifier,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  /** Traced as `guard JwtAuthGuard`; the caller's user id goes on the request's span (never the token). */
  canActivate(context: ExecutionContext): boolean {
    return inSpanSync('guard JwtAuthGuard', {}, () => {
      const allowed = this.check(context);
      const request = context.switchToHttp().getRequest<AuthedRequest>();
      if (request.caller) setHttpUser(request, request.caller.id);
      return allowed;
    });
  }

  private check(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      const verification = match ? this.tokens.verify(match[1]!) : null;
      if (verification?.ok) request.caller = { id: verification.claims.sub, role: verification.claims.role };
      return true;
    }
    if (!match) throw unauthenticated('missing bearer token: send Authorization: Bearer <accessToken>');
    const verification = this.tokens.verify(match[1]!);
    if (!verification.ok) {
      throw unauthenticated(verification.reason === 'expired' ? 'access token has expired; log in again' : 'access token is invalid');
    }
    const claims = verification.claims;
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

import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, USER_ROLES, type AccessTokenClaims } from '@polystore/contracts';

export type Verification = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Verifies users' ES256 access tokens with the public key. The key is parsed once (parsing the
 * PEM on every request cost 3× the verification itself), and a verified token is remembered
 * until it expires, so a client's repeated calls skip the signature check (the most expensive
 * step of a request's auth). Remembering is as safe as verifying again: a token is stateless and
 * nothing revokes one before its `exp` (a changed role applies from the next login), so the
 * answer for a token changes only when it expires, which every hit checks. The cache is bounded
 * and least-recently-used: a token in use stays, the ones of clients gone quiet leave first.
 */
export class TokenVerifier {
  private readonly key: KeyObject;
  private readonly cache = new Map<string, { claims: AccessTokenClaims; expiresAtMs: number }>();

  constructor(
    publicKeyPem: string,
    private readonly maxCached = 10_000,
  ) {
    this.key = createPublicKey(publicKeyPem);
  }

  verify(token: string): Verification {
    const now = Date.now();
    const cached = this.cache.get(token);
    if (cached) {
      this.cache.delete(token);
      if (cached.expiresAtMs <= now) return { ok: false, reason: 'expired' };
      // Inserted again, it is now the most recently used (a Map keeps insertion order).
      this.cache.set(token, cached);
      return { ok: true, claims: cached.claims };
    }
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.key, { algorithms: [TOKEN_ALGORITHM], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE }) as jwt.JwtPayload;
    } catch (error) {
      return { ok: false, reason: (error as Error).name === 'TokenExpiredError' ? 'expired' : 'invalid' };
    }
    if (typeof payload.sub !== 'string' || !(USER_ROLES as readonly string[]).includes(payload.role) || typeof payload.exp !== 'number') {
      return { ok: false, reason: 'invalid' };
    }
    const claims: AccessTokenClaims = { sub: payload.sub, role: payload.role };
    // The least recently used goes first: the first key in the Map's order.
    if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(token, { claims, expiresAtMs: payload.exp * 1000 });
    return { ok: true, claims };
  }

  /** Whether a verification of this token is remembered (what the cache holds, for tests). */
  isCached(token: string): boolean {
    return this.cache.has(token);
  }
}

import { jest } from '@jest/globals';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@polystore/contracts';
import { TokenVerifier } from './token-verifier.js';

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function token(sub: string, expiresInSeconds = 900, key: KeyObject = keys.privateKey): string {
  return jwt.sign({ sub, role: 'customer' }, key, {
    algorithm: TOKEN_ALGORITHM,
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    expiresIn: expiresInSeconds,
  });
}

describe('TokenVerifier', () => {
  afterEach(() => jest.restoreAllMocks());

  it('accepts a token signed with the key, and remembers it', () => {
    const verifier = new TokenVerifier(publicPem);
    const t = token('u1');
    expect(verifier.verify(t)).toEqual({ ok: true, claims: { sub: 'u1', role: 'customer' } });
    expect(verifier.isCached(t)).toBe(true);
    expect(verifier.verify(t)).toEqual({ ok: true, claims: { sub: 'u1', role: 'customer' } });
  });

  it('refuses a token signed with another key, and remembers nothing of it', () => {
    const verifier = new TokenVerifier(publicPem);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const t = token('u1', 900, other);
    expect(verifier.verify(t)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifier.isCached(t)).toBe(false);
  });

  it('answers "expired" for a remembered token once its exp has passed', () => {
    const verifier = new TokenVerifier(publicPem);
    const t = token('u1', 60);
    expect(verifier.verify(t).ok).toBe(true);
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    expect(verifier.verify(t)).toEqual({ ok: false, reason: 'expired' });
    expect(verifier.isCached(t)).toBe(false);
  });

  it('keeps at most maxCached tokens, dropping the least recently used', () => {
    const verifier = new TokenVerifier(publicPem, 2);
    const [a, b, c] = [token('a'), token('b'), token('c')];
    verifier.verify(a);
    verifier.verify(b);
    verifier.verify(a); // a is now the most recently used
    verifier.verify(c);
    expect([a, b, c].map((t) => verifier.isCached(t))).toEqual([true, false, true]);
  });
});

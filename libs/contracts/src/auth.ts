import type { UserRole } from './users/replies.js';

/** Claims of the access token users issues (ES256) and the gateway verifies with the public key. */
export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
}
export const TOKEN_ISSUER = 'polystore-users';
export const TOKEN_AUDIENCE = 'polystore';
export const TOKEN_ALGORITHM = 'ES256';

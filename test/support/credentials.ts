/**
 * Store logins and admin URLs for ownership tests ("A's login is refused on B's store"). `npm test`
 * passes them (derived from the manifest) as POLYSTORE_SERVICE_CREDENTIALS and
 * POLYSTORE_POSTGRES_ADMIN_URLS; no app ever reads these.
 */
export interface ServiceCredential {
  service: string;
  user: string;
  password: string;
}

function fromEnv<T>(name: string): T {
  const raw = process.env[name];
  if (!raw) throw new Error(`${name} is not set: run through \`npm test\``);
  return JSON.parse(raw) as T;
}

export function otherServicesCredentials(owner: string): ServiceCredential[] {
  return fromEnv<ServiceCredential[]>('POLYSTORE_SERVICE_CREDENTIALS')
    .filter((c) => c.service !== owner)
    .map(({ service, user, password }) => ({ service, user, password }));
}

/** The admin URL of a PostgreSQL service's cluster (its `postgres` maintenance database). */
export function postgresAdminUrl(service: string): string {
  const url = fromEnv<Record<string, string>>('POLYSTORE_POSTGRES_ADMIN_URLS')[service];
  if (!url) throw new Error(`no PostgreSQL admin URL for ${service}`);
  return url;
}

/** The test stack's ES256 key files (users signs tokens, the gateway verifies them). */
export function jwtKeyFiles(): { privateKeyFile: string; publicKeyFile: string } {
  const privateKeyFile = process.env.USERS_JWT_PRIVATE_KEY_FILE;
  const publicKeyFile = process.env.GATEWAY_JWT_PUBLIC_KEY_FILE;
  if (!privateKeyFile || !publicKeyFile) throw new Error('the JWT key files are not set: run through `npm test`');
  return { privateKeyFile, publicKeyFile };
}

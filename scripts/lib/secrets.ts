// A stack's credentials: random passwords generated at the stack's first start into its own
// git-ignored data folder (`.data/<stack>/secrets/credentials.json`, readable by its owner only),
// read from there afterwards. Nothing in the repository holds a password: the stores are
// initialised with these, and each app is given only its own (stack.ts appEnv).
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_NAMES, SERVICE_NAMES } from '../../manifest.ts';

/** Every credential a stack has, by name (see credentialNames). */
export type Credentials = Record<string, string>;

/** The engines' operator logins (no app has one), FerretDB's login to its PostgreSQL, Grafana's admin (compose). */
export const ADMIN_CREDENTIALS = ['postgres', 'redis', 'mongodb', 'opensearch', 'ferretdbBackend', 'grafana'] as const;
export type AdminCredential = (typeof ADMIN_CREDENTIALS)[number];

/** The names of a stack's credentials: each service's store login, each app's NATS user (and ops'), the operators'. */
export function credentialNames(): string[] {
  return [
    ...SERVICE_NAMES.map((service) => `store.${service}`),
    ...[...APP_NAMES, 'ops'].map((app) => `nats.${app}`),
    ...ADMIN_CREDENTIALS.map((admin) => `admin.${admin}`),
  ];
}

export const secretsDir = (dataDir: string): string => join(dataDir, 'secrets');
export const credentialsFile = (dataDir: string): string => join(secretsDir(dataDir), 'credentials.json');

/** 24 random bytes, URL-safe: usable unescaped in a URL, a SQL string, nats.conf and a Redis ACL. */
export const newPassword = (): string => randomBytes(24).toString('base64url');

const cache = new Map<string, Credentials>();

function read(file: string): Credentials {
  return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
}

/**
 * The stack's credentials, generating those missing (all of them at the first start; a service
 * added to the manifest later gets its own). The first writer wins: two processes starting
 * together read the same file.
 */
export function ensureCredentials(dataDir: string): Credentials {
  const file = credentialsFile(dataDir);
  const wanted = credentialNames();
  const current = existsSync(file) ? read(file) : null;
  if (current && wanted.every((name) => current[name])) {
    cache.set(dataDir, current);
    return current;
  }
  mkdirSync(secretsDir(dataDir), { recursive: true, mode: 0o700 });
  const next: Credentials = { ...current };
  for (const name of wanted) next[name] ??= newPassword();
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  if (current) renameSync(tmp, file);
  else {
    try {
      linkSync(tmp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  const written = read(file);
  cache.set(dataDir, written);
  return written;
}

/** One credential of a stack that has been started (its credentials file exists). */
export function credential(dataDir: string, name: string): string {
  let all = cache.get(dataDir);
  if (!all) {
    const file = credentialsFile(dataDir);
    if (!existsSync(file))
      throw new Error(`${file} does not exist yet: the stack's credentials are made at its first start (npm start, npm test, npm run infra:up)`);
    all = read(file);
    cache.set(dataDir, all);
  }
  const value = all[name];
  if (!value) throw new Error(`no credential "${name}" in ${credentialsFile(dataDir)} yet: start the stack once (npm run infra:up) to generate it`);
  return value;
}

/**
 * Data a stack's stores were initialised with before credentials were generated (they hold the
 * old constant passwords): a data folder with store folders in it but no credentials file.
 */
export function holdsDataWithoutCredentials(dataDir: string): boolean {
  if (!existsSync(dataDir) || existsSync(credentialsFile(dataDir))) return false;
  const entries = readdirSync(dataDir);
  return entries.some((entry) => entry === 'nats' || (SERVICE_NAMES as string[]).includes(entry));
}

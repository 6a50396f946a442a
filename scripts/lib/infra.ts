// Brings up the real infrastructure a stack needs, on loopback, with data under the stack's
// data folder: through `docker compose` when a Docker engine answers (dev stack only), otherwise
// as local processes, each store by its kind's provisioner (scripts/lib/stores/).
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { dirname, join } from 'node:path';
import { SERVICE_NAMES } from '../../manifest.ts';
import { composeSecretFiles, composeSecretsPath, composeStoreName } from './compose.ts';
import { ROOT, isRoot, run, tryRun } from './proc.ts';
import { ensureCredentials, holdsDataWithoutCredentials, type Credentials } from './secrets.ts';
import { allPorts, type JwtKeyFiles, type Stack } from './stack.ts';
import { NATS, provisionerOf, type Started } from './stores/index.ts';
import { postgresFallbackDirs } from './stores/postgres.ts';

const say = (msg: string) => console.log(`infra: ${msg}`);

// ---------------------------------------------------------------- docker

export async function dockerEngineAnswers(): Promise<boolean> {
  if (process.env.POLYSTORE_NO_DOCKER === '1') return false;
  const { code } = await tryRun('docker', ['info', '--format', '{{.ServerVersion}}']);
  if (code !== 0) return false;
  const compose = await tryRun('docker', ['compose', 'version']);
  return compose.code === 0;
}

/**
 * docker-compose's secrets (env files, the Redis ACL file, OpenSearch's users) from the dev stack's
 * credentials, into its git-ignored secrets folder (`npm run compose:secrets`; `npm start` with Docker).
 */
export function writeComposeSecrets(credentials: Credentials): string[] {
  const written: string[] = [];
  for (const [file, text] of Object.entries(composeSecretFiles(credentials))) {
    const path = composeSecretsPath(ROOT, file);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Containers read their mounted files as their own users (OpenSearch's uid 1000, redis): the
    // files and a mounted folder are readable; the secrets folder above them stays the owner's only.
    if (dirname(path) !== composeSecretsPath(ROOT, '.')) chmodSync(dirname(path), 0o755);
    writeFileSync(path, text, { mode: 0o644 });
    written.push(path);
  }
  return written;
}

export async function composeUp(services: string[]): Promise<void> {
  say(`docker compose up ${services.join(' ')}`);
  await run('docker', ['compose', 'up', '-d', '--wait', ...services], { quiet: false });
}

// ---------------------------------------------------------------- keys

/** Where a stack keeps its access-token key pair. */
export const jwtKeysDir = (s: Stack): string => join(s.dataDir, 'keys');

/** The ES256 key pair for access tokens: users signs with the private key, the gateway verifies with the public one. */
export function ensureJwtKeys(dir: string): JwtKeyFiles {
  const privateKeyFile = join(dir, 'jwt-es256.key.pem');
  const publicKeyFile = join(dir, 'jwt-es256.pub.pem');
  if (!existsSync(privateKeyFile) || !existsSync(publicKeyFile)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    writeFileSync(privateKeyFile, privateKey, { mode: 0o600 });
    writeFileSync(publicKeyFile, publicKey, { mode: 0o644 });
  }
  return { privateKeyFile, publicKeyFile };
}

// ---------------------------------------------------------------- all of it

/**
 * The stack's ports (54222…59210) lie inside Linux's ephemeral port range (32768–60999), so an
 * outgoing connection — FerretDB's pool to its PostgreSQL, say — can be given one of them as its
 * local port just before the server meant to listen there binds it ("Address already in use",
 * seen with OpenSearch). Reserving them keeps the kernel from handing them out. Needs root;
 * best-effort otherwise (the reservation lasts until reboot and only affects automatic choices).
 */
function reserveStackPorts(s: Stack): void {
  const file = '/proc/sys/net/ipv4/ip_local_reserved_ports';
  if (!isRoot || !existsSync(file)) return;
  try {
    const current = readFileSync(file, 'utf8').trim();
    const ports = allPorts(s).map(String);
    const reserved = new Set([...(current ? current.split(',') : []), ...ports]);
    if (reserved.size !== (current ? current.split(',').length : 0)) writeFileSync(file, [...reserved].join(','));
  } catch (error) {
    say(`could not reserve the stack's ports from the ephemeral range (${(error as Error).message}); a start may rarely fail with "address in use"`);
  }
}

export interface ProvisionedStack {
  keys: JwtKeyFiles;
  /** The stores came from docker compose (which runs ClickHouse as a server). */
  docker: boolean;
  /** Stops what this provision started (not what already ran). */
  stop(): Promise<void>;
}

/** Everything the stack needs; returns a function that stops what this call started. */
/**
 * Until the manifest, a stack kept each engine's data in one folder per engine kind
 * (`.data/<stack>/postgres`, …); each service's store now lives in `.data/<stack>/<service>/<engine>`.
 * Data in the old folders is not read: say so once, rather than start empty without a word.
 */
function warnAboutOldLayout(s: Stack): void {
  const old = ['postgres', 'redis', 'opensearch', 'ferretdb', 'ferretdb-postgres'].filter(
    (dir) => !(SERVICE_NAMES as string[]).includes(dir) && existsSync(join(s.dataDir, dir)),
  );
  if (old.length === 0) return;
  console.log(
    `infra: ${old.map((dir) => join(s.dataDir, dir)).join(', ')} hold${old.length === 1 ? 's' : ''} data of the layout before each service's store ` +
      `moved to ${join(s.dataDir, '<service>', '<engine>')}; it is not read (stop servers still running from there with their own tools, then remove the folders)`,
  );
}

/**
 * The stack's credentials, generated at its first start (scripts/lib/secrets.ts). Stores that an
 * earlier version initialised with the old constant passwords (data there, no credentials file)
 * are re-initialised: their servers are stopped and the data folder is set aside
 * (`<data>.before-secrets-<time>`, dev stack) or removed (test stack, emptied at every run anyway),
 * so every store starts afresh with the new passwords.
 */
export async function prepareCredentials(s: Stack): Promise<Credentials> {
  if (holdsDataWithoutCredentials(s.dataDir)) {
    say(
      `${s.dataDir} holds stores initialised with the old constant passwords; stopping them and re-initialising the ${s.name} stack's data with generated credentials`,
    );
    await stopStack(s);
    const fallbacks = postgresFallbackDirs(s).filter((dir) => existsSync(dir));
    if (s.name === 'test') {
      rmSync(s.dataDir, { recursive: true, force: true });
      for (const dir of fallbacks) rmSync(dir, { recursive: true, force: true });
    } else {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      renameSync(s.dataDir, `${s.dataDir}.before-secrets-${stamp}`);
      for (const dir of fallbacks) renameSync(dir, `${dir}.before-secrets-${stamp}`);
      say(`the old data is in ${s.dataDir}.before-secrets-${stamp} (remove it when you no longer need it)`);
    }
  }
  mkdirSync(s.dataDir, { recursive: true });
  return ensureCredentials(s.dataDir);
}

export async function provision(s: Stack): Promise<ProvisionedStack> {
  warnAboutOldLayout(s);
  const credentials = await prepareCredentials(s);
  reserveStackPorts(s);
  const keys = ensureJwtKeys(jwtKeysDir(s));
  if (s.name === 'dev' && (await dockerEngineAnswers())) {
    writeComposeSecrets(credentials);
    await composeUp(['nats', ...s.services.map((service) => composeStoreName(service))]);
    return { keys, stop: async () => {}, docker: true };
  }
  // The stores start side by side: a warm start then takes as long as the slowest (OpenSearch).
  const stores = s.services.map((service) => provisionerOf(s, service).ensure(s, service));
  const results = await Promise.allSettled([NATS.ensure(s), ...stores]);
  const parts = results.filter((r): r is PromiseFulfilledResult<Started> => r.status === 'fulfilled').map((r) => r.value);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length) {
    for (const p of parts) if (p.started) await p.stop();
    throw new Error(
      failed.map((f) => (process.env.POLYSTORE_DEBUG ? (f.reason as Error)?.stack : (f.reason as Error)?.message) ?? String(f.reason)).join('\n'),
    );
  }
  return {
    keys,
    docker: false,
    stop: async () => {
      await Promise.all(parts.filter((p) => p.started).map((p) => p.stop()));
    },
  };
}

/** Stops every store process of the stack that runs, and NATS (`npm run infra:down`), by their pid files. */
export async function stopStack(s: Stack): Promise<void> {
  await NATS.stop(s);
  // Every store that may run, whatever POLYSTORE_SERVICES says: infra:down leaves nothing behind.
  for (const service of SERVICE_NAMES) await provisionerOf(s, service).stop(s, service);
}

/** Empties every store and NATS' streams (the test stack: every run starts from nothing). */
export async function resetStack(s: Stack): Promise<void> {
  await NATS.reset(s);
  for (const service of s.services) await provisionerOf(s, service).reset(s, service);
}

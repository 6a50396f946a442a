// docker-compose.yml and the store set-up files it mounts, generated from the manifest: each
// service gets a store container of its own (`<service>-<kind>`), reached with its own login,
// and every app gets only its own store's address and its own NATS user. No password is written
// here: every secret comes from env files (and a few files) that `npm run compose:secrets` (or
// `npm start` before `docker compose up`) generates under the dev stack's git-ignored secrets
// folder, from the dev stack's own credentials (scripts/lib/secrets.ts); each container gets only its own.
import { dirname, join } from 'node:path';
import {
  APPS,
  APP_NAMES,
  INFRASTRUCTURE,
  SERVICE_NAMES,
  STORE_KINDS,
  startOrder,
  type AppName,
  type ServiceName,
  type StoreKind,
} from '../../manifest.ts';
import { natsAuthorizationBlock, natsPasswordVariable, passwordsFromEnvironment } from './nats-auth.ts';
import { internalUsersFile, securityConfigFiles, securitySettings } from './stores/opensearch-security.ts';
import { observabilityFiles } from './observability.ts';
import { ownDatabaseSql } from './stores/postgres.ts';
import { redisAclLines } from './stores/redis.ts';
import { ADMIN_USERS, appSecretsEnv, natsLogin, openSearchCaFile, serviceLogin, storeEnv, type Login } from './stack.ts';
import type { Credentials } from './secrets.ts';

/**
 * Where compose finds the generated secrets, relative to the repository: the dev stack's secrets
 * folder (git-ignored), beside the credentials file they are made from.
 */
export const COMPOSE_SECRETS_DIR = '.data/dev/secrets/compose';
const secretFile = (name: string) => `./${COMPOSE_SECRETS_DIR}/${name}`;
/** The env file of a container (an app, a store, NATS, Grafana): its own secrets only. */
const envFile = (container: string) => secretFile(`${container}.env`);
/** The variable a store container reads its owner's password from (init scripts), and its operators'. */
const OWNER_PASSWORD = 'OWNER_PASSWORD';
const ADMIN_PASSWORD = 'ADMIN_PASSWORD';

const GENERATED = '# Generated from manifest.ts by `npm run generate`; do not edit.';

/** The compose service (container) that runs a service's store. */
export const composeStoreName = (service: ServiceName): string => `${service}-${APPS[service].store.kind}`;

/** Files compose mounts into a store container, by path under the repository. */
function storeFiles(service: ServiceName): Record<string, string> {
  const login = serviceLogin(service);
  const name = composeStoreName(service);
  switch (APPS[service].store.kind) {
    case 'postgres':
      return {
        [`docker/stores/${name}.sh`]: `${GENERATED}
# Runs once when the volume is created (sourced by the image's entrypoint): the ${service} service's
# own role owns only its database. Its password comes from the container's environment (${OWNER_PASSWORD}).
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v owner_password="$${OWNER_PASSWORD}" <<'SQL'${ownDatabaseSql(login, ":'owner_password'")}SQL
`,
      };
    case 'redis':
      return {
        [`docker/stores/${name}.conf`]: `${GENERATED}
# ${service}'s Redis: AOF on, ACL users (the owner reaches only keys under its prefix) from the
# ACL file \`npm run compose:secrets\` writes with the stack's passwords.
bind 0.0.0.0
port 6379
dir /data
appendonly yes
appendfsync everysec
save ""
aclfile ${REDIS_ACL_FILE}
`,
      };
    case 'mongodb':
      return {
        [`docker/stores/${name}.js`]: `// Generated from manifest.ts by \`npm run generate\`; do not edit.
// Runs once when the volume is created: ${service}'s own user, in its own database; its password
// comes from the container's environment (${OWNER_PASSWORD}).
db.getSiblingDB('${login.database}').createUser({
  user: '${login.user}',
  pwd: process.env.${OWNER_PASSWORD},
  roles: [{ role: 'readWrite', db: '${login.database}' }],
});
`,
      };
    case 'opensearch': {
      const files: Record<string, string> = {
        [`docker/stores/${name}/opensearch.yml`]: `${GENERATED}
# ${service}'s OpenSearch node, with the security plugin (the image's own): TLS with the CA the
# ${name}-tls step makes on first start, basic auth, ${service}'s user limited to its own indices.
cluster.name: ${name}
network.host: 0.0.0.0
discovery.type: single-node
${securitySettings()}`,
      };
      return files;
    }
    default:
      return {};
  }
}

/** The init step that makes an OpenSearch node's CA and certificate once (scripts/gen-opensearch-tls.mjs). */
const openSearchTlsStep = (service: ServiceName): string => `${composeStoreName(service)}-tls`;
/** Volumes: the node's certificate, key and CA (the node only); the CA certificate alone (for the owner). */
const openSearchTlsVolume = (service: ServiceName): string => `${composeStoreName(service)}-tls`;
const openSearchCaVolume = (service: ServiceName): string => `${composeStoreName(service)}-ca`;
/** The official image runs OpenSearch as this user: the node's key must be readable by it. */
const OPENSEARCH_IMAGE_UID = 1000;
/** Where the Redis container reads its ACL users from (a file of the secrets folder). */
const REDIS_ACL_FILE = '/usr/local/etc/redis/users.acl';
/** The OpenSearch security plugin's files, with the users' hashed passwords: generated into the secrets folder. */
const openSearchSecurityDir = (service: ServiceName) => secretFile(`${composeStoreName(service)}-security`);

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

/** The container definition of a service's store. */
function storeContainer(service: ServiceName): Record<string, Yaml> {
  const spec = APPS[service].store;
  const kind: StoreKind = spec.kind;
  const name = composeStoreName(service);
  const login = serviceLogin(service);
  const ports = [`127.0.0.1:${spec.port.dev}:${STORE_KINDS[kind].containerPort}`];
  const volume = `${name}-data`;
  const health = (test: string[], retries = 30): Record<string, Yaml> => ({ test, interval: '3s', timeout: '5s', retries });
  // Its passwords (operators', owner's) come from its own env file.
  const base = { image: STORE_KINDS[kind].composeImage, env_file: [envFile(name)] };
  switch (kind) {
    case 'postgres': {
      const admin = ADMIN_USERS.postgres;
      return {
        ...base,
        environment: { POSTGRES_USER: admin.user },
        ports,
        volumes: [`${volume}:/var/lib/postgresql/data`, `./docker/stores/${name}.sh:/docker-entrypoint-initdb.d/10-${service}.sh:ro`],
        healthcheck: health(['CMD-SHELL', `pg_isready -U ${admin.user} -d ${login.database}`]),
      };
    }
    case 'redis': {
      const admin = ADMIN_USERS.redis;
      return {
        ...base,
        command: ['redis-server', '/usr/local/etc/redis/redis.conf'],
        ports,
        volumes: [
          `${volume}:/data`,
          `./docker/stores/${name}.conf:/usr/local/etc/redis/redis.conf:ro`,
          `${secretFile(`${name}.acl`)}:${REDIS_ACL_FILE}:ro`,
        ],
        healthcheck: health(['CMD-SHELL', `redis-cli --user ${admin.user} --pass "$$${ADMIN_PASSWORD}" --no-auth-warning ping | grep -q PONG`]),
      };
    }
    case 'mongodb': {
      const admin = ADMIN_USERS.mongodb;
      return {
        ...base,
        environment: { MONGO_INITDB_ROOT_USERNAME: admin.user },
        ports,
        volumes: [`${volume}:/data/db`, `./docker/stores/${name}.js:/docker-entrypoint-initdb.d/10-${service}.js:ro`],
        healthcheck: health(['CMD', 'mongosh', '--quiet', '--eval', "db.adminCommand('ping').ok"]),
      };
    }
    case 'opensearch': {
      const admin = ADMIN_USERS.opensearch;
      const config = '/usr/share/opensearch/config';
      return {
        ...base,
        environment: {
          // The security configuration is ours (mounted below): no demo users or certificates.
          DISABLE_INSTALL_DEMO_CONFIG: 'true',
          OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m',
        },
        depends_on: { [openSearchTlsStep(service)]: { condition: 'service_completed_successfully' } },
        ports,
        volumes: [
          `${volume}:/usr/share/opensearch/data`,
          `./docker/stores/${name}/opensearch.yml:${config}/opensearch.yml:ro`,
          `${openSearchSecurityDir(service)}:${config}/opensearch-security:ro`,
          `${openSearchTlsVolume(service)}:${config}/tls:ro`,
        ],
        healthcheck: health(
          [
            'CMD-SHELL',
            `curl -fs --cacert ${config}/tls/ca.pem -u "${admin.user}:$$${ADMIN_PASSWORD}" 'https://localhost:9200/_cluster/health?wait_for_status=yellow&timeout=2s' >/dev/null`,
          ],
          60,
        ),
      };
    }
    case 'clickhouse':
      return {
        ...base,
        environment: {
          CLICKHOUSE_DB: login.database,
          CLICKHOUSE_USER: login.user,
          CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT: '0',
        },
        ports,
        volumes: [`${volume}:/var/lib/clickhouse`],
        ulimits: { nofile: { soft: 262144, hard: 262144 } },
        healthcheck: health(['CMD-SHELL', "wget -qO- 'http://127.0.0.1:8123/ping' | grep -q Ok"]),
      };
  }
}

const KEYS_DIR = '/keys';
/** The data folder an app container's store variables are written against (storeEnv). */
const APP_DATA_DIR = '/data';

function appContainer(app: AppName): Record<string, Yaml> {
  const spec = APPS[app];
  const port = spec.httpPort.dev;
  const secrets = appSecretsEnv(app, { privateKeyFile: `${KEYS_DIR}/jwt-es256.key.pem`, publicKeyFile: `${KEYS_DIR}/jwt-es256.pub.pem` });
  const needsKeys = Object.keys(secrets).length > 0;
  const dependsOn: Record<string, Yaml> = { nats: { condition: 'service_healthy' } };
  // Its NATS password and its store's URL (which holds its password) come from its own env file.
  const environment: Record<string, Yaml> = {
    APP: app,
    HEALTH_PORT: String(port),
    NATS_URL: COMPOSE_NATS_URL,
    [`${spec.envPrefix}_NATS_USER`]: natsLogin(app).user,
  };
  const volumes: string[] = [];
  // Traces go to the collector (the standard OpenTelemetry variables).
  Object.assign(environment, { OTEL_SERVICE_NAME: app, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' });
  if (spec.store === null) {
    Object.assign(environment, { [`${spec.envPrefix}_HOST`]: '0.0.0.0', [`${spec.envPrefix}_PORT`]: String(port) });
  } else {
    const service = app as ServiceName;
    const kind = APPS[service].store.kind;
    dependsOn[composeStoreName(service)] = { condition: 'service_healthy' };
    // Prometheus scrapes /metrics from its own container.
    environment[`${spec.envPrefix}_HTTP_HOST`] = '0.0.0.0';
    environment[`${spec.envPrefix}_HTTP_PORT`] = String(port);
    Object.assign(environment, appStoreEnv(service).plain);
    // The node's CA certificate, where storeEnv says it is (and nothing else of its TLS folder).
    if (kind === 'opensearch') volumes.push(`${openSearchCaVolume(service)}:${dirname(openSearchCaFile(APP_DATA_DIR, service))}:ro`);
  }
  Object.assign(environment, secrets);
  if (needsKeys) dependsOn['jwt-keys'] = { condition: 'service_completed_successfully' };
  const container: Record<string, Yaml> = {
    build: '.',
    restart: 'unless-stopped',
    depends_on: dependsOn,
    env_file: [envFile(app)],
    environment,
    healthcheck: {
      test: [
        'CMD-SHELL',
        `node -e "fetch('http://127.0.0.1:'+process.env.HEALTH_PORT+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`,
      ],
      interval: '3s',
      timeout: '3s',
      retries: 30,
    },
  };
  if (spec.store === null) container.ports = [`127.0.0.1:${port}:${port}`];
  if (needsKeys) volumes.push(`jwt-keys:${KEYS_DIR}:ro`);
  if (volumes.length) container.volumes = volumes;
  return container;
}

const COMPOSE_NATS_URL = 'nats://nats:4222';
/** Placeholder for a password while the compose file is written (it holds none). */
const NO_PASSWORD = '\u0000password\u0000';

/**
 * A service's store variables in compose, split: those that carry its password (into its env file)
 * and the rest (in the compose file).
 */
function appStoreEnv(service: ServiceName, password: string = NO_PASSWORD): { plain: Record<string, string>; secret: Record<string, string> } {
  const all = storeEnv(
    service,
    { host: composeStoreName(service), port: STORE_KINDS[APPS[service].store.kind].containerPort, server: true },
    APP_DATA_DIR,
    password,
  );
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const [name, value] of Object.entries(all)) (value.includes(password) ? secret : plain)[name] = value;
  return { plain, secret };
}

/** The whole docker-compose.yml. */
export function composeFile(): string {
  const nats = INFRASTRUCTURE.nats;
  const services: Record<string, Yaml> = {};
  for (const service of SERVICE_NAMES) {
    if (APPS[service].store.kind === 'opensearch') {
      services[openSearchTlsStep(service)] = {
        build: '.',
        command: ['node', 'scripts/gen-opensearch-tls.mjs', '/tls', '/ca', String(OPENSEARCH_IMAGE_UID), composeStoreName(service)],
        volumes: [`${openSearchTlsVolume(service)}:/tls`, `${openSearchCaVolume(service)}:/ca`],
      };
    }
    services[composeStoreName(service)] = storeContainer(service);
  }
  services.nats = {
    image: 'nats:2.10-alpine',
    command: ['-c', '/etc/nats/nats.conf'],
    ports: [`127.0.0.1:${nats.port.dev}:4222`, `127.0.0.1:${nats.monitorPort.dev}:8222`],
    // Every app's NATS password (the server checks them all), read by auth.conf from the environment.
    env_file: [envFile('nats')],
    volumes: ['nats-data:/data', './docker/nats/nats.conf:/etc/nats/nats.conf:ro', './docker/nats/auth.conf:/etc/nats/auth.conf:ro'],
    healthcheck: {
      test: ['CMD-SHELL', "wget -qO- 'http://127.0.0.1:8222/healthz?js-enabled-only=true' >/dev/null"],
      interval: '2s',
      timeout: '3s',
      retries: 30,
    },
  };
  services['jwt-keys'] = { build: '.', command: ['node', 'scripts/gen-jwt-keys.mjs', KEYS_DIR], volumes: [`jwt-keys:${KEYS_DIR}`] };
  for (const app of startOrder()) services[app] = appContainer(app);
  Object.assign(services, observabilityContainers());
  const volumes: Record<string, Yaml> = {};
  for (const service of SERVICE_NAMES) {
    volumes[`${composeStoreName(service)}-data`] = null;
    if (APPS[service].store.kind === 'opensearch') {
      volumes[openSearchTlsVolume(service)] = null;
      volumes[openSearchCaVolume(service)] = null;
    }
  }
  volumes['nats-data'] = null;
  volumes['jwt-keys'] = null;
  volumes['prometheus-data'] = null;
  volumes['grafana-data'] = null;
  return `${GENERATED}
# polystore on a machine with Docker: each service's own store, NATS, then the apps. Same host
# ports and credentials as the local processes \`npm start\` runs without Docker (\`npm start\` brings
# the stores up from this file when a Docker engine answers). Each app is given only its own
# store's address and its own NATS user. No password is written here: run \`npm run compose:secrets\`
# once before \`docker compose up\` (\`npm start\` does it itself); it generates the env files under
# ${COMPOSE_SECRETS_DIR}/ (git-ignored) from the dev stack's credentials, each container's own. Beside them: the OpenTelemetry Collector (OTLP on 4317/4318)
# sending traces to Jaeger (UI on 16686), Prometheus (9090) scraping every app's /metrics with the
# rules under docker/prometheus/rules/, and Grafana (3300, user admin, password in grafana.env there) with a dashboard per app and
# a system overview (Grafana is AGPL: its official image only, nothing of it is built into the project).
${yaml({ services, volumes }, 0)}`;
}

/** Images of the observability containers (versions pinned; Jaeger and Prometheus match the builds `npm start`/CI use). */
export const OBSERVABILITY_IMAGES = {
  otelCollector: 'otel/opentelemetry-collector:0.120.0',
  jaeger: 'jaegertracing/all-in-one:1.76.0',
  prometheus: 'prom/prometheus:v3.16.0',
  grafana: 'grafana/grafana:12.1.1',
} as const;

/** The OpenTelemetry Collector, Jaeger, Prometheus and Grafana, configured by the files observability.ts generates. */
function observabilityContainers(): Record<string, Yaml> {
  const apps = startOrder();
  return {
    jaeger: {
      image: OBSERVABILITY_IMAGES.jaeger,
      environment: { COLLECTOR_OTLP_ENABLED: 'true' },
      ports: ['127.0.0.1:16686:16686'],
    },
    'otel-collector': {
      image: OBSERVABILITY_IMAGES.otelCollector,
      command: ['--config=/etc/otelcol/config.yaml'],
      volumes: ['./docker/otel-collector/config.yaml:/etc/otelcol/config.yaml:ro'],
      ports: ['127.0.0.1:4317:4317', '127.0.0.1:4318:4318'],
      depends_on: ['jaeger'],
    },
    prometheus: {
      image: OBSERVABILITY_IMAGES.prometheus,
      command: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus'],
      volumes: [
        './docker/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './docker/prometheus/rules:/etc/prometheus/rules:ro',
        'prometheus-data:/prometheus',
      ],
      ports: ['127.0.0.1:9090:9090'],
      depends_on: apps,
    },
    grafana: {
      image: OBSERVABILITY_IMAGES.grafana,
      env_file: [envFile('grafana')],
      environment: { GF_SECURITY_ADMIN_USER: ADMIN_USERS.grafana.user, GF_USERS_ALLOW_SIGN_UP: 'false' },
      volumes: [
        './docker/grafana/provisioning:/etc/grafana/provisioning:ro',
        './docker/grafana/dashboards:/var/lib/grafana/dashboards:ro',
        'grafana-data:/var/lib/grafana',
      ],
      ports: ['127.0.0.1:3300:3000'],
      depends_on: ['prometheus', 'jaeger'],
    },
  };
}

/** Every file derived from the manifest for docker-compose, by path. */
export function composeFiles(): Record<string, string> {
  const files: Record<string, string> = {
    'docker-compose.yml': composeFile(),
    'docker/nats/auth.conf': natsAuthorizationBlock(passwordsFromEnvironment),
    ...observabilityFiles(),
  };
  for (const service of SERVICE_NAMES) Object.assign(files, storeFiles(service));
  return files;
}

/**
 * The secrets docker-compose reads, by path under COMPOSE_SECRETS_DIR, from a stack's credentials
 * (`npm run compose:secrets`): one env file per container with only its own passwords, the Redis
 * ACL file, and the OpenSearch security plugin's files with its users' hashed passwords.
 */
export function composeSecretFiles(credentials: Credentials): Record<string, string> {
  const envText = (vars: Record<string, string>) =>
    `${GENERATED_SECRETS}\n${Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`;
  const admin = (kind: keyof typeof ADMIN_USERS): Login => ({ user: ADMIN_USERS[kind].user, password: credentials[`admin.${kind}`] });
  const files: Record<string, string> = {};
  for (const app of APP_NAMES) {
    const vars: Record<string, string> = { [natsPasswordVariable(app)]: credentials[`nats.${app}`] };
    if (APPS[app].store !== null) Object.assign(vars, appStoreEnv(app as ServiceName, credentials[`store.${app}`]).secret);
    files[`${app}.env`] = envText(vars);
  }
  for (const service of SERVICE_NAMES) {
    const name = composeStoreName(service);
    const owner = { ...serviceLogin(service), password: credentials[`store.${service}`] };
    switch (APPS[service].store.kind) {
      case 'postgres':
        files[`${name}.env`] = envText({ POSTGRES_PASSWORD: admin('postgres').password, [OWNER_PASSWORD]: owner.password });
        break;
      case 'redis':
        files[`${name}.env`] = envText({ [ADMIN_PASSWORD]: admin('redis').password });
        files[`${name}.acl`] = redisAclLines(admin('redis'), owner);
        break;
      case 'mongodb':
        files[`${name}.env`] = envText({ MONGO_INITDB_ROOT_PASSWORD: admin('mongodb').password, [OWNER_PASSWORD]: owner.password });
        break;
      case 'opensearch':
        files[`${name}.env`] = envText({ [ADMIN_PASSWORD]: admin('opensearch').password });
        for (const [file, text] of Object.entries(securityConfigFiles(service))) files[`${name}-security/${file}`] = text;
        files[`${name}-security/internal_users.yml`] = internalUsersFile(service, admin('opensearch'), owner);
        break;
      case 'clickhouse':
        files[`${name}.env`] = envText({ CLICKHOUSE_PASSWORD: owner.password });
        break;
    }
  }
  files['nats.env'] = envText(
    Object.fromEntries([...APP_NAMES, 'ops' as const].map((app) => [natsPasswordVariable(app), credentials[`nats.${app}`]])),
  );
  files['grafana.env'] = envText({ GF_SECURITY_ADMIN_PASSWORD: admin('grafana').password });
  return files;
}

const GENERATED_SECRETS = "# Generated by `npm run compose:secrets` from the dev stack's credentials; secret, git-ignored.";

/** Where composeSecretFiles' files are written, under the repository. */
export const composeSecretsPath = (root: string, file: string): string => join(root, COMPOSE_SECRETS_DIR, file);

// A small YAML writer: block mappings, flow sequences of scalars, quoted strings where needed.
function scalar(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  return /^[A-Za-z0-9_./:@-][A-Za-z0-9_./:@ -]*$/.test(value) && !/^(true|false|null|yes|no|on|off|\d[\d.]*)$/i.test(value) && !value.endsWith(' ')
    ? value
    : JSON.stringify(value);
}

function yaml(value: Yaml, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) return `[${value.map((v) => scalar(v as string)).join(', ')}]`;
  if (value === null || typeof value !== 'object') return scalar(value);
  const lines: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const k = scalar(key);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      lines.push(`${pad}${k}:`, yaml(v, indent + 2));
      if (indent === 2) lines.push('');
    } else lines.push(`${pad}${k}:${v === null ? '' : ` ${yaml(v, indent)}`}`);
    if (indent === 0) lines.push('');
  }
  return lines.join('\n').replace(/\n+$/, '') + (indent === 0 ? '\n' : '');
}

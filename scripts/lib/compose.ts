// docker-compose.yml and the store set-up files it mounts, generated from the manifest: each
// service gets a store container of its own (`<service>-<kind>`), reached with its own login,
// and every app gets only its own store's address and its own NATS user.
import { dirname } from 'node:path';
import { APPS, INFRASTRUCTURE, SERVICE_NAMES, STORE_KINDS, startOrder, type AppName, type ServiceName, type StoreKind } from '../../manifest.ts';
import { natsAuthorizationBlock } from './nats-auth.ts';
import { securityConfigFiles, securitySettings } from './stores/opensearch-security.ts';
import { observabilityFiles } from './observability.ts';
import { ownDatabaseSql } from './stores/postgres.ts';
import { redisAclLines } from './stores/redis.ts';
import { ADMIN_LOGINS, appSecretsEnv, natsEnv, openSearchCaFile, serviceLogin, storeEnv } from './stack.ts';

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
        [`docker/stores/${name}.sql`]: `-- Generated from manifest.ts by \`npm run generate\`; do not edit.
-- Runs once when the volume is created: the ${service} service's own role owns only its database.${ownDatabaseSql(login)}`,
      };
    case 'redis':
      return {
        [`docker/stores/${name}.conf`]: `${GENERATED}
# ${service}'s Redis: AOF on, ACL users (the owner reaches only keys under its prefix).
bind 0.0.0.0
port 6379
dir /data
appendonly yes
appendfsync everysec
save ""
${redisAclLines(service)}`,
      };
    case 'mongodb':
      return {
        [`docker/stores/${name}.js`]: `// Generated from manifest.ts by \`npm run generate\`; do not edit.
// Runs once when the volume is created: ${service}'s own user, in its own database.
db.getSiblingDB('${login.database}').createUser({
  user: '${login.user}',
  pwd: '${login.password}',
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
      for (const [file, text] of Object.entries(securityConfigFiles(service))) files[`docker/stores/${name}/opensearch-security/${file}`] = text;
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
  const base = { image: STORE_KINDS[kind].composeImage };
  switch (kind) {
    case 'postgres': {
      const admin = ADMIN_LOGINS.postgres;
      return {
        ...base,
        environment: { POSTGRES_USER: admin.user, POSTGRES_PASSWORD: admin.password },
        ports,
        volumes: [`${volume}:/var/lib/postgresql/data`, `./docker/stores/${name}.sql:/docker-entrypoint-initdb.d/10-${service}.sql:ro`],
        healthcheck: health(['CMD-SHELL', `pg_isready -U ${admin.user} -d ${login.database}`]),
      };
    }
    case 'redis': {
      const admin = ADMIN_LOGINS.redis;
      return {
        ...base,
        command: ['redis-server', '/usr/local/etc/redis/redis.conf'],
        ports,
        volumes: [`${volume}:/data`, `./docker/stores/${name}.conf:/usr/local/etc/redis/redis.conf:ro`],
        healthcheck: health(['CMD-SHELL', `redis-cli --user ${admin.user} --pass ${admin.password} --no-auth-warning ping | grep -q PONG`]),
      };
    }
    case 'mongodb': {
      const admin = ADMIN_LOGINS.mongodb;
      return {
        ...base,
        environment: { MONGO_INITDB_ROOT_USERNAME: admin.user, MONGO_INITDB_ROOT_PASSWORD: admin.password },
        ports,
        volumes: [`${volume}:/data/db`, `./docker/stores/${name}.js:/docker-entrypoint-initdb.d/10-${service}.js:ro`],
        healthcheck: health(['CMD', 'mongosh', '--quiet', '--eval', "db.adminCommand('ping').ok"]),
      };
    }
    case 'opensearch': {
      const admin = ADMIN_LOGINS.opensearch;
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
          `./docker/stores/${name}/opensearch-security:${config}/opensearch-security:ro`,
          `${openSearchTlsVolume(service)}:${config}/tls:ro`,
        ],
        healthcheck: health(
          [
            'CMD-SHELL',
            `curl -fs --cacert ${config}/tls/ca.pem -u ${admin.user}:${admin.password} 'https://localhost:9200/_cluster/health?wait_for_status=yellow&timeout=2s' >/dev/null`,
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
          CLICKHOUSE_PASSWORD: login.password,
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
  const environment: Record<string, Yaml> = { APP: app, HEALTH_PORT: String(port), ...natsEnv(app, 'nats://nats:4222') };
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
    Object.assign(
      environment,
      storeEnv(service, { host: composeStoreName(service), port: STORE_KINDS[kind].containerPort, server: true }, APP_DATA_DIR),
    );
    // The node's CA certificate, where storeEnv says it is (and nothing else of its TLS folder).
    if (kind === 'opensearch') volumes.push(`${openSearchCaVolume(service)}:${dirname(openSearchCaFile(APP_DATA_DIR, service))}:ro`);
  }
  Object.assign(environment, secrets);
  if (needsKeys) dependsOn['jwt-keys'] = { condition: 'service_completed_successfully' };
  const container: Record<string, Yaml> = {
    build: '.',
    restart: 'unless-stopped',
    depends_on: dependsOn,
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
# store's address and its own NATS user. Beside them: the OpenTelemetry Collector (OTLP on 4317/4318)
# sending traces to Jaeger (UI on 16686), Prometheus (9090) scraping every app's /metrics with the
# rules under docker/prometheus/rules/, and Grafana (3300, admin/admin) with a dashboard per app and
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
      environment: { GF_SECURITY_ADMIN_USER: 'admin', GF_SECURITY_ADMIN_PASSWORD: 'admin', GF_USERS_ALLOW_SIGN_UP: 'false' },
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
    'docker/nats/auth.conf': natsAuthorizationBlock(),
    ...observabilityFiles(),
  };
  for (const service of SERVICE_NAMES) Object.assign(files, storeFiles(service));
  return files;
}

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

// The Helm chart's values.yaml, generated from the manifest (`npm run generate`): one entry per app
// under `apps`, one per service under `stores`, and the NATS sub-chart's users and permissions
// (from nats-auth.ts). The chart's templates range over these maps and name no service themselves,
// so a service added to the manifest gets its Deployment, Service, store, Secret reference,
// autoscaler and network policies from the same templates.
import { APPS, APP_NAMES, STORE_KINDS, type AppName, type ServiceName } from '../../manifest.ts';
import { natsPermissions } from './nats-auth.ts';
import { natsLogin, serviceLogin } from './stack.ts';

export const CHART_DIR = 'deploy/helm/polystore';

/** The NATS chart version the chart depends on (kept as `charts/nats-<version>.tgz`). */
export const NATS_CHART_VERSION = '2.14.2';

/** How each store kind runs when the chart runs it (`stores.mode: operators`). */
const STORE_OPERATOR: Record<string, string> = {
  postgres: 'CloudNativePG Cluster (+ ScheduledBackup)',
  redis: 'a StatefulSet of the official redis image, append-only file on a volume',
  opensearch: 'OpenSearch operator OpenSearchCluster',
  clickhouse: 'Altinity ClickHouseInstallation',
  mongodb: 'MongoDBCommunity (MongoDB Controllers for Kubernetes)',
};

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

function appValues(app: AppName): Record<string, Yaml> {
  const spec = APPS[app];
  const edge = spec.store === null;
  const consumer = spec.consumes.length > 0;
  return {
    // Why the app exists, so a reader of values knows what they scale.
    summary: spec.summary,
    envPrefix: spec.envPrefix,
    // The edge serves the REST API on this port; a service, /health and /metrics only.
    httpPort: spec.httpPort.dev,
    edge,
    // The app's own Secret: its NATS password, its store URL (when stores are external), its keys.
    existingSecret: `polystore-${app}`,
    resources: edge
      ? { requests: { cpu: '250m', memory: '192Mi' }, limits: { cpu: '1', memory: '384Mi' } }
      : { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '500m', memory: '384Mi' } },
    autoscaling: {
      minReplicas: 2,
      maxReplicas: edge ? 10 : 6,
      targetCPUUtilizationPercentage: 70,
      // Pending JetStream messages of the app's own durable consumers, through an external
      // metrics adapter (docs/kubernetes.md); off until one is installed.
      pendingMessages: consumer ? { enabled: false, metricName: 'polystore_consumer_pending', targetAveragePerPod: 500 } : null,
    },
    podDisruptionBudget: { minAvailable: 1 },
    // Extra non-secret settings, as <PREFIX>_<NAME> variables in the app's ConfigMap.
    config: {},
  };
}

function storeValues(service: ServiceName): Record<string, Yaml> {
  const kind = APPS[service].store.kind;
  const login = serviceLogin(service);
  const base: Record<string, Yaml> = {
    kind,
    runs: STORE_OPERATOR[kind],
    port: STORE_KINDS[kind].containerPort,
    urlVariable: `${APPS[service].envPrefix}_${STORE_KINDS[kind].urlVariable}`,
    database: login.database,
    user: login.user,
    storage: '10Gi',
    // External stores: the addresses the owner may send to on `port` (empty: networkPolicy.externalStoreCidrs).
    externalCidrs: [],
  };
  switch (kind) {
    case 'postgres':
      // Backups through the Barman Cloud plugin to an ObjectStore created beside the chart (or volumeSnapshot).
      return { ...base, instances: 3, backup: { method: 'plugin', schedule: '0 0 3 * * *', objectStoreName: '', volumeSnapshotClassName: '' } };
    case 'mongodb':
      return { ...base, members: 3, version: '8.0.12' };
    case 'opensearch':
      return { ...base, nodes: 3, version: '2.19.1' };
    case 'clickhouse':
      // More than one replica needs ClickHouse Keeper (not run by this chart).
      return { ...base, shards: 1, replicas: 1, image: 'clickhouse/clickhouse-server:25.8' };
    case 'redis':
      return { ...base, image: 'redis:7.2' };
  }
}

/** The NATS users of the apps: permissions from the manifest, passwords from each app's Secret. */
function natsUsers(): Yaml[] {
  return APP_NAMES.map((app) => {
    const p = natsPermissions(app);
    const permissions: Record<string, Yaml> = { publish: { allow: p.publish }, subscribe: { allow: p.subscribe } };
    if (p.allowResponses) permissions.allow_responses = true;
    // `<< $VAR >>` is written unquoted into nats.conf: the server reads the variable at start.
    return { user: natsLogin(app).user, password: `<< $${APPS[app].envPrefix}_NATS_PASSWORD >>`, permissions };
  });
}

/** The NATS server container reads each app's password from that app's Secret. */
function natsPasswordEnv(): Record<string, Yaml> {
  const env: Record<string, Yaml> = {};
  for (const app of APP_NAMES) {
    env[`${APPS[app].envPrefix}_NATS_PASSWORD`] = {
      valueFrom: { secretKeyRef: { name: `polystore-${app}`, key: `${APPS[app].envPrefix}_NATS_PASSWORD` } },
    };
  }
  return env;
}

const LOCKED_DOWN: Yaml = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };

function natsResources(cpu: string, memory: string, cpuLimit: string, memoryLimit: string): Yaml {
  return { requests: { cpu, memory }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}

export function helmValues(): string {
  const apps: Record<string, Yaml> = {};
  for (const app of APP_NAMES) apps[app] = appValues(app);
  const stores: Record<string, Yaml> = {};
  for (const app of APP_NAMES) if (APPS[app].store) stores[app] = storeValues(app as ServiceName);
  const values: Record<string, Yaml> = {
    image: { repository: 'polystore', tag: '0.1.0', pullPolicy: 'IfNotPresent' },
    apps,
    storesMode: 'external',
    stores,
    nats: {
      enabled: true,
      config: {
        cluster: { enabled: true, replicas: 3 },
        monitor: { enabled: true },
        jetstream: { enabled: true, fileStore: { enabled: true, pvc: { size: '10Gi' } }, memoryStore: { enabled: false } },
        merge: { authorization: { users: natsUsers() } },
      },
      container: {
        env: natsPasswordEnv(),
        merge: { resources: natsResources('500m', '1Gi', '2', '2Gi'), securityContext: LOCKED_DOWN },
      },
      // Pods roll when the configuration changes, instead of a reloader sidecar.
      reloader: { enabled: false },
      podTemplate: {
        configChecksumAnnotation: true,
        merge: {
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          },
        },
      },
      // JetStream figures (pending messages per consumer) for Prometheus and the autoscalers.
      promExporter: {
        enabled: true,
        merge: {
          resources: natsResources('50m', '64Mi', '200m', '128Mi'),
          securityContext: LOCKED_DOWN,
          startupProbe: { httpGet: { path: '/metrics', port: 7777 }, periodSeconds: 5, failureThreshold: 30 },
          livenessProbe: { httpGet: { path: '/metrics', port: 7777 }, periodSeconds: 30 },
          readinessProbe: { httpGet: { path: '/metrics', port: 7777 }, periodSeconds: 10 },
        },
      },
      natsBox: { enabled: false },
    },
    externalNats: { url: 'nats://nats:4222', cidrs: [] },
    natsStreamReplicas: 3,
    networkPolicy: {
      enabled: true,
      gatewayIngressFrom: [],
      monitoringNamespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
      operatorNamespaceLabels: { 'polystore.io/operators': 'true' },
      dnsNamespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
      externalStoreCidrs: ['0.0.0.0/0'],
    },
    schemaJob: { enabled: true, backoffLimit: 6, activeDeadlineSeconds: 600 },
  };
  return `# Generated from manifest.ts by \`npm run generate\`; do not edit (override in a values file of your own).
# Which values exist and what they do: docs/kubernetes.md. Every credential lives in a Secret the
# operator of the cluster creates (apps.<app>.existingSecret); the chart holds none.
${yaml(values, 0)}`;
}

// YAML for values: block mappings and block sequences; strings quoted unless plainly safe.
function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value) ? value : JSON.stringify(value);
}

function yaml(value: Yaml, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}[]`;
    return value
      .map((item) => {
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
          const inner = yaml(item, indent + 2);
          return `${pad}- ${inner.slice(indent + 2)}`;
        }
        return `${pad}- ${scalar(item as string)}`;
      })
      .join('\n');
  }
  if (value === null || typeof value !== 'object') return `${pad}${scalar(value)}`;
  const entries = Object.entries(value);
  if (entries.length === 0) return `${pad}{}`;
  return entries
    .map(([key, v]) => {
      const k = scalar(key);
      if (v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0))
        return `${pad}${k}:\n${yaml(v, indent + 2)}`;
      if (Array.isArray(v)) return `${pad}${k}: []`;
      if (v !== null && typeof v === 'object') return `${pad}${k}: {}`;
      return `${pad}${k}: ${scalar(v)}`;
    })
    .join('\n')
    .concat(indent === 0 ? '\n' : '');
}

/** Every chart file derived from the manifest, by path. */
export function helmFiles(): Record<string, string> {
  return { [`${CHART_DIR}/values.yaml`]: helmValues() };
}

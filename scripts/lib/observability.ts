// Prometheus (scrape configuration and alerting rules), Grafana (data sources and dashboards) and the
// OpenTelemetry Collector for docker-compose, generated from the manifest: every app is scraped,
// every app gets its rules and its dashboard, and the overview shows them all.
//
// The metric names are those libs/platform/src/metrics/app-metrics.ts registers; every series
// carries `service="<app>"`.
import { APPS, APP_NAMES, type AppName } from '../../manifest.ts';

const GENERATED = '# Generated from manifest.ts by `npm run generate`; do not edit.';

/** Where the files live, relative to the repository (compose mounts them from there). */
export const PROMETHEUS_CONFIG = 'docker/prometheus/prometheus.yml';
export const rulesFile = (app: AppName): string => `docker/prometheus/rules/${app}.yml`;
export const dashboardFile = (name: string): string => `docker/grafana/dashboards/${name}.json`;

/** Thresholds of the alerting rules (the rules' tests drive series across them). */
export const ALERT_THRESHOLDS = {
  /** Share of requests failing (RPC: INTERNAL, UNAVAILABLE, TIMEOUT; HTTP: 5xx) over 5 minutes. */
  errorRatio: 0.05,
  /** p99 of request duration over 5 minutes, seconds: gateway HTTP, and a service's RPC. */
  httpP99Seconds: 1,
  rpcP99Seconds: 0.5,
  /** Oldest unpublished outbox event, seconds: the relay publishes within milliseconds when NATS is up. */
  outboxAgeSeconds: 30,
  /** Messages a durable consumer has not acknowledged (not delivered + delivered and unacked). */
  consumerBacklog: 1_000,
  /** Unfinished saga instance not written for this long, seconds (a step retries at most every 5 s). */
  sagaIdleSeconds: 120,
} as const;

/** `RpcServer`, `Users`: alert names are CamelCase. */
const camel = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

const FAILURE_CODES = 'INTERNAL|UNAVAILABLE|TIMEOUT';

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: 'page' | 'ticket'; service: string };
  annotations: { summary: string; description: string };
}

/** The alerting rules of one app, from what the manifest says it does. */
export function alertRules(app: AppName): AlertRule[] {
  const spec = APPS[app];
  const name = camel(app);
  const sel = `service="${app}"`;
  const t = ALERT_THRESHOLDS;
  const labels = (severity: 'page' | 'ticket') => ({ severity, service: app });
  const rules: AlertRule[] = [
    {
      alert: `${name}Down`,
      expr: `up{job="${app}"} == 0`,
      for: '1m',
      labels: labels('page'),
      annotations: { summary: `${app} does not answer /metrics`, description: `Prometheus cannot scrape ${app} ({{ $labels.instance }}).` },
    },
  ];
  if (spec.store === null) {
    // The edge: its HTTP API.
    rules.push(
      {
        alert: `${name}HttpErrorRate`,
        expr:
          `sum(rate(http_server_request_duration_seconds_count{${sel},status_class="5xx"}[5m]))` +
          ` / sum(rate(http_server_request_duration_seconds_count{${sel}}[5m])) > ${t.errorRatio}`,
        for: '5m',
        labels: labels('page'),
        annotations: {
          summary: `${app}: more than ${t.errorRatio * 100} % of HTTP requests fail (5xx)`,
          description: `{{ $value | humanizePercentage }} of ${app}'s HTTP requests answered 5xx over 5 minutes.`,
        },
      },
      {
        alert: `${name}HttpLatencyP99`,
        expr: `histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{${sel}}[5m]))) > ${t.httpP99Seconds}`,
        for: '10m',
        labels: labels('ticket'),
        annotations: {
          summary: `${app}: p99 of HTTP requests above ${t.httpP99Seconds} s`,
          description: `p99 of ${app}'s HTTP requests is {{ $value | humanizeDuration }} over 5 minutes.`,
        },
      },
    );
  } else {
    rules.push(
      {
        alert: `${name}RpcErrorRate`,
        expr:
          `sum(rate(rpc_server_duration_seconds_count{${sel},code=~"${FAILURE_CODES}"}[5m]))` +
          ` / sum(rate(rpc_server_duration_seconds_count{${sel}}[5m])) > ${t.errorRatio}`,
        for: '5m',
        labels: labels('page'),
        annotations: {
          summary: `${app}: more than ${t.errorRatio * 100} % of requests fail (${FAILURE_CODES.replaceAll('|', ', ')})`,
          description: `{{ $value | humanizePercentage }} of the requests ${app} answered failed over 5 minutes (refusals such as NOT_FOUND are not failures).`,
        },
      },
      {
        alert: `${name}RpcLatencyP99`,
        expr: `histogram_quantile(0.99, sum by (le) (rate(rpc_server_duration_seconds_bucket{${sel}}[5m]))) > ${t.rpcP99Seconds}`,
        for: '10m',
        labels: labels('ticket'),
        annotations: {
          summary: `${app}: p99 of requests above ${t.rpcP99Seconds} s`,
          description: `p99 of the requests ${app} answered is {{ $value | humanizeDuration }} over 5 minutes.`,
        },
      },
    );
    if (spec.publishesEvents) {
      rules.push({
        alert: `${name}OutboxStale`,
        // The age is itself a duration: no `for`, it fires as soon as one event waited too long.
        expr: `max(outbox_oldest_pending_age_seconds{${sel}}) > ${t.outboxAgeSeconds}`,
        labels: labels('page'),
        annotations: {
          summary: `${app}: an event waits in the outbox for more than ${t.outboxAgeSeconds} s`,
          description: `${app}'s oldest unpublished event is {{ $value | humanizeDuration }} old: the relay cannot publish (NATS away or refusing?).`,
        },
      });
    }
    // Any service may run a saga; the rule has no series (and never fires) where none runs.
    rules.push({
      alert: `${name}SagaStuck`,
      expr: `max by (saga) (saga_oldest_active_age_seconds{${sel}}) > ${t.sagaIdleSeconds}`,
      for: '1m',
      labels: labels('page'),
      annotations: {
        summary: `${app}: an unfinished {{ $labels.saga }} saga has not moved for ${t.sagaIdleSeconds} s`,
        description: `The least recently written unfinished {{ $labels.saga }} saga was last written {{ $value | humanizeDuration }} ago; recovery should have resumed it.`,
      },
    });
  }
  if (spec.consumes.length > 0) {
    rules.push(
      {
        alert: `${name}ConsumerLag`,
        expr:
          `max by (stream, durable) (event_consumer_pending_messages{${sel}} + event_consumer_ack_pending_messages{${sel}})` +
          ` > ${t.consumerBacklog}`,
        for: '10m',
        labels: labels('ticket'),
        annotations: {
          summary: `${app}: consumer {{ $labels.durable }} on {{ $labels.stream }} is more than ${t.consumerBacklog} messages behind`,
          description: `{{ $value }} messages of {{ $labels.stream }} wait for ${app}'s consumer {{ $labels.durable }}.`,
        },
      },
      {
        alert: `${name}DeadLetters`,
        expr: `sum by (stream, durable) (increase(event_consumer_dead_lettered_total{${sel}}[15m])) > 0`,
        labels: labels('ticket'),
        annotations: {
          summary: `${app}: consumer {{ $labels.durable }} dead-lettered events from {{ $labels.stream }}`,
          description: `{{ $value }} events were set aside in 15 minutes; read them on the DEADLETTER stream and replay once fixed.`,
        },
      },
    );
  }
  return rules;
}

/** One Prometheus rule file for the app. */
export function rulesYaml(app: AppName): string {
  return `${GENERATED}\n${yaml({ groups: [{ name: app, rules: alertRules(app) as unknown as Yaml[] }] })}`;
}

/** prometheus.yml: every app's /metrics (services on their small HTTP port, the gateway on its API port), every rule file. */
export function prometheusConfig(): string {
  return `${GENERATED}\n${yaml({
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    // Relative to this file: rules/ sits beside it in the repository and in the container.
    rule_files: APP_NAMES.map((app) => `rules/${app}.yml`),
    scrape_configs: APP_NAMES.map((app) => ({ job_name: app, static_configs: [{ targets: [`${app}:${APPS[app].httpPort.dev}`] }] })),
  })}`;
}

/** The collector: OTLP in (gRPC and HTTP), traces out to Jaeger over OTLP. */
export function otelCollectorConfig(): string {
  return `${GENERATED}\n${yaml({
    receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } },
    processors: { batch: {} },
    exporters: { 'otlp/jaeger': { endpoint: 'jaeger:4317', tls: { insecure: true } } },
    service: { pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['otlp/jaeger'] } } },
  })}`;
}

export function grafanaDatasources(): string {
  return `${GENERATED}\n${yaml({
    apiVersion: 1,
    datasources: [
      { name: 'Prometheus', type: 'prometheus', uid: 'prometheus', access: 'proxy', url: 'http://prometheus:9090', isDefault: true },
      { name: 'Jaeger', type: 'jaeger', uid: 'jaeger', access: 'proxy', url: 'http://jaeger:16686' },
    ],
  })}`;
}

export function grafanaDashboardProvider(): string {
  return `${GENERATED}\n${yaml({
    apiVersion: 1,
    providers: [{ name: 'polystore', folder: 'polystore', type: 'file', options: { path: '/var/lib/grafana/dashboards' } }],
  })}`;
}

// ------------------------------------------------------------------------------------ dashboards

interface Panel {
  title: string;
  targets: Array<{ expr: string; legend: string }>;
  unit: string;
  description?: string;
}

/** A dashboard of rows of time-series panels, two per line. */
function dashboard(uid: string, title: string, rows: Array<{ title: string; panels: Panel[] }>): string {
  const panels: object[] = [];
  let y = 0;
  let id = 1;
  for (const row of rows) {
    panels.push({ type: 'row', title: row.title, id: id++, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: y++ }, panels: [] });
    row.panels.forEach((panel, i) => {
      panels.push({
        type: 'timeseries',
        id: id++,
        title: panel.title,
        ...(panel.description ? { description: panel.description } : {}),
        datasource: { type: 'prometheus', uid: 'prometheus' },
        gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: y + Math.floor(i / 2) * 8 },
        fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
        options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
        targets: panel.targets.map((target, j) => ({
          refId: String.fromCharCode(65 + j),
          datasource: { type: 'prometheus', uid: 'prometheus' },
          expr: target.expr,
          legendFormat: target.legend,
        })),
      });
    });
    y += Math.ceil(row.panels.length / 2) * 8;
  }
  const file = {
    uid,
    title,
    tags: ['polystore'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    refresh: '10s',
    time: { from: 'now-1h', to: 'now' },
    panels,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

const rate = (metric: string, selector: string, by: string) => `sum by (${by}) (rate(${metric}{${selector}}[5m]))`;
const p99 = (metric: string, selector: string, by: string) =>
  `histogram_quantile(0.99, sum by (le, ${by}) (rate(${metric}_bucket{${selector}}[5m])))`;

/** The RED panels of requests served: rate, failure share and p99, by one label. */
function redPanels(metric: string, sel: string, by: string, failure: string, codeLabel: string, what: string): Panel[] {
  return [
    { title: `${what}: requests per second by ${by}`, unit: 'reqps', targets: [{ expr: rate(`${metric}_count`, sel, by), legend: `{{${by}}}` }] },
    {
      title: `${what}: failing share by ${by}`,
      unit: 'percentunit',
      targets: [{ expr: `${rate(`${metric}_count`, `${sel},${failure}`, by)} / ${rate(`${metric}_count`, sel, by)}`, legend: `{{${by}}}` }],
    },
    { title: `${what}: p99 by ${by}`, unit: 's', targets: [{ expr: p99(metric, sel, by), legend: `{{${by}}}` }] },
    {
      title: `${what}: answers by ${codeLabel}`,
      unit: 'reqps',
      targets: [{ expr: rate(`${metric}_count`, sel, codeLabel), legend: `{{${codeLabel}}}` }],
    },
  ];
}

/** One app's dashboard: its RED, its store, its outbox and consumers, its calls to others, its process. */
export function appDashboard(app: AppName): string {
  const spec = APPS[app];
  const sel = `service="${app}"`;
  const rows: Array<{ title: string; panels: Panel[] }> = [];
  if (spec.store === null) {
    rows.push({
      title: 'HTTP (RED, by route template)',
      panels: redPanels('http_server_request_duration_seconds', sel, 'route', 'status_class="5xx"', 'status_class', 'HTTP'),
    });
  } else {
    rows.push({
      title: 'Requests answered over NATS (RED, by subject)',
      panels: redPanels('rpc_server_duration_seconds', sel, 'subject', `code=~"${FAILURE_CODES}"`, 'code', 'RPC'),
    });
    rows.push({
      title: `Store: ${spec.store.kind}`,
      panels: [
        {
          title: 'Store calls per second by operation',
          unit: 'ops',
          targets: [{ expr: rate('store_call_duration_seconds_count', sel, 'operation'), legend: '{{operation}}' }],
        },
        {
          title: 'Store call p99 by operation',
          unit: 's',
          targets: [{ expr: p99('store_call_duration_seconds', sel, 'operation'), legend: '{{operation}}' }],
        },
        {
          title: 'Store call errors per second by operation',
          unit: 'ops',
          targets: [{ expr: rate('store_call_duration_seconds_count', `${sel},outcome="error"`, 'operation'), legend: '{{operation}}' }],
        },
        {
          title: 'Store usage: bytes on disk and of indexes',
          unit: 'bytes',
          targets: [
            { expr: `max(store_disk_bytes{${sel}})`, legend: 'on disk' },
            { expr: `max(store_index_bytes{${sel}})`, legend: 'indexes' },
          ],
        },
        { title: 'Store usage: items', unit: 'short', targets: [{ expr: `max by (kind) (store_items{${sel}})`, legend: '{{kind}}' }] },
      ],
    });
  }
  const events: Panel[] = [];
  if (spec.store !== null && spec.publishesEvents) {
    events.push(
      {
        title: 'Outbox: oldest unpublished event',
        unit: 's',
        targets: [{ expr: `max(outbox_oldest_pending_age_seconds{${sel}})`, legend: 'age' }],
        description: `Alert above ${ALERT_THRESHOLDS.outboxAgeSeconds} s.`,
      },
      {
        title: 'Outbox: backlog and publishing',
        unit: 'short',
        targets: [
          { expr: `sum(outbox_pending_events{${sel}})`, legend: 'pending' },
          { expr: `sum(rate(outbox_published_events_total{${sel}}[5m]))`, legend: 'published/s' },
          { expr: `sum(rate(outbox_publish_failures_total{${sel}}[5m]))`, legend: 'failed publishes/s' },
        ],
      },
    );
  }
  if (spec.consumes.length > 0) {
    events.push(
      {
        title: 'Consumers: messages not acknowledged',
        unit: 'short',
        targets: [
          { expr: `sum by (stream, durable) (event_consumer_pending_messages{${sel}})`, legend: '{{durable}} on {{stream}}: not delivered' },
          { expr: `sum by (stream, durable) (event_consumer_ack_pending_messages{${sel}})`, legend: '{{durable}} on {{stream}}: unacked' },
          { expr: `sum by (stream, durable) (event_consumer_redelivered_messages{${sel}})`, legend: '{{durable}} on {{stream}}: redelivered' },
        ],
      },
      {
        title: 'Consumers: deliveries by result',
        unit: 'ops',
        targets: [{ expr: `sum by (durable, result) (rate(event_consumer_events_total{${sel}}[5m]))`, legend: '{{durable}}: {{result}}' }],
      },
      {
        title: 'Consumers: dead-lettered (15 min)',
        unit: 'short',
        targets: [
          { expr: `sum by (stream, durable) (increase(event_consumer_dead_lettered_total{${sel}}[15m]))`, legend: '{{durable}} on {{stream}}' },
        ],
      },
      {
        title: 'Consumers: handling p99',
        unit: 's',
        targets: [{ expr: p99('event_consumer_handle_duration_seconds', sel, 'durable'), legend: '{{durable}}' }],
      },
    );
  }
  if (events.length) rows.push({ title: 'Events: outbox and consumers', panels: events });
  if (spec.store !== null && spec.calls.length > 0) {
    rows.push({
      title: 'Sagas (where the service runs one)',
      panels: [
        {
          title: 'Saga transitions per second by status',
          unit: 'ops',
          targets: [{ expr: `sum by (saga, status) (rate(saga_transitions_total{${sel}}[5m]))`, legend: '{{saga}}: {{status}}' }],
        },
        {
          title: 'Saga step p99 by step',
          unit: 's',
          targets: [{ expr: p99('saga_step_duration_seconds', sel, 'saga, step'), legend: '{{saga}}: {{step}}' }],
        },
        {
          title: 'Unfinished sagas and the idlest one',
          unit: 'short',
          targets: [
            { expr: `sum by (saga) (saga_active_instances{${sel}})`, legend: '{{saga}}: unfinished' },
            { expr: `max by (saga) (saga_oldest_active_age_seconds{${sel}})`, legend: '{{saga}}: idlest, seconds' },
          ],
        },
      ],
    });
  }
  if (spec.calls.length > 0) {
    rows.push({
      title: 'Requests sent to other services',
      panels: [
        {
          title: 'Sent per second by subject',
          unit: 'reqps',
          targets: [{ expr: rate('rpc_client_duration_seconds_count', sel, 'subject'), legend: '{{subject}}' }],
        },
        { title: 'Sent: p99 by subject', unit: 's', targets: [{ expr: p99('rpc_client_duration_seconds', sel, 'subject'), legend: '{{subject}}' }] },
      ],
    });
  }
  rows.push({
    title: 'Process',
    panels: [
      { title: 'Event-loop lag p99', unit: 's', targets: [{ expr: `max(nodejs_eventloop_lag_p99_seconds{${sel}})`, legend: 'p99' }] },
      {
        title: 'Heap and resident memory',
        unit: 'bytes',
        targets: [
          { expr: `sum(nodejs_heap_size_used_bytes{${sel}})`, legend: 'heap used' },
          { expr: `sum(process_resident_memory_bytes{${sel}})`, legend: 'resident' },
        ],
      },
      {
        title: 'GC time per second by kind',
        unit: 's',
        targets: [{ expr: `sum by (kind) (rate(nodejs_gc_duration_seconds_sum{${sel}}[5m]))`, legend: '{{kind}}' }],
      },
      { title: 'CPU', unit: 'percentunit', targets: [{ expr: `sum(rate(process_cpu_seconds_total{${sel}}[5m]))`, legend: 'cpu' }] },
    ],
  });
  return dashboard(`polystore-${app}`, `polystore: ${app}`, rows);
}

/** Every app side by side: up, traffic, failures, latency, outbox age, consumer backlog, alerts. */
export function overviewDashboard(): string {
  const edge = APP_NAMES.filter((app) => APPS[app].store === null);
  const edgeSel = `service=~"${edge.join('|')}"`;
  return dashboard('polystore-overview', 'polystore: system overview', [
    {
      title: 'Every app',
      panels: [
        { title: 'Up (1 = scraped)', unit: 'short', targets: [{ expr: 'up', legend: '{{job}}' }] },
        { title: 'Firing alerts', unit: 'short', targets: [{ expr: 'sum by (alertname) (ALERTS{alertstate="firing"})', legend: '{{alertname}}' }] },
        {
          title: 'Requests answered per second by app (HTTP at the edge, NATS in services)',
          unit: 'reqps',
          targets: [
            { expr: `sum by (service) (rate(http_server_request_duration_seconds_count{${edgeSel}}[5m]))`, legend: '{{service}} HTTP' },
            { expr: 'sum by (service) (rate(rpc_server_duration_seconds_count[5m]))', legend: '{{service}} RPC' },
          ],
        },
        {
          title: 'Failing share by app',
          unit: 'percentunit',
          targets: [
            {
              expr:
                `sum by (service) (rate(http_server_request_duration_seconds_count{${edgeSel},status_class="5xx"}[5m]))` +
                ` / sum by (service) (rate(http_server_request_duration_seconds_count{${edgeSel}}[5m]))`,
              legend: '{{service}} HTTP',
            },
            {
              expr: `sum by (service) (rate(rpc_server_duration_seconds_count{code=~"${FAILURE_CODES}"}[5m])) / sum by (service) (rate(rpc_server_duration_seconds_count[5m]))`,
              legend: '{{service}} RPC',
            },
          ],
        },
        {
          title: 'p99 by app',
          unit: 's',
          targets: [
            { expr: p99('http_server_request_duration_seconds', edgeSel, 'service'), legend: '{{service}} HTTP' },
            { expr: 'histogram_quantile(0.99, sum by (le, service) (rate(rpc_server_duration_seconds_bucket[5m])))', legend: '{{service}} RPC' },
          ],
        },
        { title: 'Store call p99 by app', unit: 's', targets: [{ expr: p99('store_call_duration_seconds', '', 'service'), legend: '{{service}}' }] },
        { title: 'Store bytes on disk by app', unit: 'bytes', targets: [{ expr: 'max by (service) (store_disk_bytes)', legend: '{{service}}' }] },
        { title: 'Event stream bytes by app', unit: 'bytes', targets: [{ expr: 'max by (service) (event_stream_bytes)', legend: '{{service}}' }] },
      ],
    },
    {
      title: 'Events',
      panels: [
        {
          title: 'Outbox: oldest unpublished event by app',
          unit: 's',
          targets: [{ expr: 'max by (service) (outbox_oldest_pending_age_seconds)', legend: '{{service}}' }],
        },
        {
          title: 'Consumers: messages not acknowledged by app',
          unit: 'short',
          targets: [{ expr: 'sum by (service) (event_consumer_pending_messages + event_consumer_ack_pending_messages)', legend: '{{service}}' }],
        },
        {
          title: 'Dead-lettered in 15 min by app',
          unit: 'short',
          targets: [{ expr: 'sum by (service) (increase(event_consumer_dead_lettered_total[15m]))', legend: '{{service}}' }],
        },
        {
          title: 'Event-loop lag p99 by app',
          unit: 's',
          targets: [{ expr: 'max by (service) (nodejs_eventloop_lag_p99_seconds)', legend: '{{service}}' }],
        },
      ],
    },
  ]);
}

/** Every observability file, by path. */
export function observabilityFiles(): Record<string, string> {
  const files: Record<string, string> = {
    [PROMETHEUS_CONFIG]: prometheusConfig(),
    'docker/otel-collector/config.yaml': otelCollectorConfig(),
    'docker/grafana/provisioning/datasources/datasources.yml': grafanaDatasources(),
    'docker/grafana/provisioning/dashboards/dashboards.yml': grafanaDashboardProvider(),
    [dashboardFile('overview')]: overviewDashboard(),
  };
  for (const app of APP_NAMES) {
    files[rulesFile(app)] = rulesYaml(app);
    files[dashboardFile(app)] = appDashboard(app);
  }
  return files;
}

// A small YAML writer for these files: block mappings and sequences, strings double-quoted
// (JSON's escaping is valid YAML) unless plainly safe.
type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  return /^[A-Za-z_/][A-Za-z0-9_./:-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value) ? value : JSON.stringify(value);
}

function yaml(value: Yaml, indent = 0): string {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === 'object' && !(Array.isArray(item) && item.length === 0)) {
        const inner = yaml(item, indent + 2).replace(/^\s+/, '');
        lines.push(`${pad}- ${inner}`);
      } else lines.push(`${pad}- ${Array.isArray(item) ? '[]' : scalar(item)}`);
    }
    return lines.join('\n');
  }
  if (value === null || typeof value !== 'object') return `${pad}${scalar(value)}`;
  for (const [key, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)) {
      lines.push(`${pad}${scalar(key)}:`, yaml(v, indent + 2));
    } else lines.push(`${pad}${scalar(key)}: ${Array.isArray(v) ? '[]' : v !== null && typeof v === 'object' ? '{}' : scalar(v)}`);
  }
  return lines.join('\n') + (indent === 0 ? '\n' : '');
}

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { APPS, APP_NAMES, type AppName } from '@polystore/manifest';
import { ALERT_THRESHOLDS, PROMETHEUS_CONFIG, alertRules, dashboardFile, rulesFile, type AlertRule } from '../../scripts/lib/observability.ts';
import { ensurePromtool } from '../../scripts/lib/promtool.ts';
import { promtoolTestRules, type RuleTestCase } from '../support/promtool.js';

const run = promisify(execFile);

/**
 * Each app's alerting rules, checked by Prometheus' own promtool: the files parse (expressions,
 * durations, templates), and every rule fires on series across its threshold and stays silent on
 * series below it (`promtool test rules`, Prometheus' rule engine on synthetic series).
 */
describe('alerting rules (promtool)', () => {
  let promtool: string;
  beforeAll(async () => {
    promtool = await ensurePromtool({ log: (m) => console.log(m) });
  }, 60 * 60_000);

  it.each(APP_NAMES)('%s: its rule file passes promtool check rules', async (app) => {
    const { stdout, stderr } = await run(promtool, ['check', 'rules', rulesFile(app)]);
    expect(stdout + stderr).toMatch(new RegExp(`SUCCESS: ${alertRules(app).length} rules found`));
  });

  it('prometheus.yml passes promtool check config, with every app scraped and every rule file loaded', async () => {
    const { stdout, stderr } = await run(promtool, ['check', 'config', PROMETHEUS_CONFIG]);
    expect(stdout + stderr).toContain(`SUCCESS: ${APP_NAMES.length} rule files found`);
    expect(stdout + stderr).toMatch(/is valid prometheus config file syntax/);
    const config = readFileSync(PROMETHEUS_CONFIG, 'utf8');
    for (const app of APP_NAMES) expect(config).toContain(`- ${app}:${APPS[app].httpPort.dev}`);
  });

  it('every dashboard query parses as PromQL (each checked by promtool as a recording rule)', async () => {
    const dashboards = [...APP_NAMES, 'overview'].map(
      (name) => JSON.parse(readFileSync(dashboardFile(name), 'utf8')) as { panels: Array<{ targets?: Array<{ expr: string }> }> },
    );
    const exprs = dashboards.flatMap((d) => d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)));
    expect(exprs.length).toBeGreaterThan(100);
    const dir = mkdtempSync(join(tmpdir(), 'dashboards-'));
    try {
      const file = join(dir, 'queries.yml');
      writeFileSync(
        file,
        JSON.stringify({ groups: [{ name: 'dashboards', rules: exprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) }] }),
      );
      const { stdout, stderr } = await run(promtool, ['check', 'rules', file]);
      expect(stdout + stderr).toContain(`SUCCESS: ${exprs.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('each app has the rules the manifest calls for', () => {
    for (const app of APP_NAMES) {
      const kinds = alertRules(app).map((r) => r.alert.slice(app.length));
      const spec = APPS[app];
      const expected = ['Down'];
      if (spec.store === null) expected.push('HttpErrorRate', 'HttpLatencyP99');
      else expected.push('RpcErrorRate', 'RpcLatencyP99', ...(spec.publishesEvents ? ['OutboxStale'] : []), 'SagaStuck');
      if (spec.consumes.length > 0) expected.push('ConsumerLag', 'DeadLetters');
      expect(kinds).toEqual(expected);
    }
  });

  it.each(APP_NAMES)('%s: each rule fires across its threshold and not below it', async (app) => {
    const rules = alertRules(app);
    const cases = rules.flatMap((rule) => casesFor(app, rule));
    expect(cases.length).toBe(rules.length * 2);
    await expect(promtoolTestRules(promtool, rules, cases)).resolves.toMatch(/SUCCESS/);
  });
});

/** A firing and a silent case for one rule, with series shaped like what the apps export. */
function casesFor(app: AppName, rule: AlertRule): RuleTestCase[] {
  const t = ALERT_THRESHOLDS;
  const svc = `service="${app}"`;
  const fires = (series: RuleTestCase['input_series'], at: string, labels: Record<string, string>): RuleTestCase => ({
    interval: '1m',
    input_series: series,
    alert_rule_test: [{ eval_time: at, alertname: rule.alert, exp_alerts: [{ exp_labels: { ...rule.labels, ...labels } }] }],
  });
  const silent = (series: RuleTestCase['input_series'], at: string): RuleTestCase => ({
    interval: '1m',
    input_series: series,
    alert_rule_test: [{ eval_time: at, alertname: rule.alert, exp_alerts: [] }],
  });
  /** Requests per minute: `ok` answered fine, `failed` failing, over 20 minutes. */
  const traffic = (metric: string, labels: string, okLabel: string, failLabel: string, ok: number, failed: number) => [
    { series: `${metric}{${svc},${labels},${okLabel}}`, values: `0+${ok}x20` },
    { series: `${metric}{${svc},${labels},${failLabel}}`, values: `0+${failed}x20` },
  ];
  /** A histogram where every request took about `seconds`, 60 per minute. */
  const latency = (metric: string, labels: string, seconds: number) =>
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, '+Inf'].map((le) => ({
      series: `${metric}_bucket{${svc},${labels},le="${le}"}`,
      values: le === '+Inf' || (le as number) >= seconds ? '0+60x20' : '0x20',
    }));
  const kind = rule.alert.slice(app.length);
  switch (kind) {
    case 'Down':
      return [
        fires([{ series: `up{job="${app}",instance="${app}:1"}`, values: '1 1 0x5' }], '5m', { job: app, instance: `${app}:1` }),
        silent([{ series: `up{job="${app}",instance="${app}:1"}`, values: '1x10' }], '5m'),
      ];
    case 'HttpErrorRate': {
      const m = 'http_server_request_duration_seconds_count';
      const labels = 'method="GET",route="/products/:id"';
      return [
        fires(traffic(m, labels, 'status_class="2xx"', 'status_class="5xx"', 90, 10), '15m', {}),
        silent(traffic(m, labels, 'status_class="2xx"', 'status_class="5xx"', 99, 1), '15m'),
      ];
    }
    case 'RpcErrorRate': {
      const m = 'rpc_server_duration_seconds_count';
      const labels = `subject="${app}.get.v1"`;
      return [
        fires(traffic(m, labels, 'code="OK"', 'code="UNAVAILABLE"', 90, 10), '15m', {}),
        // Refusals are answers, not failures: a third NOT_FOUND does not page anyone.
        silent(traffic(m, labels, 'code="OK"', 'code="NOT_FOUND"', 60, 30), '15m'),
      ];
    }
    case 'HttpLatencyP99':
    case 'RpcLatencyP99': {
      const http = kind === 'HttpLatencyP99';
      const m = http ? 'http_server_request_duration_seconds' : 'rpc_server_duration_seconds';
      const labels = http ? 'method="GET",route="/products/:id",status_class="2xx"' : `subject="${app}.get.v1",code="OK"`;
      const threshold = http ? t.httpP99Seconds : t.rpcP99Seconds;
      return [fires(latency(m, labels, threshold * 2), '18m', {}), silent(latency(m, labels, threshold / 5), '18m')];
    }
    case 'OutboxStale': {
      const series = `outbox_oldest_pending_age_seconds{${svc},stream="EVENTS_${app.toUpperCase()}"}`;
      // The age grows a minute per minute while nothing is published; it stays near 0 while the relay keeps up.
      return [fires([{ series, values: '0+60x10' }], '2m', {}), silent([{ series, values: `0 0.2 0.1 ${t.outboxAgeSeconds - 1} 0 0.3` }], '5m')];
    }
    case 'SagaStuck': {
      const series = `saga_oldest_active_age_seconds{${svc},saga="checkout"}`;
      return [fires([{ series, values: '0+60x10' }], '6m', { saga: 'checkout' }), silent([{ series, values: '0 1 0.5 2 0 1 0 1' }], '7m')];
    }
    case 'ConsumerLag': {
      const labels = `stream="EVENTS_X",durable="${app}-x"`;
      const backlog = (pending: number) => [
        { series: `event_consumer_pending_messages{${svc},${labels}}`, values: `${pending}x20` },
        { series: `event_consumer_ack_pending_messages{${svc},${labels}}`, values: '10x20' },
      ];
      return [fires(backlog(t.consumerBacklog * 2), '15m', { stream: 'EVENTS_X', durable: `${app}-x` }), silent(backlog(100), '15m')];
    }
    case 'DeadLetters': {
      const series = `event_consumer_dead_lettered_total{${svc},stream="EVENTS_X",durable="${app}-x"}`;
      return [
        fires([{ series, values: '0 0 0 1 1 1' }], '5m', { stream: 'EVENTS_X', durable: `${app}-x` }),
        silent([{ series, values: '0x30' }], '30m'),
      ];
    }
    default:
      throw new Error(`no test cases for ${rule.alert}`);
  }
}

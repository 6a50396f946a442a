import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppMetrics } from './app-metrics.js';
import { MetricsModule } from './metrics.module.js';
import { timeStoreCalls } from './store-calls.js';

@Controller('things')
class ThingsController {
  @Get(':id')
  get(@Param('id') id: string): { id: string } {
    if (id === 'boom') throw new Error('boom');
    return { id };
  }
}

@Module({ imports: [MetricsModule.forRoot('gateway')], controllers: [ThingsController] })
class TestModule {}

/** One sample's value from a Prometheus text exposition, or 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe('metrics (unit: HTTP timing, /metrics, store-call timing)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(TestModule, new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
  });
  const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;

  it('counts requests by route template (never the URL), status class and method; unknown routes share one label', async () => {
    for (const id of ['a', 'b', 'c']) expect((await app.inject({ method: 'GET', url: `/things/${id}` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/things/boom' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'GET', url: '/nowhere/123' })).statusCode).toBe(404);
    const text = await scrape();
    const count = (labels: Record<string, string>) => sample(text, 'http_server_request_duration_seconds_count', { service: 'gateway', ...labels });
    expect(count({ method: 'GET', route: '/things/:id', status_class: '2xx' })).toBe(3);
    expect(count({ method: 'GET', route: '/things/:id', status_class: '5xx' })).toBe(1);
    expect(count({ method: 'GET', route: 'unmatched', status_class: '4xx' })).toBe(1);
    expect(text).not.toMatch(/route="\/things\/a"/);
    // The 2xx bucket at +Inf holds all three; each is a real duration.
    expect(sample(text, 'http_server_request_duration_seconds_bucket', { route: '/things/:id', status_class: '2xx', le: '+Inf' })).toBe(3);
    expect(sample(text, 'http_server_request_duration_seconds_sum', { route: '/things/:id', status_class: '2xx' })).toBeGreaterThan(0);
  });

  it('serves Node default metrics (event-loop lag, heap, GC) labelled with the app', async () => {
    const text = await scrape();
    for (const name of ['nodejs_heap_size_used_bytes', 'process_resident_memory_bytes']) {
      expect(sample(text, name, { service: 'gateway' })).toBeGreaterThan(0);
    }
    // Lag is measured from one scrape to the next (it may read 0 on a quiet loop), so its presence is checked.
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds\{service="gateway"\} [0-9.e-]+$/m);
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
  });

  it('times store calls by operation and outcome; generators and lifecycle hooks are left alone', async () => {
    const metrics = app.get(AppMetrics);
    class Adapter {
      calls = 0;
      constructor() {
        timeStoreCalls(this, 'things', metrics);
      }
      async get(fail: boolean): Promise<number> {
        this.calls++;
        await new Promise((r) => setTimeout(r, 5));
        if (fail) throw new Error('store says no');
        return this.calls;
      }
      async *rows(): AsyncGenerator<number> {
        yield 1;
      }
      async onApplicationShutdown(): Promise<void> {}
    }
    const adapter = new Adapter();
    expect(await adapter.get(false)).toBe(1);
    expect(await adapter.get(false)).toBe(2);
    await expect(adapter.get(true)).rejects.toThrow('store says no');
    for await (const _ of adapter.rows()) void _;
    await adapter.onApplicationShutdown();
    const text = await scrape();
    expect(sample(text, 'store_call_duration_seconds_count', { operation: 'things.get', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'store_call_duration_seconds_count', { operation: 'things.get', outcome: 'error' })).toBe(1);
    expect(sample(text, 'store_call_duration_seconds_sum', { operation: 'things.get', outcome: 'ok' })).toBeGreaterThanOrEqual(0.009);
    expect(text).not.toMatch(/operation="things\.(rows|onApplicationShutdown)"/);
  });

  it('leaves a probe’s gauges out of the scrape when its read fails, and counts the failure', async () => {
    const metrics = app.get(AppMetrics);
    let fail = false;
    const remove = metrics.addProbe(
      'outbox',
      async () => {
        if (fail) throw new Error('store away');
        metrics.outboxPending.set({ stream: 'EVENTS_GATEWAY' }, 7);
      },
      [metrics.outboxPending],
    );
    expect(sample(await scrape(), 'outbox_pending_events', { service: 'gateway', stream: 'EVENTS_GATEWAY' })).toBe(7);
    fail = true;
    const text = await scrape();
    expect(text).not.toMatch(/^outbox_pending_events\{/m);
    expect(sample(text, 'metrics_probe_failures_total', { probe: 'outbox' })).toBe(1);
    remove();
  });
});

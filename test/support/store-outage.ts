import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import { ErrorCode, type ServiceName } from '@polystore/contracts';
import type { NatsSettings, RpcClient, RpcError } from '@polystore/platform';
import { stack, type Stack } from '../../scripts/lib/stack.ts';
import { portOpen } from '../../scripts/lib/proc.ts';
import { provisionerOf } from '../../scripts/lib/stores/index.ts';
import { startServiceForTest, type ServiceUnderTest } from './service.js';

/**
 * Freezing (SIGSTOP) and killing (SIGKILL, then starting it again with its provisioner) a service's
 * store on the test stack, and measuring how its owner answers meanwhile. Suites run one at a time
 * (--runInBand), and every outage is undone in `finally`, so no other suite sees it.
 */

/** The test stack `npm test` provisioned (POLYSTORE_TEST_DATA_DIR, POLYSTORE_PORT_OFFSET from the environment). */
export function testStack(): Stack {
  const saved = process.env.POLYSTORE_DATA_DIR;
  process.env.POLYSTORE_DATA_DIR = process.env.POLYSTORE_TEST_DATA_DIR;
  try {
    return stack('test');
  } finally {
    if (saved === undefined) delete process.env.POLYSTORE_DATA_DIR;
    else process.env.POLYSTORE_DATA_DIR = saved;
  }
}

/** The file each store server writes its pid to, under `.data/<stack>/<service>/<engine>`. */
const PID_FILES = { postgres: 'postmaster.pid', redis: 'redis.pid', opensearch: 'opensearch.pid', mongodb: 'ferretdb.pid' } as const;

function findFile(dir: string, name: string): string | null {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry === name) return path;
    if (statSync(path).isDirectory()) {
      const found = findFile(path, name);
      if (found) return found;
    }
  }
  return null;
}

/** A process and all its descendants (a PostgreSQL server is a postmaster and one backend per connection). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

export class TestStore {
  readonly stack = testStack();
  private frozen: number[] = [];
  private killed = false;

  constructor(readonly service: ServiceName) {}

  get kind(): keyof typeof PID_FILES {
    const kind = this.stack.stores[this.service].spec.kind;
    if (kind === 'clickhouse') throw new Error(`${this.service}'s store runs inside the service: no process to freeze or kill`);
    return kind;
  }

  pid(): number {
    const file = findFile(join(this.stack.dataDir, this.service, this.kind === 'mongodb' ? 'ferretdb' : ''), PID_FILES[this.kind]);
    if (!file) throw new Error(`no ${PID_FILES[this.kind]} under ${join(this.stack.dataDir, this.service)}`);
    return Number(readFileSync(file, 'utf8').split('\n')[0]!.trim());
  }

  freeze(): void {
    this.frozen = processTree(this.pid());
    for (const pid of this.frozen) process.kill(pid, 'SIGSTOP');
  }

  thaw(): void {
    for (const pid of this.frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // exited meanwhile
      }
    }
    this.frozen = [];
  }

  private killedPids: number[] = [];

  /** SIGKILL to the server and its children; resolves once they are all gone. */
  async kill(): Promise<void> {
    this.killed = true;
    this.killedPids = processTree(this.pid()).reverse();
    for (const pid of this.killedPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    await waitUntil(() => this.killedPids.every((pid) => !processAlive(pid)), 10_000).catch(() => undefined);
  }

  /** Starts the store again the way `npm test` did (waits until it answers). */
  async restart(): Promise<void> {
    // The killed server's pid file stays behind; the provisioners start whatever does not answer on its port,
    // so wait until it no longer does (on a loaded machine a killed server can take seconds to let go of it).
    const { port } = this.stack.stores[this.service];
    await waitUntil(async () => this.killedPids.every((pid) => !processAlive(pid)) && !(await portOpen(port)), 60_000).catch(() => {
      throw new Error(`${this.service}'s killed ${this.kind} still answers on ${port} after 60 s`);
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await provisionerOf(this.stack, this.service).ensure(this.stack, this.service);
        break;
      } catch (error) {
        // PostgreSQL may refuse to start while the killed cluster's shared memory is being released.
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    this.killed = false;
  }

  /** Undoes whatever outage is still on (for `finally`). */
  async restore(): Promise<void> {
    if (this.frozen.length) this.thaw();
    if (this.killed) await this.restart();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`not within ${timeoutMs} ms`);
}

/** GET a service's readiness on its health port: true for 200. */
export async function isReady(service: ServiceUnderTest): Promise<boolean> {
  const { port } = service.app.getHttpServer().address() as { port: number };
  const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
  return res?.status === 200;
}

/** Times to UNAVAILABLE measured by the outage suites, printed together at the end of each. */
export interface OutageFigure {
  store: string;
  mode: 'frozen' | 'killed';
  firstMs: number;
  nextMs: number;
  readyFalseMs: number;
  recoveredMs: number;
}

export function printFigures(figures: OutageFigure[]): void {
  if (figures.length === 0) return;
  const rows = figures.map(
    (f) =>
      `| ${f.store} | ${f.mode} | ${f.firstMs.toFixed(0)} ms | ${f.nextMs.toFixed(0)} ms | ${f.readyFalseMs.toFixed(0)} ms | ${f.recoveredMs.toFixed(0)} ms |`,
  );
  console.log(
    [
      'time to UNAVAILABLE (RPC to the owner, the store frozen or killed at t=0):',
      '| store | outage | first request | next request | readiness false after | ready again after restore |',
      '|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
}

export interface OutageSpec {
  service: ServiceName;
  module: (nats: NatsSettings) => DynamicModule;
  /** A request of the owner's that needs its store; resolves, or rejects with a refusal (e.g. NOT_FOUND), while the store is fine. */
  request: (rpc: RpcClient) => Promise<unknown>;
  /**
   * Prepared before the outage (while the store is fine); `during` runs while the store is away
   * (e.g. publishes an event the service consumes), `verify` once it is back (the event's effect is
   * there: held, not dead-lettered).
   */
  work?: (service: ServiceUnderTest) => Promise<{ during: () => Promise<void>; verify: () => Promise<void> }>;
  /** Run once the store is back: e.g. a write whose event must reach the stream (the relay resumed alone). */
  afterRecovery?: (service: ServiceUnderTest) => Promise<void>;
}

/** Resolves to how the request ended: 'ok' (an answer or a refusal) or the failure's code. */
async function outcome(spec: OutageSpec, rpc: RpcClient): Promise<string> {
  try {
    await spec.request(rpc);
    return 'ok';
  } catch (error) {
    const code = (error as RpcError).code;
    return code === ErrorCode.Unavailable || code === ErrorCode.Timeout || code === undefined ? String(code) : 'ok';
  }
}

/**
 * One outage of the store: at t=0 it freezes or dies; the owner's request must answer UNAVAILABLE
 * within a second, readiness must go false, and after the store is back (thawed, or started again)
 * the service must be ready and answer again by itself, without a restart.
 */
export async function measureOutage(spec: OutageSpec, service: ServiceUnderTest, store: TestStore, mode: 'frozen' | 'killed'): Promise<OutageFigure> {
  expect(await outcome(spec, service.rpc)).toBe('ok');
  await waitUntil(() => isReady(service), 10_000);
  const work = await spec.work?.(service);
  try {
    if (mode === 'killed')
      await store.kill(); // t=0 once the processes are gone
    else store.freeze();
    const t0 = performance.now();
    const first = await outcome(spec, service.rpc);
    const firstMs = performance.now() - t0;
    const t1 = performance.now();
    const next = await outcome(spec, service.rpc);
    const nextMs = performance.now() - t1;
    expect([first, next]).toEqual([ErrorCode.Unavailable, ErrorCode.Unavailable]);
    expect(firstMs).toBeLessThan(1_000);
    expect(nextMs).toBeLessThan(1_000);
    await waitUntil(async () => !(await isReady(service)), 5_000);
    const readyFalseMs = performance.now() - t0;
    await work?.during();
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // an outage that lasts: relays and consumers must wait it out
    if (mode === 'frozen') store.thaw();
    else await store.restart();
    const restoredAt = performance.now();
    await waitUntil(() => isReady(service), 30_000);
    const recoveredMs = performance.now() - restoredAt;
    await waitUntil(async () => (await outcome(spec, service.rpc)) === 'ok', 10_000);
    await work?.verify();
    await spec.afterRecovery?.(service);
    return { store: `${store.kind} (${spec.service})`, mode, firstMs, nextMs, readyFalseMs, recoveredMs };
  } finally {
    await store.restore();
  }
}

export async function startOwner(spec: OutageSpec): Promise<ServiceUnderTest> {
  return startServiceForTest({ service: spec.service, module: spec.module, rpcTimeoutMs: 3_000 });
}

import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ROOT_CONTEXT, TraceFlags, context, trace } from '@opentelemetry/api';
import { JsonLogger, batchedLogDestination } from './logger.js';
import { runInScope } from './request-scope.js';
import { ScopeContextManager } from './scope-context-manager.js';

function capture(levels?: ConstructorParameters<typeof JsonLogger>[1]) {
  const out = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  out.on('data', (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((l) => lines.push(JSON.parse(l))),
  );
  return { logger: new JsonLogger('cart', levels, out), lines };
}
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('JsonLogger', () => {
  // The context manager the apps run with when tracing is on (register.ts).
  const manager = new ScopeContextManager().enable();
  beforeAll(() => context.setGlobalContextManager(manager));
  afterAll(() => context.disable());

  it('writes JSON lines with the service, the Nest context, the trace and the request of where it is called', async () => {
    const { logger, lines } = capture();
    const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED });
    runInScope({ requestId: 'req-1' }, () => logger.log('checkout started', 'CheckoutService'), trace.setSpan(ROOT_CONTEXT, span));
    runInScope({ eventId: 'evt-1' }, () => logger.warn('event retried', 'EventConsumer'));
    logger.error('boom', 'Error: boom\n    at x (y.ts:1:1)', 'RpcErrorFilter');
    await flush();
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'cart',
      context: 'CheckoutService',
      msg: 'checkout started',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
      request_id: 'req-1',
    });
    expect(lines[1]).toMatchObject({ level: 'warn', event_id: 'evt-1', msg: 'event retried' });
    expect(lines[1]).not.toHaveProperty('trace_id');
    expect(lines[2]).toMatchObject({ level: 'error', context: 'RpcErrorFilter', msg: 'boom', stack: expect.stringContaining('at x') });
  });

  it('leaves out the levels not asked for', async () => {
    const { logger, lines } = capture(['error']);
    logger.log('not shown');
    logger.error('shown');
    await flush();
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });

  it('writes the lines of an event-loop turn together, at the end of the turn, every line and in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polystore-log-'));
    const file = join(dir, 'out.log');
    const fd = openSync(file, 'w');
    try {
      const logger = new JsonLogger('gateway', undefined, batchedLogDestination(fd));
      for (let i = 0; i < 3; i++) logger.log({ msg: `GET /users/me 200 ${i}`, status: 200 }, 'HTTP');
      expect(readFileSync(file, 'utf8')).toBe(''); // held until the turn ends
      await new Promise((resolve) => setImmediate(resolve));
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['GET /users/me 200 0', 'GET /users/me 200 1', 'GET /users/me 200 2']);
      // A turn that logs more than a batch holds writes it at once, in order.
      for (let i = 0; i < 2_000; i++) logger.log({ msg: `line ${i}`, padding: 'x'.repeat(100) }, 'HTTP');
      const written = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
      expect(written).toBeGreaterThan(3);
      expect(written).toBeLessThan(2_003);
      batchedLogDestination(fd).flush();
      const all = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(all.slice(3)).toEqual(Array.from({ length: 2_000 }, (_, i) => `line ${i}`));
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

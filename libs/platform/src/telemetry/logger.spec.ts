import { PassThrough } from 'node:stream';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ROOT_CONTEXT, TraceFlags, context, trace } from '@opentelemetry/api';
import { JsonLogger } from './logger.js';
import { requestScope } from './request-scope.js';

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
  const manager = new AsyncLocalStorageContextManager().enable();
  beforeAll(() => context.setGlobalContextManager(manager));
  afterAll(() => context.disable());

  it('writes JSON lines with the service, the Nest context, the trace and the request of where it is called', async () => {
    const { logger, lines } = capture();
    const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED });
    context.with(trace.setSpan(ROOT_CONTEXT, span), () =>
      requestScope.run({ requestId: 'req-1' }, () => logger.log('checkout started', 'CheckoutService')),
    );
    requestScope.run({ eventId: 'evt-1' }, () => logger.warn('event retried', 'EventConsumer'));
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
});

import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ROOT_CONTEXT, context, createContextKey, type ContextManager } from '@opentelemetry/api';
import { currentRequestId, currentScope, runInScope } from './request-scope.js';
import { ScopeContextManager } from './scope-context-manager.js';

const KEY = createContextKey('test-value');
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** The request scope and the trace context under each context manager a process may run with. */
describe.each<[string, () => ContextManager]>([
  ['ScopeContextManager (tracing on, as register.ts starts it)', () => new ScopeContextManager()],
  ["the SDK's own AsyncLocalStorage manager", () => new AsyncLocalStorageContextManager()],
])('request scope with %s', (_name, makeManager) => {
  beforeAll(() => context.setGlobalContextManager(makeManager().enable()));
  afterAll(() => context.disable());

  it('enters the scope and the trace context together, and both follow the work across awaits', async () => {
    const seen = await runInScope(
      { requestId: 'req-1' },
      async () => {
        await tick();
        return [currentRequestId(), context.active().getValue(KEY)];
      },
      ROOT_CONTEXT.setValue(KEY, 'trace-1'),
    );
    expect(seen).toEqual(['req-1', 'trace-1']);
    expect(currentScope()).toBeUndefined();
    expect(context.active().getValue(KEY)).toBeUndefined();
  });

  it('keeps the scope when the trace context changes under it (a span, a parent taken from a message), and the trace context when the scope changes', async () => {
    const seen = await runInScope(
      { eventId: 'evt-1' },
      () =>
        context.with(ROOT_CONTEXT.setValue(KEY, 'from-envelope'), async () => {
          await tick();
          const inner = runInScope({ requestId: 'req-2' }, () => [
            currentScope()?.requestId,
            currentScope()?.eventId,
            context.active().getValue(KEY),
          ]);
          return [currentScope()?.eventId, context.active().getValue(KEY), ...inner];
        }),
      ROOT_CONTEXT.setValue(KEY, 'request'),
    );
    expect(seen).toEqual(['evt-1', 'from-envelope', 'req-2', undefined, 'from-envelope']);
  });
});

describe('request scope with tracing off (no context manager)', () => {
  it('keeps the scope; the trace context is the empty one', async () => {
    const seen = await runInScope(
      { requestId: 'req-3' },
      async () => {
        await tick();
        return [currentRequestId(), context.active() === ROOT_CONTEXT];
      },
      ROOT_CONTEXT.setValue(KEY, 'ignored'),
    );
    expect(seen).toEqual(['req-3', true]);
  });
});

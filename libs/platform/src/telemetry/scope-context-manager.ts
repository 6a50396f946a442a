import type { Context, ContextManagementToken } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { activeTraceContext, enterTraceContext, keepTraceContextInScope, runInTraceContext } from './request-scope.js';

/**
 * The SDK's AsyncLocalStorage context manager, with the OpenTelemetry context kept in the request
 * scope's storage (request-scope.ts) instead of a storage of its own: a request's trace context and
 * its request id are then entered together, in one run. Binding functions and event emitters is the
 * SDK's own (it goes through `with`). Loaded only when tracing is on (register.ts).
 */
export class ScopeContextManager extends AsyncLocalStorageContextManager {
  override active(): Context {
    return activeTraceContext();
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return runInTraceContext(context, thisArg == null ? fn : (fn.bind(thisArg) as F), ...args);
  }

  override attach(context: Context): ContextManagementToken {
    const restore = enterTraceContext(context);
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        restore();
      },
    };
  }

  override enable(): this {
    keepTraceContextInScope(true);
    return this;
  }

  override disable(): this {
    keepTraceContextInScope(false);
    return this;
  }
}

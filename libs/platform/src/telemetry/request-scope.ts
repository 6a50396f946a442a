import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, context, type Context } from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/transport-node';

/** What identifies the work a log line belongs to: an HTTP request (and the requests it causes), or an event. */
export interface RequestScope {
  requestId?: string;
  eventId?: string;
}

/** What the scope storage holds: the work's scope and, when tracing is on, its OpenTelemetry context. */
interface ScopeFrame extends RequestScope {
  trace?: Context;
}

/**
 * The request or event being handled, for log lines (independent of tracing, which may be off).
 * With tracing on, the OpenTelemetry context lives here too (ScopeContextManager, which
 * register.ts gives the SDK): entering a request then costs one AsyncLocalStorage run, not one
 * for the trace context and another for the request id (each copies the async context frame;
 * together ~7 µs of the gateway's per-request cost in a profile).
 */
const scopeStorage = new AsyncLocalStorage<ScopeFrame>();

/** Whether the SDK's context manager keeps its context in scopeStorage (set by ScopeContextManager). */
let traceContextInScope = false;

/** ScopeContextManager calls this when the SDK enables it. */
export function keepTraceContextInScope(on: boolean): void {
  traceContextInScope = on;
}

/**
 * Runs `fn` as the work `scope` names, in the trace context `trace` when given (else the active
 * one stays). One AsyncLocalStorage run when the trace context is kept in the scope.
 */
export function runInScope<T>(scope: RequestScope, fn: () => T, trace?: Context): T {
  if (traceContextInScope) return scopeStorage.run({ ...scope, trace: trace ?? scopeStorage.getStore()?.trace }, fn);
  // Tracing off (context.with does nothing), or another context manager (a test's): each its own storage.
  return trace ? context.with(trace, () => scopeStorage.run(scope, fn)) : scopeStorage.run(scope, fn);
}

/** The request or event being handled, if any. */
export function currentScope(): RequestScope | undefined {
  return scopeStorage.getStore();
}

export function currentRequestId(): string | undefined {
  return scopeStorage.getStore()?.requestId;
}

/** The active OpenTelemetry context, for ScopeContextManager. */
export function activeTraceContext(): Context {
  return scopeStorage.getStore()?.trace ?? ROOT_CONTEXT;
}

/** `frame`'s scope in the OpenTelemetry context `trace`. */
function withTrace(frame: ScopeFrame | undefined, trace: Context): ScopeFrame {
  return frame ? { requestId: frame.requestId, eventId: frame.eventId, trace } : { trace };
}

/** Runs `fn` in the OpenTelemetry context `trace`, the scope kept, for ScopeContextManager. */
export function runInTraceContext<A extends unknown[], R>(trace: Context, fn: (...args: A) => R, ...args: A): R {
  return scopeStorage.run(withTrace(scopeStorage.getStore(), trace), fn, ...args);
}

/** Makes `trace` the active OpenTelemetry context from here on in this async chain (ContextManager.attach); returns the previous frame's restorer. */
export function enterTraceContext(trace: Context): () => void {
  const previous = scopeStorage.getStore();
  scopeStorage.enterWith(withTrace(previous, trace));
  return () => scopeStorage.enterWith(previous as ScopeFrame);
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller-supplied request id is kept only when it is a plain token of sensible length. */
export function acceptableRequestId(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : undefined;
}

export function requestIdOfHeaders(headers: MsgHdrs | undefined): string | undefined {
  return headers?.has(REQUEST_ID_HEADER) ? acceptableRequestId(headers.get(REQUEST_ID_HEADER)) : undefined;
}

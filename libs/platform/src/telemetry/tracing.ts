import {
  INVALID_TRACEID,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  ProxyTracerProvider,
  TraceFlags,
  context,
  createContextKey,
  isSpanContextValid,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/transport-node';

/**
 * Tracing helpers for app and platform code. They only use the OpenTelemetry API: when the SDK
 * is not started (no OTLP endpoint configured, see register.ts) every span is a no-op and no
 * trace header is written.
 */
export const tracer = trace.getTracer('polystore');

export { SpanKind };

/** Tracing is on when an OTLP endpoint is configured and the SDK is not disabled (the standard OTEL_* variables). */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (String(env.OTEL_SDK_DISABLED).toLowerCase() === 'true') return false;
  if (String(env.OTEL_TRACES_EXPORTER ?? 'otlp').toLowerCase() === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Whether spans can be recorded at all: an SDK registered its tracer provider (register.ts does
 * when tracing is configured). Without one every span is a no-op, so hot paths may skip building
 * per-message spans and reading trace headers.
 */
export function tracerRegistered(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer('polystore') !== undefined;
}

/** Adds attributes to the active span (a domain id to find the trace by: `polystore.checkout_id`, ...). */
export function annotateActiveSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/** Marks a span failed with the error's message (and its RPC/domain code, when it has one). */
export function recordFailure(span: Span, error: unknown): void {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') span.setAttribute('error.type', code);
  else span.setAttribute('error.type', (error as Error)?.name ?? 'Error');
  span.setStatus({ code: SpanStatusCode.ERROR, message: String((error as Error)?.message ?? error).slice(0, 300) });
}

export interface SpanOptions {
  kind?: SpanKind;
  /** Or a function making them, called only when the span is recorded (most requests are not). */
  attributes?: Attributes | (() => Attributes);
  links?: Link[];
  /** The parent; the active context by default. */
  parent?: Context;
}

/**
 * Unsampled traces (90 % of requests at 10 % sampling) run in a context with no span at all, only
 * their trace context under this key. The samplers are parent-based, so nothing under such a
 * request would be recorded; without a span in the context, nothing is even made: the helpers
 * here, the driver instrumentations (all `requireParentSpan`) and Prisma's (register.ts) skip
 * their work, which a non-recording span per step would otherwise cost. The trace context still
 * travels on (NATS headers, event envelopes: `traceparent` with the "not sampled" flag), so
 * downstream services keep the decision, and log lines keep the trace id.
 *
 * The value is a non-recording span holding the trace context, checked valid when it was put
 * there: helpers that hand a span to their work (inSpan) pass this one instead of making one.
 */
const UNSAMPLED_TRACE = createContextKey('polystore.unsampled-trace');

/** The non-recording span an unsampled trace's context holds (see UNSAMPLED_TRACE), if `ctx` is one. */
function unsampledSpanIn(ctx: Context): Span | undefined {
  return ctx.getValue(UNSAMPLED_TRACE) as Span | undefined;
}

/**
 * The context for work in the unsampled trace `spanContext` names: no span, its trace context
 * kept. An invalid span context (tracing off: the no-op tracer's) is no trace: the empty context.
 */
export function unsampledContext(spanContext: SpanContext): Context {
  return isSpanContextValid(spanContext) ? ROOT_CONTEXT.setValue(UNSAMPLED_TRACE, trace.wrapSpanContext(spanContext)) : ROOT_CONTEXT;
}

/**
 * unsampledContext for a span the tracer has just made and not sampled: its ids are the tracer's
 * own or a parent's the propagator checked, so only the no-op tracer's (all zeros) are no trace.
 */
export function unsampledContextOfSpan(span: Span): Context {
  return span.spanContext().traceId === INVALID_TRACEID ? ROOT_CONTEXT : ROOT_CONTEXT.setValue(UNSAMPLED_TRACE, span);
}

/** The trace context of the unsampled trace `ctx` is in (as made by unsampledContext, or a span whose decision was "no"); else undefined. */
export function unsampledTraceOf(ctx: Context): SpanContext | undefined {
  const carried = unsampledSpanIn(ctx);
  if (carried) return carried.spanContext();
  const spanContext = trace.getSpanContext(ctx);
  return spanContext && isSpanContextValid(spanContext) && (spanContext.traceFlags & TraceFlags.SAMPLED) === 0 ? spanContext : undefined;
}

/** The trace context of `ctx` for propagation and logs: its span's, or its unsampled trace's. */
export function traceContextOf(ctx: Context = context.active()): SpanContext | undefined {
  const carried = unsampledSpanIn(ctx);
  if (carried) return carried.spanContext();
  const spanContext = trace.getSpanContext(ctx);
  return spanContext && isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** Whether spans made in `ctx` (the active context by default) are recorded: a sampled trace is under way. */
export function recordingIn(ctx: Context = context.active()): boolean {
  return trace.getSpan(ctx)?.isRecording() === true;
}

/**
 * The span an unsampled trace's work is given (one that records nothing, so the work may annotate
 * it as usual) and the context to run it in, if `parent` is in an unsampled trace.
 */
function unsampledWork(parent: Context): { span: Span; context: Context } | undefined {
  const carried = unsampledSpanIn(parent);
  if (carried) return { span: carried, context: parent };
  // A recorded trace (the other common case) needs no check of ids: its span is the SDK's.
  if (trace.getSpan(parent)?.isRecording()) return undefined;
  const spanContext = unsampledTraceOf(parent);
  if (!spanContext) return undefined;
  // A span whose decision was "no" (a remote parent's): its context without the span, so nothing below makes one.
  const span = trace.wrapSpanContext(spanContext);
  return { span, context: trace.deleteSpan(parent).setValue(UNSAMPLED_TRACE, span) };
}

/** The context for work under `parent` when `parent` is in an unsampled trace (see unsampledWork); else undefined. */
export function unsampledContextOf(parent: Context): Context | undefined {
  return unsampledWork(parent)?.context;
}

/** Runs `fn(span)` in `ctx`, entering it only when it is not the active one already. */
function runIn<T>(ctx: Context, span: Span, fn: (span: Span) => T): T {
  return ctx === context.active() ? fn(span) : context.with(ctx, fn, undefined, span);
}

function attributesOf(options: SpanOptions): Attributes | undefined {
  return typeof options.attributes === 'function' ? options.attributes() : options.attributes;
}

/**
 * Runs `work` inside a new active span, ended when it settles; a rejection marks the span failed.
 * In an unsampled trace it makes no span (see UNSAMPLED_TRACE), and adds no promise of its own.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const unsampled = unsampledWork(parent);
  if (!unsampled) return inRecordedSpan(name, options, parent, work);
  try {
    return runIn(unsampled.context, unsampled.span, work);
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

async function inRecordedSpan<T>(name: string, options: SpanOptions, parent: Context, work: (span: Span) => Promise<T>): Promise<T> {
  const span = tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: attributesOf(options), links: options.links }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), work, undefined, span);
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** The synchronous `inSpan`, for guards and other synchronous steps. */
export function inSpanSync<T>(name: string, options: SpanOptions, work: (span: Span) => T): T {
  const parent = options.parent ?? context.active();
  const unsampled = unsampledWork(parent);
  if (unsampled) return runIn(unsampled.context, unsampled.span, work);
  const span = tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: attributesOf(options) }, parent);
  try {
    return context.with(trace.setSpan(parent, span), work, undefined, span);
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** `ctx` as the propagators read it: an unsampled trace's context set as its span context; undefined when there is no trace. */
function propagatedContext(ctx: Context): Context | undefined {
  const carried = unsampledSpanIn(ctx);
  if (carried) return trace.setSpan(ctx, carried);
  const spanContext = trace.getSpanContext(ctx);
  return spanContext && isSpanContextValid(spanContext) ? ctx : undefined;
}

/** The W3C `traceparent` of a context (the active one by default), or undefined when it is in no trace. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const propagated = propagatedContext(ctx);
  if (!propagated) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(propagated, carrier);
  return carrier.traceparent;
}

/** The context a `traceparent` names (as a remote parent), or the empty context when there is none. */
export function contextOfTraceparent(traceparent: string | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/** A link to the span a `traceparent` names, or none. */
export function linksTo(traceparent: string | undefined): Link[] {
  const spanContext = trace.getSpanContext(contextOfTraceparent(traceparent));
  return spanContext && isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
}

/** Reads trace headers from NATS message headers (absent headers read as none). */
export const natsHeaderGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (carrier) => (carrier ? carrier.keys() : []),
  get: (carrier, key) => (carrier?.has(key) ? carrier.get(key) : undefined),
};

export const natsHeaderSetter: TextMapSetter<MsgHdrs> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** The parent context carried by NATS message headers. */
export function contextOfNatsHeaders(headers: MsgHdrs | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers, natsHeaderGetter);
}

/** Writes the active trace context into NATS headers; returns whether there was one to write. */
export function injectIntoNatsHeaders(headers: MsgHdrs, ctx: Context = context.active()): boolean {
  const propagated = propagatedContext(ctx);
  if (!propagated) return false;
  propagation.inject(propagated, headers, natsHeaderSetter);
  return true;
}

/** OpenTelemetry messaging attributes of a NATS message (semantic conventions, messaging.*). */
export function natsMessagingAttributes(
  destination: string,
  operation: { type: 'create' | 'send' | 'receive' | 'process'; name: string },
  extra: Attributes = {},
): Attributes {
  return {
    'messaging.system': 'nats',
    'messaging.destination.name': destination,
    'messaging.operation.type': operation.type,
    'messaging.operation.name': operation.name,
    ...extra,
  };
}

import { randomBytes, randomUUID } from 'node:crypto';
import { ROOT_CONTEXT, SpanStatusCode, TraceFlags, propagation, trace, type Context, type Span, type SpanContext } from '@opentelemetry/api';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER, acceptableRequestId, runInScope } from './request-scope.js';
import { SpanKind, tracer, unsampledContext, unsampledContextOfSpan } from './tracing.js';

interface RequestTrace {
  requestId: string;
  /** The SERVER span, when this request is sampled (recorded). */
  span?: Span;
  /** What the request runs in: its span's context, or its unsampled trace's (no span, see unsampledContext). */
  context: Context;
  startedAt: number;
}

const accessLog = new Logger('HTTP');

const traces = new WeakMap<FastifyRequest, RequestTrace>();

/**
 * HTTP SERVER spans for a Fastify app (the gateway): named `<METHOD> <route template>`, with the
 * status and the caller's user id (setHttpUser), never a header's value. A caller's `traceparent`
 * is continued. Every request gets a request id (the caller's `x-request-id` when it is a plain
 * token, else a new one), answered in the same header and put on each log line the request causes.
 *
 * The span starts when the request arrives; the rest of the request runs inside it from Fastify's
 * preHandler on (after the body is read: the body's stream events would not carry the context).
 * An unsampled request (the sampler decides when the span starts) runs in its trace's context
 * without a span, so nothing below it makes one (tracing.ts, UNSAMPLED_TRACE).
 */
export function traceHttpRequests(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const requestId = acceptableRequestId(request.headers[REQUEST_ID_HEADER]) ?? randomUUID();
    traces.set(request, { requestId, ...requestContext(request, requestId), startedAt: performance.now() });
    void reply.header(REQUEST_ID_HEADER, requestId);
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const current = traces.get(request);
    if (!current) return done();
    runInScope({ requestId: current.requestId }, done, current.context);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const current = traces.get(request);
    if (current) {
      if (current.span) {
        current.span.setAttribute('http.response.status_code', reply.statusCode);
        if (reply.statusCode >= 500) current.span.setStatus({ code: SpanStatusCode.ERROR });
        current.span.end();
      }
      // One access line per request, with its request and trace ids (probes are left out).
      const route = request.routeOptions.url;
      if (!isProbe(route)) {
        const durationMs = Math.round((performance.now() - current.startedAt) * 10) / 10;
        runInScope(
          { requestId: current.requestId },
          () =>
            accessLog.log({
              msg: `${request.method} ${route ?? request.url.split('?')[0]} ${reply.statusCode} ${durationMs} ms`,
              status: reply.statusCode,
              durationMs,
            }),
          current.context,
        );
      }
    }
    done();
  });
}

/**
 * The request's span (when sampled) and the context it runs in. Health and metrics probes come
 * every few seconds: they are answered in an unsampled trace of their own (which the services'
 * work below them follows), so traces show traffic, not probes.
 */
function requestContext(request: FastifyRequest, requestId: string): Pick<RequestTrace, 'span' | 'context'> {
  const route = request.routeOptions.url;
  if (isProbe(route)) return { context: unsampledContext(probeTraceContext()) };
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  // Attributes are set once the span records: the samplers here (parent-based, trace-id ratio) do
  // not read them, and checking them at start cost every unsampled request as much as the span.
  const span = tracer.startSpan(route ? `${request.method} ${route}` : request.method, { kind: SpanKind.SERVER }, parent);
  if (!span.isRecording()) return { context: unsampledContextOfSpan(span) };
  span.setAttributes({
    'http.request.method': request.method,
    ...(route ? { 'http.route': route } : {}),
    'url.path': request.url.split('?')[0],
    'url.scheme': request.protocol,
    'client.address': request.ip,
    'polystore.request_id': requestId,
  });
  return { span, context: trace.setSpan(ROOT_CONTEXT, span) };
}

function isProbe(route: string | undefined): boolean {
  return route !== undefined && (route === '/health' || route.startsWith('/health/') || route === '/metrics');
}

/** A trace context that says "not sampled", for a probe. */
function probeTraceContext(): SpanContext {
  return { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), traceFlags: TraceFlags.NONE, isRemote: true };
}

/** Records who the caller is on the request's HTTP span (the user id from a verified token; never the token). */
export function setHttpUser(request: FastifyRequest, userId: string): void {
  traces.get(request)?.span?.setAttribute('enduser.id', userId);
}

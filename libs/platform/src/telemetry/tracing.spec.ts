import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, ParentBasedSampler, SamplingDecision, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { newEvent } from '../events/event-factory.js';
import {
  contextOfNatsHeaders,
  contextOfTraceparent,
  inSpan,
  inSpanSync,
  injectIntoNatsHeaders,
  recordingIn,
  traceparentOf,
  tracer,
  unsampledContext,
} from './tracing.js';

/**
 * The SDK as register.ts starts it, with a parent-based sampler whose root decision the test sets
 * (`sdk(sampled)`), spans kept in memory. One provider for the whole file: `tracer` binds to the
 * first one it sees.
 */
const exporter = new InMemorySpanExporter();
let sampleRoots = false;
const provider = new TracerProvider({
  sampler: new ParentBasedSampler({
    root: { shouldSample: () => ({ decision: sampleRoots ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD }) },
  }),
  spanProcessors: [new SimpleSpanProcessor({ exporter })],
});
function sdk(sampled: boolean) {
  sampleRoots = sampled;
  exporter.reset();
  return { names: () => exporter.getFinishedSpans().map((span) => span.name) };
}

/** What the gateway does for a request: the root span decides; an unsampled one leaves only its trace context. */
function requestContext() {
  const span = tracer.startSpan('GET /users/me');
  return { span, ctx: span.isRecording() ? trace.setSpan(ROOT_CONTEXT, span) : unsampledContext(span.spanContext()) };
}

describe('tracing helpers', () => {
  const manager = new AsyncLocalStorageContextManager().enable();
  beforeAll(() => {
    context.setGlobalContextManager(manager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('an unsampled request makes no span below its root, and passes its trace id on with the "not sampled" flag', async () => {
    const { names } = sdk(false);
    const { span: root, ctx } = requestContext();
    const { traceId } = root.spanContext();
    const seen = await context.with(ctx, () =>
      inSpan('send users.get-user.v1', {}, async (span) => {
        const headers = natsHeaders();
        return {
          active: trace.getActiveSpan(),
          recording: span.isRecording() || recordingIn(),
          guard: inSpanSync('guard JwtAuthGuard', {}, () => trace.getActiveSpan()),
          written: injectIntoNatsHeaders(headers),
          header: headers.get('traceparent'),
          traceparent: traceparentOf(),
          event: newEvent('users', { type: 'UserRegistered', version: 1 }, {}),
        };
      }),
    );
    root.end();
    await provider.forceFlush();
    // No span in the context, so drivers' instrumentations (requireParentSpan) do nothing either.
    expect(seen.active).toBeUndefined();
    expect(seen.guard).toBeUndefined();
    expect(seen.recording).toBe(false);
    expect(seen.written).toBe(true);
    expect(seen.header).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
    expect(seen.traceparent).toBe(seen.header);
    // The event carries the decision to its consumers.
    expect(seen.event.traceparent).toBe(seen.header);
    expect(names()).toEqual([]);
  });

  it('a service continuing an unsampled caller (NATS header or event) makes no span and keeps the trace id for the next hop', async () => {
    const { names } = sdk(true); // a root would be sampled: only the caller's "no" keeps these out
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';
    const incoming = natsHeaders();
    incoming.set('traceparent', traceparent);
    const fromHeaders = await inSpan('process users.get-user.v1', { parent: contextOfNatsHeaders(incoming) }, async () => ({
      active: trace.getActiveSpan(),
      next: traceparentOf(),
    }));
    const fromEvent = await inSpan('process events.users.UserRegistered.v1', { parent: contextOfTraceparent(traceparent) }, async () =>
      traceparentOf(),
    );
    await provider.forceFlush();
    expect(fromHeaders).toEqual({ active: undefined, next: traceparent });
    expect(fromEvent).toBe(traceparent);
    expect(names()).toEqual([]);
  });

  it('a sampled request records its spans as children, and passes on their context with the "sampled" flag', async () => {
    sdk(true);
    const { span: root, ctx } = requestContext();
    const header = await context.with(ctx, () =>
      inSpan('send users.get-user.v1', {}, async () => {
        inSpanSync('guard JwtAuthGuard', {}, () => undefined);
        return traceparentOf();
      }),
    );
    root.end();
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    const send = spans.find((span) => span.name === 'send users.get-user.v1')!;
    const guard = spans.find((span) => span.name === 'guard JwtAuthGuard')!;
    expect(spans.map((span) => span.name).sort()).toEqual(['GET /users/me', 'guard JwtAuthGuard', 'send users.get-user.v1']);
    expect(send.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(guard.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
    expect(header).toBe(`00-${root.spanContext().traceId}-${send.spanContext().spanId}-01`);
  });
});

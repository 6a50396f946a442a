import { context, trace, type Span } from '@opentelemetry/api';
import { NatsContext, type ServerNats, type Serializer } from '@nestjs/microservices';
import { SubjectNatsServer } from '../nats/nats-server.js';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { requestIdOfHeaders, runInScope } from './request-scope.js';
import {
  SpanKind,
  contextOfNatsHeaders,
  injectIntoNatsHeaders,
  natsMessagingAttributes,
  tracer,
  unsampledContextOf,
  unsampledTraceOf,
} from './tracing.js';

type ServerNatsOptions = ConstructorParameters<typeof ServerNats>[0];

/**
 * Nest's NATS transport with a SERVER span around each request it serves, continuing the
 * caller's trace from the `traceparent` NATS header (RpcClient writes it) and answering with the
 * server span's `traceparent` on the reply (a caller's unsampled trace gets no span and no reply
 * header: see unsampledSpanOf). The span covers everything Nest does for the request:
 * validation, guards, interceptors, the handler and the reply. The caller's request id (header
 * `x-request-id`) is the request id of the handler's log lines.
 *
 * It uses Nest's processing hooks, which run the rest of the request inside the start hook.
 */
export function tracedNatsServer(options: ServerNatsOptions): ServerNats {
  const server = new SubjectNatsServer({ ...options, serializer: tracingReplySerializer });
  const spans = new WeakMap<object, Span>();
  server.setOnProcessingStartHook((_transport, rpcContext, done) => {
    if (!(rpcContext instanceof NatsContext)) return done();
    const subject = rpcContext.getSubject();
    const incoming = rpcContext.getHeaders() as MsgHdrs | undefined;
    const parent = contextOfNatsHeaders(incoming);
    const requestId = requestIdOfHeaders(incoming);
    // An unsampled caller: its decision holds here too, so no span; its context stays active for the calls this request makes.
    const unsampled = unsampledContextOf(parent);
    if (unsampled) return runInScope({ requestId }, done, unsampled);
    const span = tracer.startSpan(
      `process ${subject}`,
      { kind: SpanKind.SERVER, attributes: natsMessagingAttributes(subject, { type: 'process', name: 'request' }) },
      parent,
    );
    spans.set(rpcContext, span);
    return runInScope({ requestId }, done, trace.setSpan(parent, span));
  });
  server.setOnProcessingEndHook((_transport, rpcContext) => {
    spans.get(rpcContext as object)?.end();
  });
  return server;
}

/**
 * Nest's reply packet as JSON (what its NATS serializer writes for a reply), with the serving
 * span's `traceparent` in the reply's headers.
 */
const tracingReplySerializer: Serializer = {
  serialize(packet: unknown): { data: string; headers?: MsgHdrs } {
    const data = JSON.stringify(packet);
    // The serving span may have ended already (the reply is written after the processing hooks): its flags tell.
    if (!trace.getActiveSpan() || unsampledTraceOf(context.active())) return { data };
    const replyHeaders = natsHeaders();
    return { data, ...(injectIntoNatsHeaders(replyHeaders) ? { headers: replyHeaders } : {}) };
  },
};

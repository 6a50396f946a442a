import { AsyncLocalStorage } from 'node:async_hooks';
import type { MsgHdrs } from '@nats-io/transport-node';

/** What identifies the work a log line belongs to: an HTTP request (and the requests it causes), or an event. */
export interface RequestScope {
  requestId?: string;
  eventId?: string;
}

/** The request or event being handled, for log lines (independent of tracing, which may be off). */
export const requestScope = new AsyncLocalStorage<RequestScope>();

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller-supplied request id is kept only when it is a plain token of sensible length. */
export function acceptableRequestId(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : undefined;
}

export function requestIdOfHeaders(headers: MsgHdrs | undefined): string | undefined {
  return headers?.has(REQUEST_ID_HEADER) ? acceptableRequestId(headers.get(REQUEST_ID_HEADER)) : undefined;
}

export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

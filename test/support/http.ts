/** A JSON response as the e2e tests read it: status, parsed body (undefined when empty), headers. */
export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Plain HTTP to the gateway for the e2e tests: deliberately bad requests, and the few a suite
 * sends without the typed client. A string body is sent as it is (malformed JSON on purpose).
 */
export function gatewayHttp(base: string) {
  return async function http<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    const res = await fetch(base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

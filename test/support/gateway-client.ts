import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './gateway-api.js';

/** A client of the gateway typed by its OpenAPI document (test/support/gateway-api.d.ts): a drift breaks the tests' compilation. */
export function gatewayClient(baseUrl: string, token?: string): Client<paths> {
  return createClient<paths>({ baseUrl, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

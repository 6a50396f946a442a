import { createPublicKey } from 'node:crypto';
import { envInt, envOptional, envPem } from '@polystore/platform';
import { APPS } from '@polystore/manifest';

export interface GatewayConfig {
  port: number;
  host: string;
  bodyLimitBytes: number;
  rpcTimeoutMs: number;
  jwtPublicKey: string;
  /** Register and login attempts one client address may make per minute (per gateway instance). */
  authAttemptsPerAddressPerMinute: number;
  /** Failed logins an account may have within loginFailureWindowMinutes; then it is refused until that window ends (per gateway instance). */
  loginFailuresPerAccount: number;
  loginFailureWindowMinutes: number;
  /** Behind a proxy or load balancer: take the client address from X-Forwarded-For (Fastify's trustProxy). */
  trustProxy: boolean;
}

/** Reads GATEWAY_* variables; fails naming the variable when one is missing or invalid. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    port: envInt('GATEWAY_PORT', APPS.gateway.httpPort.dev, { min: 0, max: 65535 }, env),
    host: envOptional('GATEWAY_HOST', env) ?? '127.0.0.1',
    bodyLimitBytes: envInt('GATEWAY_BODY_LIMIT_BYTES', 64 * 1024, { min: 1024, max: 10 * 1024 * 1024 }, env),
    rpcTimeoutMs: envInt('GATEWAY_RPC_TIMEOUT_MS', 3_000, { min: 50, max: 60_000 }, env),
    // users' ES256 public key: verifies tokens, cannot sign them.
    jwtPublicKey: envPem('GATEWAY_JWT_PUBLIC_KEY', env, (pem) => createPublicKey(pem)),
    authAttemptsPerAddressPerMinute: envInt('GATEWAY_AUTH_ATTEMPTS_PER_ADDRESS_PER_MINUTE', 30, { min: 1, max: 1_000_000 }, env),
    loginFailuresPerAccount: envInt('GATEWAY_LOGIN_FAILURES_PER_ACCOUNT', 5, { min: 1, max: 1000 }, env),
    loginFailureWindowMinutes: envInt('GATEWAY_LOGIN_FAILURE_WINDOW_MINUTES', 15, { min: 1, max: 24 * 60 }, env),
    trustProxy: envInt('GATEWAY_TRUST_PROXY', 0, { min: 0, max: 1 }, env) === 1,
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

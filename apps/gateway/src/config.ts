import { createPublicKey } from 'node:crypto';
import { envInt, envOptional, envPem } from '@polystore/platform';

export interface GatewayConfig {
  port: number;
  host: string;
  bodyLimitBytes: number;
  rpcTimeoutMs: number;
  jwtPublicKey: string;
}

/** Reads GATEWAY_* variables; fails naming the variable when one is missing or invalid. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    port: envInt('GATEWAY_PORT', 3000, { min: 0, max: 65535 }, env),
    host: envOptional('GATEWAY_HOST', env) ?? '127.0.0.1',
    bodyLimitBytes: envInt('GATEWAY_BODY_LIMIT_BYTES', 64 * 1024, { min: 1024, max: 10 * 1024 * 1024 }, env),
    rpcTimeoutMs: envInt('GATEWAY_RPC_TIMEOUT_MS', 3_000, { min: 50, max: 60_000 }, env),
    // users' ES256 public key: verifies tokens, cannot sign them.
    jwtPublicKey: envPem('GATEWAY_JWT_PUBLIC_KEY', env, (pem) => createPublicKey(pem)),
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

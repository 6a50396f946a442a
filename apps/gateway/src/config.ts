import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, envInt, envOptional } from '@polystore/platform';

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
    jwtPublicKey: readPublicKey(env),
  };
}

function readPublicKey(env: NodeJS.ProcessEnv): string {
  const pem = readPublicKeyText(env);
  try {
    createPublicKey(pem);
  } catch (error) {
    throw new ConfigError(envOptional('GATEWAY_JWT_PUBLIC_KEY', env) ? 'GATEWAY_JWT_PUBLIC_KEY' : 'GATEWAY_JWT_PUBLIC_KEY_FILE', `is not a public key: ${(error as Error).message}`);
  }
  return pem;
}

function readPublicKeyText(env: NodeJS.ProcessEnv): string {
  const inline = envOptional('GATEWAY_JWT_PUBLIC_KEY', env);
  if (inline) return inline.replace(/\\n/g, '\n');
  const file = envOptional('GATEWAY_JWT_PUBLIC_KEY_FILE', env);
  if (!file) throw new ConfigError('GATEWAY_JWT_PUBLIC_KEY_FILE', 'is required (or GATEWAY_JWT_PUBLIC_KEY with the PEM itself)');
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('GATEWAY_JWT_PUBLIC_KEY_FILE', `cannot be read: ${(error as Error).message}`);
  }
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

import { readFileSync } from 'node:fs';
import { APPS, INFRASTRUCTURE, type AppName } from '@polystore/manifest';

/**
 * Reading configuration from the environment. Every service reads only variables
 * with its own prefix (plus NATS_URL); a missing or invalid value fails at boot
 * with a message naming the variable.
 */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function envString(name: string, fallback?: string, env: Env = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    if (fallback !== undefined) return fallback;
    throw new ConfigError(name, 'is required but not set');
  }
  return value;
}

export function envOptional(name: string, env: Env = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function envInt(name: string, fallback: number, bounds: { min?: number; max?: number } = {}, env: Env = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (bounds.min !== undefined && value < bounds.min) throw new ConfigError(name, `must be ≥ ${bounds.min}, got ${value}`);
  if (bounds.max !== undefined && value > bounds.max) throw new ConfigError(name, `must be ≤ ${bounds.max}, got ${value}`);
  return value;
}

/** A URL variable; without a fallback it is required (store URLs: they carry the service's password). */
export function envUrl(name: string, fallback: string | undefined, protocols: string[], env: Env = process.env): string {
  const value = envString(name, fallback, env);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${value}"`);
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return value;
}

/** The NATS settings every app reads: NATS_URL plus its own <PREFIX>_NATS_USER/_PASSWORD. */
export interface NatsSettings {
  servers: string[];
  user?: string;
  pass?: string;
  name: string;
  /** Replies come back under this prefix; each app's NATS user may only subscribe to its own. */
  inboxPrefix?: string;
}

/** An app's NATS settings: NATS_URL, and its own user from <PREFIX>_NATS_USER/_PASSWORD (prefix from the manifest). */
export function appNatsSettings(app: AppName, env: Env = process.env): NatsSettings {
  return natsSettings(APPS[app].envPrefix, app, env);
}

export function natsSettings(prefix: string, name: string, env: Env = process.env): NatsSettings {
  const url = envString('NATS_URL', `nats://127.0.0.1:${INFRASTRUCTURE.nats.port.dev}`, env);
  const servers = url.split(',').map((s) => s.trim());
  for (const server of servers) {
    if (!/^(nats|tls):\/\/[^\s/]+$/.test(server)) throw new ConfigError('NATS_URL', `has an invalid server "${server}"`);
  }
  return {
    servers,
    user: envOptional(`${prefix}_NATS_USER`, env),
    pass: envOptional(`${prefix}_NATS_PASSWORD`, env),
    name,
    inboxPrefix: `_INBOX_${name}`,
  };
}

/**
 * A PEM (key or certificate) given inline in `<NAME>` (with \n escapes allowed) or as a path in
 * `<NAME>_FILE`; one of them is required. `check` may reject a value that is not a usable key.
 */
export function envPem(name: string, env: Env = process.env, check?: (pem: string) => void): string {
  const inline = envOptional(name, env);
  const fileVar = `${name}_FILE`;
  let pem: string;
  if (inline) {
    pem = inline.replace(/\\n/g, '\n');
  } else {
    const file = envOptional(fileVar, env);
    if (!file) throw new ConfigError(fileVar, `is required (or ${name} with the PEM itself)`);
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(fileVar, `cannot be read: ${(error as Error).message}`);
    }
  }
  try {
    check?.(pem);
  } catch (error) {
    throw new ConfigError(inline ? name : fileVar, `does not hold a usable key: ${(error as Error).message}`);
  }
  return pem;
}

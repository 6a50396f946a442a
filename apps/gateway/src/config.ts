import { createPublicKey } from 'node:crypto';
import { envInt, envOptional, envPem } from '@polystore/platform';
import { APPS } from '@polystore/manifest';
import type { OverviewSection } from './me/overview.js';

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
  /** GET /me/overview: how long each section's service may take before it is left out (or, if required, the answer is 503). */
  overviewDeadlinesMs: Record<OverviewSection, number>;
}

/** GATEWAY_OVERVIEW_<SECTION>_DEADLINE_MS, with its default: the required sections get a little longer. */
const OVERVIEW_DEADLINES: Record<OverviewSection, [variable: string, defaultMs: number]> = {
  profile: ['GATEWAY_OVERVIEW_PROFILE_DEADLINE_MS', 1_000],
  wallet: ['GATEWAY_OVERVIEW_WALLET_DEADLINE_MS', 1_000],
  cart: ['GATEWAY_OVERVIEW_CART_DEADLINE_MS', 600],
  unreadNotifications: ['GATEWAY_OVERVIEW_NOTIFICATIONS_DEADLINE_MS', 600],
  lastOrders: ['GATEWAY_OVERVIEW_ORDERS_DEADLINE_MS', 600],
  recentActivity: ['GATEWAY_OVERVIEW_ACTIVITY_DEADLINE_MS', 800],
};

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
    overviewDeadlinesMs: Object.fromEntries(
      Object.entries(OVERVIEW_DEADLINES).map(([section, [variable, defaultMs]]) => [
        section,
        envInt(variable, defaultMs, { min: 50, max: 30_000 }, env),
      ]),
    ) as Record<OverviewSection, number>,
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

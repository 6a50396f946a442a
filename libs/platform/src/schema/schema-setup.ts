import type { INestApplicationContext, Logger, Provider } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { InjectTokens } from '../di/inject-tokens.js';

/** A service's schema setup (migrations, indices), under this token; bootstrapService runs it. */
export const SCHEMA_SETUP = Symbol('SCHEMA_SETUP');

export interface SchemaSetup {
  run(): Promise<unknown>;
}

/**
 * Brings the service's store up to date before it takes any request or event: bootstrapService
 * runs it after the providers exist and before any of them starts (relays, consumers, handlers).
 * Several instances may start at once, so the setup must be safe to run concurrently (a lock, or
 * steps that are harmless to repeat). The code itself stays in the service's store/.
 *
 *   schemaSetup((store: AnalyticsClickHouse) => migrate(store), [AnalyticsClickHouse])
 */
export function schemaSetup<Deps extends readonly unknown[]>(
  setup: (...deps: Deps) => Promise<unknown>,
  inject: NoInfer<InjectTokens<Deps>>,
): Provider {
  return { provide: SCHEMA_SETUP, useFactory: (...deps: Deps): SchemaSetup => ({ run: () => setup(...deps) }), inject: [...inject] };
}

/** Runs the app's schema setup, if it declares one, and logs how long it took. */
export async function runSchemaSetup(app: INestApplicationContext, logger: Logger): Promise<void> {
  // Looked up in the module graph rather than with a failing app.get: Nest logs that as an error.
  const declared = [...app.get(ModulesContainer).values()].some((module) => module.providers.has(SCHEMA_SETUP));
  if (!declared) return; // a store without a schema (cart's Redis)
  const started = performance.now();
  await app.get<SchemaSetup>(SCHEMA_SETUP, { strict: false }).run();
  logger.log(`schema set up in ${Math.round(performance.now() - started)} ms`);
}

#!/usr/bin/env node
// The image's HEALTHCHECK: asks the app named by APP for /health/live on its HTTP port, which is
// HEALTH_PORT if set, else the variable the app itself reads (<PREFIX>_HTTP_PORT, or <PREFIX>_PORT
// for the edge), else the manifest's port. Exit 0 when it answers 2xx.
import { APPS } from '../manifest.ts';

const app = APPS[process.env.APP ?? ''];
if (!app) {
  console.error(`APP=${process.env.APP} is not an app of manifest.ts`);
  process.exit(1);
}
const variable = app.store === null ? `${app.envPrefix}_PORT` : `${app.envPrefix}_HTTP_PORT`;
const port = process.env.HEALTH_PORT ?? process.env[variable] ?? String(app.httpPort.dev);
try {
  const response = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2500) });
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`http://127.0.0.1:${port}/health/live: ${error.message}`);
  process.exit(1);
}

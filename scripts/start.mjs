#!/usr/bin/env node
// `npm start`: brings up the stores and NATS (docker compose, or local processes), builds,
// starts every app, waits until all are healthy, and stops everything it started on Ctrl-C.
import { build } from './build.mjs';
import { startApps } from './lib/apps.ts';
import { provision } from './lib/infra.ts';
import { ensureJaeger } from './lib/jaeger.ts';
import { SERVICE_NAMES, STORE_KINDS } from '../manifest.ts';
import { stack } from './lib/stack.ts';

if (process.env.POLYSTORE_SERVICES) {
  // A stack of some services' stores is for the generator's test; npm start runs every app.
  console.error('npm start runs the whole system: unset POLYSTORE_SERVICES (it is for npm test on part of the stores)');
  process.exit(2);
}
const s = stack(process.env.POLYSTORE_STACK ?? 'dev');
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
let infra = null;
let apps = null;
let jaeger = null;
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping apps…');
  await apps?.stop();
  await jaeger?.stop();
  if (infra) {
    console.log('stopping the stores this run started…');
    await infra.stop();
  }
  console.log('stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  console.log(`[1/2] stores and NATS (${s.name} stack, data in ${s.dataDir}), and the build, side by side`);
  const [stores, built, traces] = await Promise.allSettled([
    provision(s).then((p) => (console.log(`      ✓ stores up (${elapsed()})`), p)),
    build({ quiet: true }).then(() => console.log(`      ✓ built (${elapsed()})`)),
    startTraceBackend(),
  ]);
  if (stores.status === 'fulfilled') infra = stores.value;
  if (traces.status === 'fulfilled') jaeger = traces.value;
  else console.warn(`      ! no trace backend, the apps run untraced: ${traces.reason.message}`);
  for (const step of [stores, built]) if (step.status === 'rejected') throw step.reason;
  console.log(`[2/2] starting apps (${elapsed()})`);
  apps = await startApps(s, infra.keys, {
    clickhouseServer: infra.docker,
    env: jaeger ? { OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpEndpoint } : {},
    onProgress: (app, n, total) => console.log(`      ✓ ${app} healthy (${n}/${total}, ${elapsed()})`),
  });
  console.log(`
polystore is up in ${elapsed()}:
  gateway   http://127.0.0.1:${s.ports.gateway}        (OpenAPI: /docs, system health: /health)
  NATS      nats://127.0.0.1:${s.ports.nats}
  traces    ${jaeger ? `${jaeger.queryUrl}/api/v3/traces/<trace id>, or: npm run trace -- <trace id | checkout id>` : process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? `exported to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}` : 'off'}
  stores    ${storeSummary(infra.docker).join('\n            ')}
Ctrl-C stops everything this run started.`);
  for (const [app, child] of apps.children) {
    child.once('exit', (code, signal) => {
      if (!stopping) {
        console.error(`${app} stopped unexpectedly (${code ?? signal}); shutting down`);
        void shutdown(1);
      }
    });
  }
} catch (error) {
  console.error(`\nnpm start failed: ${error.message}`);
  await shutdown(1);
}

/**
 * The local Jaeger (built on first need), unless traces go elsewhere (OTEL_EXPORTER_OTLP_ENDPOINT
 * set: the apps export there) or are off (POLYSTORE_TRACING=off).
 */
async function startTraceBackend() {
  if (process.env.POLYSTORE_TRACING === 'off' || process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return null;
  const running = await ensureJaeger(s, { log: (m) => console.log(`      ${m}`) });
  console.log(`      ✓ trace backend up (${elapsed()})`);
  return running;
}

/** One line per service: its store's engine and where it listens (the in-process engine: its data folder). */
function storeSummary(docker) {
  return SERVICE_NAMES.map((service) => {
    const { spec, port } = s.stores[service];
    const where = spec.inProcess && !docker ? `in-process, data in ${s.dataDir}/${service}/${spec.kind}` : `127.0.0.1:${port}`;
    return `${service.padEnd(10)} ${STORE_KINDS[spec.kind].label} ${where}`;
  });
}

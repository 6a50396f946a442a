#!/usr/bin/env node
// `npm start`: brings up the stores and NATS (docker compose, or local processes), builds,
// starts every app, waits until all are healthy, and stops everything it started on Ctrl-C.
import { build } from './build.mjs';
import { startApps } from './lib/apps.ts';
import { provision } from './lib/infra.ts';
import { ensureJaeger, jaegerBinaryCached, jaegerOtlpEndpoint } from './lib/jaeger.ts';
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
  const traces = startTraceBackend();
  const [stores, built, traced] = await Promise.allSettled([
    provision(s).then((p) => (console.log(`      ✓ stores up (${elapsed()})`), p)),
    build({ quiet: true }).then(() => console.log(`      ✓ built (${elapsed()})`)),
    // A built Jaeger starts in seconds: wait for it, so the first requests are traced. Its first
    // build takes minutes: the apps start meanwhile, already pointed at where it will listen.
    traces?.building ? Promise.resolve(true) : (traces?.ready ?? Promise.resolve(false)),
  ]);
  if (stores.status === 'fulfilled') infra = stores.value;
  for (const step of [stores, built]) if (step.status === 'rejected') throw step.reason;
  const otlpEndpoint = traces && traced.status === 'fulfilled' && traced.value ? traces.endpoint : null;
  console.log(`[2/2] starting apps (${elapsed()})`);
  apps = await startApps(s, infra.keys, {
    clickhouseServer: infra.docker,
    env: otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint } : {},
    onProgress: (app, n, total) => console.log(`      ✓ ${app} healthy (${n}/${total}, ${elapsed()})`),
    onWaiting: (pending) => console.log(`      … waiting for ${pending.join(', ')} to answer healthy (${elapsed()})`),
  });
  const tracesLine = otlpEndpoint
    ? jaeger
      ? `${jaeger.queryUrl}/api/v3/traces/<trace id>, or: npm run trace -- <trace id | checkout id>`
      : `Jaeger is still being built (first run); the apps send to ${otlpEndpoint}, where it will listen — spans sent before it is up are dropped`
    : process.env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? `exported to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`
      : 'off';
  console.log(`
polystore is up in ${elapsed()}:
  gateway   http://127.0.0.1:${s.ports.gateway}        (OpenAPI: /docs, system health: /health)
  NATS      nats://127.0.0.1:${s.ports.nats}
  traces    ${tracesLine}
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
 * set: the apps export there) or are off (POLYSTORE_TRACING=off). `ready` resolves true once it
 * listens, false if it could not start (said here; the apps then export to a port nobody answers,
 * and drop their spans, or run untraced if they had not started yet); `building`: it is being
 * compiled, which `npm start` does not wait for.
 */
function startTraceBackend() {
  if (process.env.POLYSTORE_TRACING === 'off' || process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return null;
  const building = !jaegerBinaryCached();
  const ready = ensureJaeger(s, { log: (m) => console.log(`      ${m}`) }).then(
    async (running) => {
      if (stopping) return (await running.stop(), false); // built after Ctrl-C: not needed any more
      jaeger = running;
      console.log(
        `      ✓ trace backend up (${elapsed()})${building ? `: traces from now on at ${running.queryUrl}/api/v3/traces/<trace id>, or npm run trace` : ''}`,
      );
      return true;
    },
    (error) => {
      if (stopping) return false; // Ctrl-C during the build stopped it: nothing to report
      console.warn(
        `      ! no trace backend: ${error.message}${building ? '; the apps drop their spans (POLYSTORE_TRACING=off runs them untraced)' : '; the apps run untraced'}`,
      );
      return false;
    },
  );
  if (building) console.log('      the apps start while Jaeger builds; they are traced once it is up');
  return { endpoint: jaegerOtlpEndpoint(s), building, ready };
}

/** One line per service: its store's engine and where it listens (the in-process engine: its data folder). */
function storeSummary(docker) {
  return SERVICE_NAMES.map((service) => {
    const { spec, port } = s.stores[service];
    const where = spec.inProcess && !docker ? `in-process, data in ${s.dataDir}/${service}/${spec.kind}` : `127.0.0.1:${port}`;
    return `${service.padEnd(10)} ${STORE_KINDS[spec.kind].label} ${where}`;
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startOtlpReceiver, type OtlpReceiver } from '../../../scripts/lib/otlp-receiver.js';
import { ROOT } from '../../../scripts/lib/proc.js';
import { freePort } from '../../../test/support/ports.js';

const REGISTER = join(ROOT, 'dist', 'libs', 'platform', 'src', 'telemetry', 'register.js');
const TRACING = pathToFileURL(join(ROOT, 'dist', 'libs', 'platform', 'src', 'telemetry', 'tracing.js')).href;

/**
 * `npm start` starts the apps while a first run still builds Jaeger, pointed at the port Jaeger will
 * listen on, and says they are traced once it is up. This holds the tracing setup to that: a process
 * started with the built preload (dist/, as the apps run) while nothing listens on its OTLP endpoint
 * keeps running, and the spans it makes after a backend starts on that port arrive there.
 */
describe('tracing with a backend that comes up late (integration)', () => {
  let child: ChildProcess | undefined;
  let receiver: OtlpReceiver | undefined;
  afterEach(async () => {
    child?.kill('SIGKILL');
    await receiver?.close();
  });

  it('exports the spans made once the backend is up; the process survives the refused exports before', async () => {
    const port = await freePort();
    // One span every 50 ms, each named by when it was made, exported in batches every 200 ms.
    const script = `import { tracer } from ${JSON.stringify(TRACING)};
      setInterval(() => tracer.startSpan('tick ' + Date.now()).end(), 50);`;
    child = spawn(process.execPath, ['--import', REGISTER, '--input-type=module', '-e', script], {
      env: {
        ...process.env,
        OTEL_SERVICE_NAME: 'late-backend-test',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'always_on',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    // Several export rounds go to a closed port first.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(child.exitCode).toBeNull();
    receiver = await startOtlpReceiver({ port });
    const upAt = Date.now();

    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !receiver.spans.some((span) => Number(span.name.split(' ')[1]) > upAt)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const after = receiver.spans.filter((span) => Number(span.name.split(' ')[1]) > upAt);
    expect({ spansMadeAfterBackendUp: after.length > 0, stderr: after.length > 0 ? '' : stderr }).toEqual({
      spansMadeAfterBackendUp: true,
      stderr: '',
    });
    expect(after.every((span) => span.service === 'late-backend-test')).toBe(true);
    expect(child.exitCode).toBeNull();
  });
});

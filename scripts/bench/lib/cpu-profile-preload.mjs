// Loaded with `--import` into each process `npm run profile` watches (POLYSTORE_CPU_PROFILE_DIR
// set): V8's sampling CPU profiler runs from the start, and SIGUSR2 writes what it has to
// <dir>/<name>.<pid>.cpuprofile (Chrome DevTools' format) and stops it. Not `--cpu-prof`: that writes
// only on a normal exit, and Nest ends an app by re-raising SIGTERM, which skips it.
import { writeFileSync, renameSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { basename, join } from 'node:path';

const dir = process.env.POLYSTORE_CPU_PROFILE_DIR;
const name = process.env.POLYSTORE_CPU_PROFILE_NAME ?? process.env.OTEL_SERVICE_NAME ?? basename(process.argv[1] ?? 'node').replace(/\.m?[jt]s$/, '');

if (dir) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 1 ms between samples (V8's default): enough for a 10 s load, little overhead.
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  process.on('SIGUSR2', async () => {
    const { profile } = await session.post('Profiler.stop');
    const file = join(dir, `${name}.${process.pid}.cpuprofile`);
    writeFileSync(`${file}.tmp`, JSON.stringify(profile));
    renameSync(`${file}.tmp`, file);
  });
}

// Preloaded into the apps by a benchmark with BENCH_CPU_PROF=<folder> (NODE_OPTIONS=--import …):
// the first SIGWINCH starts V8's CPU profiler, the second writes the profile to
// <folder>/<app>-<pid>-<n>.cpuprofile, n counting this process's profiles from 1 (open it in
// Chrome's DevTools, or summarise it with `node scripts/bench/cpu-profile-summary.mjs <file>`). Unlike `node --cpu-prof`, it covers only
// the measured load (not start-up) and does not depend on how the process exits. SIGWINCH because
// Nest's shutdown hooks stop the app on SIGUSR2, and SIGUSR1 opens the inspector.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const folder = process.env.BENCH_CPU_PROF;
const session = new Session();
session.connect();
let profiling = false;
let windows = 0;

process.on('SIGWINCH', () => {
  if (!profiling) {
    profiling = true;
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
    return;
  }
  profiling = false;
  session.post('Profiler.stop', (error, result) => {
    if (error) return void console.error(`cpu profile not written: ${error.message}`);
    const app = process.env.OTEL_SERVICE_NAME ?? 'app';
    writeFileSync(join(folder, `${app}-${process.pid}-${++windows}.cpuprofile`), JSON.stringify(result.profile));
  });
});

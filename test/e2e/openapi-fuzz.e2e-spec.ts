import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApps, type RunningApps } from '../../scripts/lib/apps.ts';
import { execute } from '../../scripts/lib/proc.ts';
import { schemathesisBinary } from '../../scripts/lib/schemathesis.ts';
import { appEnv, stack } from '../../scripts/lib/stack.ts';
import { jwtKeyFiles } from '../support/credentials.js';

/**
 * Schemathesis fuzzes the running gateway from its own /docs-json, with every check, once as a
 * customer and once as an admin: the document must say exactly what the server does. Failures
 * listed in test/fuzz/allowlist.json (a schemathesis baseline, one reason per entry) are accepted;
 * anything else fails. POLYSTORE_FUZZ=full (`npm run fuzz`) runs longer and with more examples.
 */
const s = stack('test');
const base = `http://127.0.0.1:${s.ports.gateway}`;
const keys = jwtKeyFiles();
const full = process.env.POLYSTORE_FUZZ === 'full';
/** Per role: CI's short profile keeps both runs within ~80 s; the full one takes ~10 min. */
const PROFILE = full ? { maxExamples: 100, maxTimeSeconds: 300 } : { maxExamples: 10, maxTimeSeconds: 25 };
const ALLOWLIST = join(process.cwd(), 'test', 'fuzz', 'allowlist.json');

let apps: RunningApps | undefined;
let schemathesis = '';

async function tokenFor(role: 'customer' | 'admin'): Promise<string> {
  const email = `fuzz-${role}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
  const post = (path: string, body: object) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await post('/auth/register', { email, name: `Fuzz ${role}`, password: 'password-123' })).status).toBe(201);
  if (role === 'admin') {
    const env = { ...process.env, ...appEnv(s, keys).users };
    await promisify(execFile)(process.execPath, ['dist/apps/users/src/cli/grant-admin.js', email], { env });
  }
  const login = await post('/auth/login', { email, password: 'password-123' });
  return ((await login.json()) as { accessToken: string }).accessToken;
}

interface Report {
  exit_code: number;
  seed: string;
  running_time: number;
  test_cases: { generated: number; with_failures: number; unique_failures: number };
  failures: Array<{ code: string; title: string; count: number; operations: string[] }>;
  errors: unknown[];
  baseline: { known: number; unobserved: number } | null;
}

/** One schemathesis run as this role; resolves with its JSON report and the tail of its output. */
async function fuzz(role: 'customer' | 'admin'): Promise<{ report: Report; output: string; code: number }> {
  const token = await tokenFor(role);
  const reportFile = join(mkdtempSync(join(s.dataDir, 'fuzz-')), 'report.json');
  const finished = await execute(
    schemathesis,
    [
      'run',
      `${base}/docs-json`,
      '--checks',
      'all',
      '--header',
      `Authorization: Bearer ${token}`,
      '--max-examples',
      String(PROFILE.maxExamples),
      '--max-time',
      String(PROFILE.maxTimeSeconds),
      '--baseline',
      ALLOWLIST,
      '--generation-database',
      'none',
      '--no-color',
      '--report',
      'json',
      '--report-json-path',
      reportFile,
      ...(process.env.POLYSTORE_FUZZ_SEED ? ['--seed', process.env.POLYSTORE_FUZZ_SEED] : []),
    ],
    { timeoutMs: (PROFILE.maxTimeSeconds + 120) * 1000, cwd: join(reportFile, '..') },
  );
  const text = readFileSync(reportFile, 'utf8');
  // The seed is a 128-bit integer: read it as written, not as a JavaScript number.
  const report = { ...(JSON.parse(text) as Report), seed: /"seed": (\d+)/.exec(text)?.[1] ?? '?' };
  return { report, output: finished.output, code: finished.code };
}

beforeAll(async () => {
  // The first run on a machine installs schemathesis from PyPI (~1 min).
  schemathesis = await schemathesisBinary((line) => console.log(line));
  // A loaded machine can take over a minute to bring six apps up.
  apps = await startApps(s, keys, { logDir: join(s.dataDir, 'logs'), timeoutMs: 180_000 });
}, 15 * 60_000);
afterAll(async () => {
  await apps?.stop();
});

describe('the OpenAPI document says what the gateway does (schemathesis, all checks)', () => {
  it.each(['customer', 'admin'] as const)(
    'as a %s: no failure outside test/fuzz/allowlist.json',
    async (role) => {
      const { report, output, code } = await fuzz(role);
      const t = report.test_cases;
      console.log(
        `schemathesis as ${role}: ${t.generated} test cases in ${report.running_time.toFixed(0)} s (seed ${report.seed}): ` +
          `${t.unique_failures} failures outside the allowlist, ${report.baseline?.known ?? 0} allowlisted seen ` +
          `(${report.baseline?.unobserved ?? 0} entries not hit this run), ${report.errors.length} errors`,
      );
      if (code !== 0) console.log(output.split('\n').slice(-200).join('\n'));
      expect({ code, failures: report.failures.map((f) => `${f.code} ${f.title}: ${f.operations.join(', ')}`), errors: report.errors }).toEqual({
        code: 0,
        failures: [],
        errors: [],
      });
    },
    (PROFILE.maxTimeSeconds + 180) * 1000,
  );
});

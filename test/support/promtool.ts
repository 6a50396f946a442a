import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AlertRule } from '../../scripts/lib/observability.ts';

const run = promisify(execFile);

/** A promtool `test rules` case: series (`values` in promtool's notation) and the alerts expected at each time. */
export interface RuleTestCase {
  interval: string;
  input_series: Array<{ series: string; values: string }>;
  alert_rule_test: Array<{ eval_time: string; alertname: string; exp_alerts: Array<{ exp_labels: Record<string, string> }> }>;
}

/**
 * Runs `promtool test rules` on `rules` (annotations left out: promtool compares them whole, and
 * their templates are checked by `promtool check rules` on the real files). Resolves with promtool's
 * output; rejects with it when a case fails.
 */
export async function promtoolTestRules(promtool: string, rules: AlertRule[], cases: RuleTestCase[]): Promise<string> {
  const dir = mkdtempSync(join(process.env.POLYSTORE_TEST_DATA_DIR ?? tmpdir(), 'promtool-'));
  try {
    const stripped = rules.map(({ annotations: _a, ...rule }) => rule);
    // JSON is YAML: promtool reads both files as they are written here.
    writeFileSync(join(dir, 'rules.yml'), JSON.stringify({ groups: [{ name: 'under-test', rules: stripped }] }));
    writeFileSync(
      join(dir, 'test.yml'),
      JSON.stringify({ rule_files: ['rules.yml'], evaluation_interval: cases[0]?.interval ?? '1m', tests: cases }),
    );
    try {
      const { stdout, stderr } = await run(promtool, ['test', 'rules', 'test.yml'], { cwd: dir });
      return stdout + stderr;
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`promtool test rules failed:\n${e.stdout ?? ''}${e.stderr ?? ''}${e.stdout || e.stderr ? '' : e.message}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

#!/usr/bin/env node
// `npm run bench [-- --quick] [-- <bench> …]`: runs every benchmark (each `bench:<name>` script of
// package.json, one after the other, or only those named) and writes what they measured to
// bench/results.json and bench/results.md, and the README's figures (between its
// `bench-results` markers) from them. Each bench prints one `BENCH_RESULT` line per comparison
// (scripts/bench/lib/result.ts): a figure beside its yardstick, measured in the same run,
// interleaved in pairs; the median of the per-pair ratios is what is reported.
// `--quick` (BENCH_QUICK=1 for the benches) is the short profile: fewer rounds, shorter loads.
// On demand only: the whole run takes tens of minutes and is never part of CI.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../lib/proc.ts';
import { BENCH_RESULT_PREFIX, isQuick, parseBenchResults, ratiosOf, type BenchResult } from './lib/result.ts';

const RESULTS_DIR = join(ROOT, 'bench');
const RESULTS_JSON = join(RESULTS_DIR, 'results.json');
const RESULTS_MD = join(RESULTS_DIR, 'results.md');
const README = join(ROOT, 'README.md');
const README_START = '<!-- bench-results:start';
const README_END = '<!-- bench-results:end -->';

interface BenchRun {
  bench: string;
  startedAt: string;
  seconds: number;
  exitCode: number;
  quick: boolean;
  /** Load average (1 min) when it started: how busy the machine was. */
  load1: number;
  results: BenchResult[];
}

interface ResultsFile {
  machine: { cpus: number; node: string };
  runs: BenchRun[];
}

/** Every `bench:<name>` script of package.json, in its order. */
export function benchNames(): string[] {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  return Object.keys(scripts)
    .filter((name) => name.startsWith('bench:'))
    .map((name) => name.slice('bench:'.length));
}

/** Runs one bench through npm, its output passed through to this terminal and kept. */
function runBench(bench: string, quick: boolean): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const args = ['run', '--silent', `bench:${bench}`, ...(quick ? ['--', '--quick'] : [])];
    const child = spawn('npm', args, {
      cwd: ROOT,
      env: { ...process.env, ...(quick ? { BENCH_QUICK: '1' } : {}) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const fmt = (n: number): string => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toString());
const pct = (r: number): string => `${(r * 100).toFixed(1)} %`;
const mid = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const m = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
};

/** One table row per comparison: medians of each side, the median ratio, every pair's ratio. */
function tableOf(runs: BenchRun[]): string[] {
  const lines = [
    '| bench | figure | yardstick | yardstick (median) | subject | subject (median) | median ratio subject/yardstick | per pair | target |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const run of runs) {
    for (const r of run.results) {
      const { ratios, median } = ratiosOf(r);
      const better = r.higherIsBetter ? '' : ' (lower is better)';
      lines.push(
        `| ${r.bench} | ${r.figure}${better} | ${r.yardstick} | ${fmt(mid(r.pairs.map((p) => p[0])))} ${r.unit} | ${r.subject} | ` +
          `${fmt(mid(r.pairs.map((p) => p[1])))} ${r.unit} | **${pct(median)}** | ${ratios.map(pct).join(', ')} | ${r.target ?? ''} |`,
      );
    }
  }
  return lines;
}

function markdownOf(file: ResultsFile): string {
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (scripts/bench/run-all.ts); do not edit. Each figure stands beside its',
    'yardstick measured in the same run, yardstick and subject interleaved in pairs; the ratio is the',
    'median of the per-pair ratios, so one lucky or unlucky run on this shared machine does not decide.',
    '',
    `Machine: ${file.machine.cpus} CPUs, Node ${file.machine.node}.`,
    '',
    ...tableOf(file.runs),
    '',
    '| bench | run at | took | profile | load average at start | exit |',
    '|---|---|---|---|---|---|',
    ...file.runs.map(
      (r) =>
        `| ${r.bench} | ${r.startedAt} | ${Math.round(r.seconds)} s | ${r.quick ? 'quick' : 'full'} | ${r.load1.toFixed(1)} | ` +
        `${r.exitCode === 0 ? (r.results.length ? 'ok' : 'ok, printed no BENCH_RESULT line') : `failed (${r.exitCode})`} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

/** The README's figures, between its markers, from the results file. */
function updateReadme(file: ResultsFile): void {
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return;
  const startLineEnd = readme.indexOf('\n', start) + 1;
  const body = [...tableOf(file.runs), ''].join('\n');
  writeFileSync(README, readme.slice(0, startLineEnd) + body + readme.slice(end));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = isQuick(argv);
  const known = benchNames();
  const named = argv.filter((a) => !a.startsWith('--'));
  const unknown = named.filter((n) => !known.includes(n));
  if (unknown.length) throw new Error(`no such bench: ${unknown.join(', ')} (there are: ${known.join(', ')})`);
  const selected = named.length ? named : known;

  mkdirSync(RESULTS_DIR, { recursive: true });
  // A partial run replaces only the benches it ran.
  const previous: ResultsFile = existsSync(RESULTS_JSON)
    ? (JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as ResultsFile)
    : { machine: { cpus: 0, node: '' }, runs: [] };
  const file: ResultsFile = { machine: { cpus: cpus().length, node: process.versions.node }, runs: previous.runs };
  let failed = 0;
  for (const bench of selected) {
    console.log(`\n=== bench:${bench}${quick ? ' (quick)' : ''} ===`);
    const started = Date.now();
    const load1 = loadavg()[0]!;
    const { code, output } = await runBench(bench, quick);
    let results: BenchResult[] = [];
    try {
      results = parseBenchResults(output);
    } catch (error) {
      console.error(`bench:${bench}: a ${BENCH_RESULT_PREFIX.trim()} line is not JSON: ${(error as Error).message}`);
    }
    if (code !== 0) failed++;
    const run: BenchRun = {
      bench,
      startedAt: new Date(started).toISOString(),
      seconds: (Date.now() - started) / 1000,
      exitCode: code,
      quick,
      load1,
      results,
    };
    const order = known.indexOf.bind(known);
    file.runs = [...file.runs.filter((r) => r.bench !== bench), run].sort((a, b) => order(a.bench) - order(b.bench));
    // Written after each bench, so a run stopped half-way keeps what it measured.
    writeFileSync(RESULTS_JSON, JSON.stringify(file, null, 2) + '\n');
    writeFileSync(RESULTS_MD, markdownOf(file));
    updateReadme(file);
  }
  console.log(`\n${markdownOf(file)}`);
  console.log(`written: ${RESULTS_MD}, ${RESULTS_JSON} and README.md's figures`);
  if (failed) process.exitCode = 1;
}

if (import.meta.main) await main();

#!/usr/bin/env node
// `npm run profile -- <bench> [--quick] [--top N]`: runs `bench:<bench>` with V8's CPU profiler in
// every process it starts that it watches (the apps, the yardsticks: see lib/cpu-profile.ts), and
// prints per process where its time went while the bench was loading it — the top packages and
// functions by self time. Only samples inside the bench's load windows count (start-up and set-up
// do not). Writes the raw profiles to bench/profiles/<bench>/ (git-ignored; open one in Chrome
// DevTools or speedscope), the summary to bench/profiles/<bench>.md and .json, and the README's
// "Where the time goes" tables (between its `profiles` markers) from every bench's .json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/proc.ts';
import { benchNames } from './run-all.ts';
import { isQuick } from './lib/result.ts';

const PROFILES = join(ROOT, 'bench', 'profiles');
const README = join(ROOT, 'README.md');
const README_START = '<!-- profiles:start';
const README_END = '<!-- profiles:end -->';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}
interface Window {
  label: string;
  start: number;
  end: number;
}

export interface ProcessSummary {
  process: string;
  /** Profiles (process starts) merged into this one. */
  profiles: number;
  /** Time under load, and the part of it the process was busy (not idle), ms. */
  loadMs: number;
  busyMs: number;
  packages: Array<{ name: string; ms: number }>;
  functions: Array<{ name: string; where: string; pkg: string; ms: number }>;
}

/** Who a function belongs to: an npm package, one of the project's apps or libs, Node itself, or V8. */
export function packageOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return '(garbage collection)';
  if (functionName === '(program)') return '(V8 / native)';
  if (!url) return '(V8 / native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith('node:')) return 'node (internals)';
  const dist = url.indexOf('/dist/');
  if (dist >= 0) {
    const parts = url.slice(dist + '/dist/'.length).split('/');
    return `polystore ${parts[0]}/${parts[1]}`;
  }
  if (url.includes('/generated/')) return 'polystore generated (Prisma client)';
  if (url.includes('/scripts/')) return 'polystore scripts';
  return url.replace(/^file:\/\//, '');
}

const shortUrl = (url: string): string => {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + 1) : url.replace(/^file:\/\//, '');
};

/** Self time per function and per package of one process's profiles, counting only samples inside `windows`. */
export function summarise(processName: string, profiles: CpuProfile[], windows: Window[], top: number): ProcessSummary {
  const byFunction = new Map<string, { name: string; where: string; pkg: string; ms: number }>();
  const byPackage = new Map<string, number>();
  let busyUs = 0;
  let loadUs = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const inside = windows.filter((w) => w.end > profile.startTime && w.start < profile.endTime);
    for (const w of inside) loadUs += Math.min(w.end, profile.endTime) - Math.max(w.start, profile.startTime);
    let t = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i]!;
      // A sample stands for the time until the next one.
      const dt = profile.timeDeltas[i + 1] ?? 0;
      if (!inside.some((w) => t >= w.start && t < w.end)) continue;
      const frame = nodes.get(profile.samples[i]!)!.callFrame;
      if (frame.functionName === '(idle)') continue;
      busyUs += dt;
      const pkg = packageOf(frame.url, frame.functionName);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
      const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
      const key = `${frame.functionName}@${where}`;
      const entry = byFunction.get(key) ?? { name: frame.functionName || '(anonymous)', where, pkg, ms: 0 };
      entry.ms += dt / 1000;
      byFunction.set(key, entry);
    }
  }
  return {
    process: processName,
    profiles: profiles.length,
    loadMs: loadUs / 1000,
    busyMs: busyUs / 1000,
    packages: [...byPackage]
      .map(([name, us]) => ({ name, ms: us / 1000 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
    functions: [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, top),
  };
}

const pctOf = (part: number, whole: number): string => `${whole > 0 ? ((part / whole) * 100).toFixed(1) : '0.0'} %`;

function printable(bench: string, summaries: ProcessSummary[]): string {
  const out = [
    `# Where the time goes: bench:${bench}`,
    '',
    'Self time per process while the bench loaded it (`npm run profile -- ' + bench + '`).',
    '',
  ];
  for (const s of summaries) {
    out.push(
      `## ${s.process}`,
      '',
      `busy ${Math.round(s.busyMs)} ms of ${Math.round(s.loadMs)} ms under load (${pctOf(s.busyMs, s.loadMs)} of one core), ${s.profiles} profile(s)`,
      '',
    );
    out.push('| package | self time | share of busy |', '|---|---|---|');
    for (const p of s.packages) out.push(`| ${p.name} | ${Math.round(p.ms)} ms | ${pctOf(p.ms, s.busyMs)} |`);
    out.push('', '| function | where | package | self time | share of busy |', '|---|---|---|---|---|');
    for (const f of s.functions) out.push(`| ${f.name} | ${f.where} | ${f.pkg} | ${Math.round(f.ms)} ms | ${pctOf(f.ms, s.busyMs)} |`);
    out.push('');
  }
  return out.join('\n');
}

/** The README's short table for one bench: per process, its top packages and functions. */
function readmeTable(bench: string, summaries: ProcessSummary[], when: string): string[] {
  const lines = [
    `**bench:${bench}** (profiled ${when}; full lists in [bench/profiles/${bench}.md](bench/profiles/${bench}.md))`,
    '',
    '| process | busy while the bench loaded the stack | top packages (share of busy) | top functions |',
    '|---|---|---|---|',
  ];
  for (const s of summaries) {
    const packages = s.packages
      .slice(0, 4)
      .map((p) => `${p.name} ${pctOf(p.ms, s.busyMs)}`)
      .join(', ');
    const functions = s.functions
      .slice(0, 3)
      .map((f) => `\`${f.name}\` ${f.pkg.startsWith('(') ? f.pkg : `(${f.pkg})`} ${pctOf(f.ms, s.busyMs)}`)
      .join(', ');
    lines.push(`| ${s.process} | ${pctOf(s.busyMs, s.loadMs)} of a core | ${packages} | ${functions} |`);
  }
  lines.push('');
  return lines;
}

export function updateReadme(): void {
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return;
  const body: string[] = [];
  for (const file of readdirSync(PROFILES)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const saved = JSON.parse(readFileSync(join(PROFILES, file), 'utf8')) as { bench: string; when: string; processes: ProcessSummary[] };
    body.push(...readmeTable(saved.bench, saved.processes, saved.when));
  }
  const startLineEnd = readme.indexOf('\n', start) + 1;
  writeFileSync(README, readme.slice(0, startLineEnd) + body.join('\n') + readme.slice(end));
}

function runBench(bench: string, dir: string, quick: boolean): Promise<number> {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[`bench:${bench}`]!;
  const [, ...args] = script.split(/\s+/); // "node scripts/bench/x.mjs"
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...args, ...(quick ? ['--quick'] : [])], {
      cwd: ROOT,
      env: { ...process.env, POLYSTORE_CPU_PROFILE_DIR: dir, ...(quick ? { BENCH_QUICK: '1' } : {}) },
      stdio: 'inherit',
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const topAt = argv.indexOf('--top');
  const top = topAt >= 0 ? Number(argv[topAt + 1]) : 15;
  const bench = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--top')[0];
  if (!bench || !benchNames().includes(bench))
    throw new Error(`usage: npm run profile -- <bench> [--quick] [--top N]; benches: ${benchNames().join(', ')}`);
  const dir = join(PROFILES, bench);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const code = await runBench(bench, dir, isQuick(argv));
  const windowsFile = join(dir, 'windows.jsonl');
  const windows: Window[] = existsSync(windowsFile)
    ? readFileSync(windowsFile, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Window)
    : [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (!files.length)
    throw new Error(
      `bench:${bench} (exit ${code}) left no CPU profile in ${dir}: does it start its processes through scripts/lib/apps.ts or stack.mjs?`,
    );
  if (!windows.length) console.warn(`bench:${bench} noted no load windows (stack.mjs load()); counting whole profiles`);
  const byProcess = new Map<string, CpuProfile[]>();
  for (const file of files) {
    const name = file.replace(/\.\d+\.cpuprofile$/, '');
    byProcess.set(name, [...(byProcess.get(name) ?? []), JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile]);
  }
  const summaries = [...byProcess]
    .map(([name, profiles]) =>
      summarise(name, profiles, windows.length ? windows : profiles.map((p) => ({ label: 'whole', start: p.startTime, end: p.endTime })), top),
    )
    .filter((s) => s.busyMs > 0)
    .sort((a, b) => b.busyMs - a.busyMs);
  const report = printable(bench, summaries);
  console.log(`\n${report}`);
  writeFileSync(join(PROFILES, `${bench}.md`), report);
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  writeFileSync(join(PROFILES, `${bench}.json`), JSON.stringify({ bench, when, processes: summaries }, null, 2) + '\n');
  updateReadme();
  console.log(`raw profiles in ${dir}; summary in bench/profiles/${bench}.md; README's "Where the time goes" updated`);
  if (code !== 0) process.exitCode = code;
}

if (import.meta.main) await main();

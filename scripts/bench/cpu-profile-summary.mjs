#!/usr/bin/env node
// Summarises V8 CPU profiles (.cpuprofile, e.g. from BENCH_CPU_PROF): the busy time (idle and
// GC listed apart) by package (node_modules/<package>, node's internals, the app's own dist/
// code) and the functions with the most self time.
//   node scripts/bench/cpu-profile-summary.mjs <file.cpuprofile>… [--top 40] [--grep <regex>]
// --grep: also the inclusive time of the functions whose name or file matches (a sample counts
// once however often such a function is on its stack).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return value;
};
const top = Number(option('--top', 30));
const grep = option('--grep', null);
const files = args;
if (files.length === 0) {
  console.error('usage: cpu-profile-summary.mjs <file.cpuprofile>… [--top N] [--grep regex]');
  process.exit(2);
}

function packageOf(url) {
  if (!url) return '(native/V8)';
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 14).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0)
    return url
      .slice(dist + 1)
      .split('/')
      .slice(0, 4)
      .join('/');
  return url;
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const interval = (profile.endTime - profile.startTime) / profile.samples.length / 1000; // ms per sample
  const selfByPackage = new Map();
  const selfByFunction = new Map();
  const inclusive = new Map();
  const re = grep ? new RegExp(grep) : null;
  let busy = 0;
  let idle = 0;
  let gc = 0;
  const add = (map, key, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
  for (const id of profile.samples) {
    const node = byId.get(id);
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') {
      idle++;
      continue;
    }
    if (functionName === '(garbage collector)') {
      gc++;
      continue;
    }
    busy++;
    add(selfByPackage, packageOf(url));
    add(selfByFunction, `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`);
    if (re) {
      const seen = new Set();
      for (let at = id; at !== undefined; at = parentOf.get(at)) {
        const frame = byId.get(at).callFrame;
        const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
        if (!seen.has(key) && re.test(`${frame.functionName} ${frame.url}`)) {
          seen.add(key);
          add(inclusive, key);
        }
      }
    }
  }
  const ms = (n) => (n * interval).toFixed(0).padStart(7) + ' ms';
  const pct = (n) => ((100 * n) / busy).toFixed(1).padStart(5) + ' %';
  console.log(`\n${file}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s profiled; busy ${ms(busy)}, GC ${ms(gc)}, idle ${ms(idle)}`);
  const table = (title, map, limit) => {
    console.log(`  ${title} (share of busy time)`);
    for (const [key, n] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) console.log(`  ${pct(n)} ${ms(n)}  ${key}`);
  };
  table('self time by package', selfByPackage, 25);
  table('self time by function', selfByFunction, top);
  if (re) table(`inclusive time of /${grep}/`, inclusive, top);
}

// The line every benchmark prints per comparison, which `npm run bench` (scripts/bench/run-all.ts)
// collects into bench/results.md and bench/results.json:
//
//   BENCH_RESULT {"bench":"gateway","figure":"req/s GET /users/me","unit":"req/s","yardstick":"…","subject":"…",
//                 "pairs":[[yardstick, subject], …],"higherIsBetter":true,"target":"…"}
//
// One pair per interleaved round (yardstick, then subject, measured back to back), at least three
// pairs, so that the median of the per-pair ratios — not one lucky or unlucky run — decides.

export const BENCH_RESULT_PREFIX = 'BENCH_RESULT ';

export interface BenchResult {
  /** The bench's name, as `npm run bench:<name>` spells it. */
  bench: string;
  /** What is measured, e.g. `req/s GET /users/me`. */
  figure: string;
  unit: string;
  /** What the subject is compared with, measured in the same run. */
  yardstick: string;
  subject: string;
  /** [yardstick, subject] per round, in the order they were measured. */
  pairs: Array<[number, number]>;
  higherIsBetter: boolean;
  /** The target, in words. */
  target?: string;
}

/** Prints the result line (one line of compact JSON after the prefix). */
export function emitBenchResult(result: BenchResult): void {
  for (const pair of result.pairs) {
    if (pair.length !== 2 || !pair.every(Number.isFinite))
      throw new Error(`${result.bench}: ${result.figure}: a pair is not two numbers: ${JSON.stringify(pair)}`);
  }
  console.log(BENCH_RESULT_PREFIX + JSON.stringify(result));
}

/** The result lines in a bench's output (other lines are passed over). */
export function parseBenchResults(output: string): BenchResult[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith(BENCH_RESULT_PREFIX))
    .map((line) => JSON.parse(line.slice(BENCH_RESULT_PREFIX.length)) as BenchResult);
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Subject / yardstick of each pair, and their median: above 1 means the subject measured more. */
export function ratiosOf(result: BenchResult): { ratios: number[]; median: number } {
  const ratios = result.pairs.map(([yardstick, subject]) => subject / yardstick);
  return { ratios, median: median(ratios) };
}

/** `--quick` on the command line or BENCH_QUICK=1: the short profile (fewer rounds, shorter loads). */
export const isQuick = (argv: string[] = process.argv, env: NodeJS.ProcessEnv = process.env): boolean =>
  argv.includes('--quick') || env.BENCH_QUICK === '1';

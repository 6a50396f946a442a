import { BENCH_RESULT_PREFIX, emitBenchResult, parseBenchResults, ratiosOf, type BenchResult } from '../../scripts/bench/lib/result.ts';
import { packageOf, summarise } from '../../scripts/bench/profile.ts';

/** What `npm run bench` and `npm run profile` compute from what the benches print and the profiles hold. */
describe('bench tools', () => {
  const result: BenchResult = {
    bench: 'request',
    figure: 'req/s GET /users/me',
    unit: 'req/s',
    yardstick: 'bare',
    subject: 'gateway',
    pairs: [
      [1000, 500],
      [2000, 1600],
      [1000, 700],
    ],
    higherIsBetter: true,
  };

  it('reads back the one-line result a bench prints, among its other output', () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => void lines.push(line);
    try {
      emitBenchResult(result);
    } finally {
      console.log = log;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(BENCH_RESULT_PREFIX)).toBe(true);
    expect(parseBenchResults(`warming up…\n${lines[0]}\nresult\n`)).toEqual([result]);
  });

  it('refuses a pair that is not two numbers', () => {
    expect(() => emitBenchResult({ ...result, pairs: [[1, Number.NaN]] })).toThrow(/not two numbers/);
  });

  it('reports the median of the per-pair ratios, not the ratio of the medians', () => {
    const { ratios, median } = ratiosOf(result);
    expect(ratios).toEqual([0.5, 0.8, 0.7]);
    expect(median).toBe(0.7);
  });

  it('names the package a profiled function belongs to', () => {
    expect(packageOf('file:///w/node_modules/@nats-io/nats-core/lib/nats.js', 'request')).toBe('@nats-io/nats-core');
    expect(packageOf('file:///w/node_modules/a/node_modules/rxjs/dist/x.js', 'f')).toBe('rxjs');
    expect(packageOf('file:///w/dist/apps/users/src/store/accounts.store.js', 'findById')).toBe('polystore apps/users');
    expect(packageOf('node:internal/streams/writable', 'write')).toBe('node (internals)');
    expect(packageOf('', 'writeBuffer')).toBe('(V8 / native)');
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collection)');
  });

  it('counts self time only inside the load windows, and leaves idle time out', () => {
    const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)') },
        { id: 2, callFrame: frame('(idle)') },
        { id: 3, callFrame: frame('hot', 'file:///w/node_modules/pkg/index.js') },
        { id: 4, callFrame: frame('startup', 'file:///w/dist/libs/platform/src/bootstrap.js') },
      ],
      startTime: 0,
      endTime: 100,
      // Samples at t = 10, 20, …, 100; each stands for the 10 µs after it.
      samples: [4, 4, 4, 3, 3, 2, 3, 4, 4, 4],
      timeDeltas: [10, 10, 10, 10, 10, 10, 10, 10, 10, 10],
    };
    const summary = summarise('app', [profile], [{ label: 'load', start: 40, end: 75 }], 5);
    expect(summary.loadMs).toBeCloseTo(0.035);
    // t = 40 and 50 and 70 are `hot`, t = 60 is idle: 30 µs busy, all in pkg.
    expect(summary.busyMs).toBeCloseTo(0.03);
    expect(summary.packages).toEqual([{ name: 'pkg', ms: 0.03 }]);
    expect(summary.functions.map((f) => f.name)).toEqual(['hot']);
  });
});

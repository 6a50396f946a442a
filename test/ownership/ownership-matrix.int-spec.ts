import { formatMatrix, mismatches, natsMatrix, storeMatrix, type Cell } from '../../scripts/lib/ownership-matrix.ts';
import { stack } from '../../scripts/lib/stack.ts';
import { SERVICE_NAMES } from '../../manifest.ts';

/**
 * Every store login against every store and every NATS user against every subject space, tried
 * for real on the test stack: each engine allows exactly what the manifest says (the owner, the
 * callers, the consumers) and refuses the rest, no credentials included.
 */
describe('ownership matrix (integration)', () => {
  const s = stack('test');

  it('each service’s store login opens its own store and no other; no login opens none', async () => {
    const cells = await storeMatrix(s);
    console.log(formatMatrix('store logins', cells));
    expect(mismatches(cells)).toEqual([]);
    // Not vacuous: every networked store was reached by its owner and refused someone.
    for (const service of s.services.filter((svc) => !s.stores[svc].spec.inProcess)) {
      const column = cells.filter((c) => c.target.startsWith(`${service} (`));
      expect(column.filter((c) => c.actual === 'allowed').map((c) => c.credential)).toEqual([service]);
      expect(column.filter((c) => c.actual === 'refused').length).toBe(SERVICE_NAMES.length);
    }
  });

  it('each NATS user reaches exactly the subject spaces the manifest gives its app', async () => {
    const cells: Cell[] = await natsMatrix(s);
    console.log(formatMatrix('NATS users', cells, { byTarget: true }));
    expect(mismatches(cells)).toEqual([]);
    expect(cells.some((c) => c.actual === 'allowed')).toBe(true);
    expect(cells.some((c) => c.actual === 'refused' && c.credential !== 'none')).toBe(true);
  });
});

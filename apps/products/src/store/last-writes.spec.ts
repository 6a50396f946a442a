import { LastWrites } from './last-writes.js';

describe('LastWrites', () => {
  it('remembers the latest write per document, forgets on request, and drops the oldest past its capacity', () => {
    const writes = new LastWrites<{ n: number }>(2);
    writes.remember('a', { doc: { n: 1 }, seqNo: 1, primaryTerm: 1 });
    writes.remember('b', { doc: { n: 2 }, seqNo: 2, primaryTerm: 1 });
    writes.remember('a', { doc: { n: 3 }, seqNo: 3, primaryTerm: 1 }); // a is now the newest
    writes.remember('c', { doc: { n: 4 }, seqNo: 4, primaryTerm: 1 });
    expect(writes.get('b')).toBeUndefined();
    expect(writes.get('a')).toEqual({ doc: { n: 3 }, seqNo: 3, primaryTerm: 1 });
    writes.forget('a');
    expect(writes.get('a')).toBeUndefined();
    expect(writes.get('c')?.seqNo).toBe(4);
  });

  it('takes news from another writer only when it is newer than what it remembers', () => {
    const writes = new LastWrites<{ n: number }>();
    writes.remember('a', { doc: { n: 5 }, seqNo: 5, primaryTerm: 1 });
    writes.rememberIfNewer('a', { doc: { n: 4 }, seqNo: 4, primaryTerm: 1 });
    expect(writes.get('a')?.doc.n).toBe(5);
    writes.rememberIfNewer('a', { doc: { n: 6 }, seqNo: 6, primaryTerm: 1 });
    expect(writes.get('a')?.doc.n).toBe(6);
    writes.rememberIfNewer('a', { doc: { n: 1 }, seqNo: 1, primaryTerm: 2 }); // a new primary's numbering
    expect(writes.get('a')?.doc.n).toBe(1);
    writes.rememberIfNewer('b', { doc: { n: 7 }, seqNo: 7, primaryTerm: 1 });
    expect(writes.get('b')?.doc.n).toBe(7);
  });
});

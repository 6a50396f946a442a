import { eraseUnknownUsers } from './references.js';

describe('eraseUnknownUsers', () => {
  it('erases each user as a reconcile erasure, one at a time, and sums the counts by kind', async () => {
    const calls: Array<{ erasureId: string; userId: string }> = [];
    const eraser = {
      erase: (erasure: { erasureId: string; userId: string }) => {
        calls.push(erasure);
        return Promise.resolve(erasure.userId === 'a' ? { rows: 2, carts: 1 } : { rows: 3, carts: 0 });
      },
    };
    await expect(eraseUnknownUsers(eraser, ['a', 'b'])).resolves.toEqual({ rows: 5, carts: 1 });
    expect(calls).toEqual([
      { erasureId: 'reconcile', userId: 'a' },
      { erasureId: 'reconcile', userId: 'b' },
    ]);
    await expect(eraseUnknownUsers(eraser, [])).resolves.toEqual({});
  });
});

import { erasedUserHash, namesErasedUser } from './erasure.js';

describe('events about erased users', () => {
  const erased = 'b6c1a0b2-6a8f-4e53-9c61-2f5cbb1f1a10';
  const other = '0193d0c4-7e5b-7c3e-8f00-1a2b3c4d5e6f';
  const hashes = new Set([erasedUserHash(erased)]);

  it('keeps a hash of the lower-case id, not the id', () => {
    expect(erasedUserHash(erased.toUpperCase())).toBe(erasedUserHash(erased));
    expect(erasedUserHash(erased)).toMatch(/^[0-9a-f]{64}$/);
    expect(erasedUserHash(erased)).not.toContain(erased);
  });

  it('recognises the user as the event’s user or anywhere in its payload, and no one else', () => {
    expect(namesErasedUser({ user_id: erased, data: '{}' }, hashes)).toBe(true);
    expect(namesErasedUser({ user_id: null, data: JSON.stringify({ senderId: other, recipientId: erased.toUpperCase() }) }, hashes)).toBe(true);
    expect(namesErasedUser({ user_id: other, data: JSON.stringify({ productId: other }) }, hashes)).toBe(false);
    expect(namesErasedUser({ user_id: erased, data: '{}' }, new Set())).toBe(false);
  });
});

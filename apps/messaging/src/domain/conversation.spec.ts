import { conversationIdOf, isParticipant, messageIdOf, otherParticipant, pageSeqs, participantsOf, unreadCount } from './conversation.js';
import { decodeCursor, encodeCursor, isPositiveInt, uuidv7Bound } from './cursor.js';
import { v7 as uuidv7 } from 'uuid';

const A = '0193a3c4-0000-7000-8000-00000000000a';
const B = '0193a3c4-0000-7000-8000-00000000000b';

describe('conversation keys', () => {
  it('gives a pair one id, in either order, and reads the participants back', () => {
    expect(conversationIdOf(B, A)).toBe(`${A}_${B}`);
    expect(conversationIdOf(A, B.toUpperCase())).toBe(`${A}_${B}`);
    expect(participantsOf(`${A}_${B}`)).toEqual([A, B]);
    expect(participantsOf(`${B}_${A}`)).toBeNull();
    expect(participantsOf('x_y')).toBeNull();
    expect(isParticipant(`${A}_${B}`, B)).toBe(true);
    expect(isParticipant(`${A}_${B}`, '0193a3c4-0000-7000-8000-00000000000c')).toBe(false);
    expect(otherParticipant(`${A}_${B}`, A)).toBe(B);
  });

  it('orders message ids by seq as text', () => {
    expect(messageIdOf('c', 7)).toBe('c:0000000007');
    expect(messageIdOf('c', 10) > messageIdOf('c', 9)).toBe(true);
  });

  it('pages seqs newest first, below the cursor, never below 1', () => {
    expect(pageSeqs(25, null, 10)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    expect(pageSeqs(25, 16, 10)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(pageSeqs(25, 3, 10)).toEqual([2, 1]);
    expect(pageSeqs(0, null, 10)).toEqual([]);
    expect(pageSeqs(5, 99, 2)).toEqual([5, 4]);
  });

  it('counts unread after the last read seq', () => {
    expect(unreadCount(10, 7)).toBe(3);
    expect(unreadCount(10, undefined)).toBe(10);
    expect(unreadCount(10, 12)).toBe(0);
  });
});

describe('cursors', () => {
  it('round-trips and rejects anything it did not make', () => {
    expect(decodeCursor(encodeCursor(16), isPositiveInt)).toBe(16);
    expect(decodeCursor(undefined, isPositiveInt)).toBeNull();
    expect(decodeCursor(encodeCursor(-1), isPositiveInt)).toBe('invalid');
    expect(decodeCursor('!!!', isPositiveInt)).toBe('invalid');
  });

  it('bounds UUIDv7 ids by time as text', () => {
    const t = Date.UTC(2026, 10, 21, 12, 0, 0);
    const bound = uuidv7Bound(t);
    expect(uuidv7({ msecs: t - 1 }) < bound).toBe(true);
    expect(uuidv7({ msecs: t }) < bound).toBe(false);
    expect(uuidv7({ msecs: t + 60_000 }) < bound).toBe(false);
  });
});

import { createHash } from 'node:crypto';

/** How analytics remembers an erased user without keeping the id: SHA-256 of the lower-case id, hex. */
export const erasedUserHash = (userId: string): string => createHash('sha256').update(userId.toLowerCase()).digest('hex');

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * True when an event names an erased user anywhere: as its user or in its payload (a message's
 * sender or recipient). `erased` holds the hashes; an empty set costs nothing.
 */
export function namesErasedUser(row: { user_id: string | null; data: string }, erased: ReadonlySet<string>): boolean {
  if (erased.size === 0) return false;
  if (row.user_id && erased.has(erasedUserHash(row.user_id))) return true;
  for (const id of row.data.match(UUIDS) ?? []) if (erased.has(erasedUserHash(id))) return true;
  return false;
}

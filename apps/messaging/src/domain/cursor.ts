/** Opaque, URL-safe page cursors: base64url of a small JSON value. Anything else reads as null. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, check: (value: unknown) => value is T): T | null | 'invalid' {
  if (cursor === undefined) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return check(value) ? value : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** UUIDv7 ids sort by creation time as text; a cursor holding one is itself a valid position. */
export const isUuidText = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v);
export const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
export const isTimeAndId = (v: unknown): v is [number, string] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && Number.isFinite(v[0]) && typeof v[1] === 'string' && v[1].length <= 80;

/** The smallest UUIDv7 text of a millisecond: every v7 id made earlier sorts below it. */
export function uuidv7Bound(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}`;
}

/** The millisecond a UUIDv7 was made (its first 48 bits). */
export function uuidv7Millis(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

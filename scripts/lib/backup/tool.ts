// What every store kind's backup module gives `npm run backup` / `npm run restore`: the same verbs,
// for one service's own store on a local stack, each with the store's own tool.
import { createHash } from 'node:crypto';
import type { ServiceName, Stack } from '../stack.ts';

/**
 * One table, index, collection, key space or stream of a store, as counted and checksummed.
 * `checksum` is order-independent: the sum, modulo 2^64, of a 64-bit hash of each row, document,
 * key or message (what is hashed is defined per store kind), so the same content gives the same
 * value however the store returns it.
 */
export interface ContentPart {
  name: string;
  count: number;
  checksum: string;
}

/** Where a backup tool works: the stack and the service whose store it is. */
export interface BackupContext {
  s: Stack;
  service: ServiceName;
  log: (msg: string) => void;
}

export interface BackupTool {
  /** What the counts count: rows, documents, keys, messages. */
  readonly unit: string;
  /** The store's own tool that writes and reads the backup files. */
  readonly tool: string;
  /** Which login the backup and restore use, and why that one. */
  readonly credentials: string;
  /** The engine's version, for the backup's manifest. */
  version(ctx: BackupContext): Promise<string>;
  /** What the store holds now, per part (with the owner's login where the engine allows it). */
  inspect(ctx: BackupContext): Promise<ContentPart[]>;
  /** Writes the backup's files into `dir` (which exists and is empty); returns what they hold. */
  backup(ctx: BackupContext, dir: string): Promise<ContentPart[]>;
  /** Empties the service's data in the store (restore --force onto a store that holds some). */
  clear(ctx: BackupContext): Promise<void>;
  /** Puts the backup in `dir` back into the store, which holds no data of the service. */
  restore(ctx: BackupContext, dir: string): Promise<void>;
}

const MOD = 1n << 64n;

/** An order-independent checksum: add each item's 64-bit hash, modulo 2^64. */
export class Checksum {
  private sum = 0n;
  count = 0;

  add(item: string | Buffer): void {
    this.sum = (this.sum + createHash('sha256').update(item).digest().readBigUInt64BE(0)) % MOD;
    this.count += 1;
  }

  /** Adds a hash computed elsewhere (a store's own 64-bit hash of a row). */
  addHash(hash: bigint, count = 1): void {
    this.sum = (((this.sum + hash) % MOD) + MOD) % MOD;
    this.count += count;
  }

  part(name: string): ContentPart {
    return { name, count: this.count, checksum: this.sum.toString(16).padStart(16, '0') };
  }
}

/** JSON with object keys sorted at every level: the same document gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export const totalCount = (parts: ContentPart[]): number => parts.reduce((sum, p) => sum + p.count, 0);

/** Parts that differ between two listings (missing on either side, or another count or checksum). */
export function differences(expected: ContentPart[], actual: ContentPart[]): string[] {
  const found = new Map(actual.map((p) => [p.name, p]));
  const out: string[] = [];
  for (const want of expected) {
    const got = found.get(want.name);
    found.delete(want.name);
    if (!got) out.push(`${want.name}: missing (expected ${want.count})`);
    else if (got.count !== want.count || got.checksum !== want.checksum)
      out.push(`${want.name}: ${got.count} with checksum ${got.checksum}, expected ${want.count} with ${want.checksum}`);
  }
  for (const extra of found.values()) if (extra.count > 0) out.push(`${extra.name}: ${extra.count} not in the backup`);
  return out;
}

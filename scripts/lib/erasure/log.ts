// The erasure log across a restore of users: a backup taken before a user was erased would bring
// the account back. The log (ids and times only, no personal data) is read from the store before
// the restore replaces it and written into the restored database after; users, when it starts,
// finds recorded erasures whose account is no tombstone and applies them again (the account, and a
// new request to every service that holds user data).
import type { Stack } from '../stack.ts';
import { provisionerOf } from '../stores/index.ts';

/** The service that owns accounts and the erasure log. */
export const ERASURE_OWNER = 'users';

export interface ErasureRecord {
  id: string;
  user_id: string;
  requested_by: string;
  requested_at: Date;
}

async function withUsersDatabase<T>(s: Stack, fn: (client: import('pg').Client) => Promise<T>): Promise<T> {
  const env = provisionerOf(s, ERASURE_OWNER).connection(s, ERASURE_OWNER).ownerEnv;
  const url = Object.values(env).find((value) => value.startsWith('postgresql://'));
  if (!url) throw new Error(`no PostgreSQL URL among ${ERASURE_OWNER}'s store variables`);
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const hasLog = async (client: import('pg').Client) =>
  (await client.query(`SELECT to_regclass('public.erasures') IS NOT NULL AS present`)).rows[0].present as boolean;

/** The recorded erasures, or none when the database has no log (yet). */
export function readErasureLog(s: Stack): Promise<ErasureRecord[]> {
  return withUsersDatabase(s, async (client) =>
    (await hasLog(client)) ? (await client.query<ErasureRecord>('SELECT id, user_id, requested_by, requested_at FROM erasures')).rows : [],
  );
}

/** Adds the records the (restored) database lacks; returns how many it added. */
export function carryErasureLog(s: Stack, records: ErasureRecord[]): Promise<number> {
  if (records.length === 0) return Promise.resolve(0);
  return withUsersDatabase(s, async (client) => {
    if (!(await hasLog(client)))
      throw new Error(
        `the restored users database predates the erasure log: ${records.length} recorded erasure(s) could not be carried over; ` +
          'start users once (it migrates), then restore again',
      );
    let added = 0;
    for (const r of records) {
      const res = await client.query(
        'INSERT INTO erasures (id, user_id, requested_by, requested_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [r.id, r.user_id, r.requested_by, r.requested_at],
      );
      added += res.rowCount ?? 0;
    }
    return added;
  });
}

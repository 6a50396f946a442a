// A PostgreSQL service's backup: pg_dump's custom format, taken inside one exported snapshot so the
// counts and checksums in the manifest are of exactly what the dump holds; pg_restore puts it back.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { run } from '../proc.ts';
import { serviceLogin } from '../stack.ts';
import { provisionerOf } from '../stores/index.ts';
import { postgresBinDir } from '../stores/postgres.ts';
import { Checksum, type BackupContext, type BackupTool, type ContentPart } from './tool.ts';

const DUMP_FILE = 'database.dump';

/** The owner's URL: pg_dump and pg_restore run with the service's own login, which owns every object of its database. */
function ownerUrl(ctx: BackupContext): string {
  const env = provisionerOf(ctx.s, ctx.service).connection(ctx.s, ctx.service).ownerEnv;
  const url = Object.values(env).find((value) => value.startsWith('postgresql://'));
  if (!url) throw new Error(`no PostgreSQL URL among ${ctx.service}'s store variables`);
  return url;
}

async function ownerClient(ctx: BackupContext): Promise<Client> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: ownerUrl(ctx) });
  await client.connect();
  return client;
}

function binary(name: string): string {
  const bin = postgresBinDir();
  if (!bin || !existsSync(join(bin, name))) throw new Error(`no ${name}: install Debian's postgresql package (npm run infra:up does)`);
  return join(bin, name);
}

/**
 * Each table's rows: count, and the sum of a 64-bit hash of each row's text form (the first 16 hex
 * digits of md5(row::text)), computed by the server.
 */
async function tableParts(client: Client): Promise<ContentPart[]> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  );
  const parts: ContentPart[] = [];
  for (const { name } of tables) {
    const { rows } = await client.query<{ n: string; sum: string | null }>(
      `SELECT count(*) AS n, sum(('x' || left(md5(t::text), 16))::bit(64)::bigint)::text AS sum FROM ${name} t`,
    );
    const checksum = new Checksum();
    checksum.addHash(BigInt(rows[0].sum ?? '0'), Number(rows[0].n));
    parts.push(checksum.part(name));
  }
  return parts;
}

export const POSTGRES_BACKUP: BackupTool = {
  unit: 'rows',
  tool: 'pg_dump --format=custom / pg_restore',
  credentials: "the service's own role, which owns its database and every object in it (no admin right is needed)",

  async version(ctx) {
    const client = await ownerClient(ctx);
    try {
      return `PostgreSQL ${(await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version}`;
    } finally {
      await client.end();
    }
  },

  async inspect(ctx) {
    const client = await ownerClient(ctx);
    try {
      return await tableParts(client);
    } finally {
      await client.end();
    }
  },

  async backup(ctx, dir) {
    // One snapshot for the checksums and the dump: what the manifest says is what the file holds.
    const client = await ownerClient(ctx);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
      const parts = await tableParts(client);
      await run(binary('pg_dump'), ['--format=custom', `--snapshot=${rows[0].id}`, '--file', join(dir, DUMP_FILE), ownerUrl(ctx)], { quiet: true });
      await client.query('COMMIT');
      return parts;
    } finally {
      await client.end();
    }
  },

  async clear(ctx) {
    // Everything the owner's role owns in its database; the public schema again (it may have been one of them).
    const client = await ownerClient(ctx);
    try {
      await client.query('DROP OWNED BY CURRENT_USER');
      await client.query('CREATE SCHEMA IF NOT EXISTS public');
    } finally {
      await client.end();
    }
  },

  async restore(ctx, dir) {
    const { user } = serviceLogin(ctx.service);
    ctx.log(`pg_restore as ${user}`);
    await run(
      binary('pg_restore'),
      ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', '--dbname', ownerUrl(ctx), join(dir, DUMP_FILE)],
      { quiet: true },
    );
  },
};

// An OpenSearch service's backup: a snapshot into a filesystem repository on the node's path.repo
// (opensearch-node.ts sets it to the store's `snapshots` folder), then the repository's files. A
// restore copies them back into path.repo, registers the repository read-only and restores the
// snapshot: the indices with their mappings, settings, aliases and document versions.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { provisionerOf } from '../stores/index.ts';
import { openSearchAdmin } from '../stores/opensearch.ts';
import { openSearchRequest } from '../stores/opensearch-security.ts';
import { SNAPSHOT_REPOSITORIES_FOLDER } from '../stores/opensearch-node.ts';
import { storeDataDir } from '../stores/provisioner.ts';
import { Checksum, canonicalJson, type BackupContext, type BackupTool, type ContentPart } from './tool.ts';

const REPOSITORY_FOLDER = 'repository';
const SNAPSHOT = 'backup';

/**
 * Requests to the service's own node as its operator (TLS with the stack's CA, basic auth):
 * snapshots are cluster-level operations products' own role does not hold, and this node holds
 * products' indices only.
 */
function node(ctx: BackupContext) {
  const admin = openSearchAdmin(ctx.s, ctx.service);
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown, { allow404 = false } = {}): Promise<T> => {
    const res = await openSearchRequest(admin, method, path, body, 120_000);
    if ((res.status < 200 || res.status >= 300) && !(allow404 && res.status === 404))
      throw new Error(`OpenSearch ${method} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
    return res.body as T;
  };
}

/** The service's indices: every one but the engine's hidden and system ones. */
async function indices(ctx: BackupContext): Promise<string[]> {
  const rows = await node(ctx)<Array<{ index: string }>>('GET', '/_cat/indices?format=json&h=index&expand_wildcards=open,closed');
  return rows
    .map((r) => r.index)
    .filter((name) => !name.startsWith('.'))
    .sort();
}

/** Each index's documents: `_id`, `_version` and `_source` of each, hashed. */
async function indexParts(ctx: BackupContext): Promise<ContentPart[]> {
  const request = node(ctx);
  const names = await indices(ctx);
  if (names.length) await request('POST', `/${names.join(',')}/_refresh`);
  const parts: ContentPart[] = [];
  for (const name of names) {
    const sum = new Checksum();
    type Page = { _scroll_id: string; hits: { hits: Array<{ _id: string; _version: number; _source: unknown }> } };
    let page = await request<Page>('POST', `/${encodeURIComponent(name)}/_search?scroll=2m`, { size: 5000, sort: ['_doc'], version: true });
    while (page.hits.hits.length) {
      for (const hit of page.hits.hits) sum.add(canonicalJson([hit._id, hit._version, hit._source]));
      page = await request<Page>('POST', '/_search/scroll', { scroll: '2m', scroll_id: page._scroll_id });
    }
    await request('DELETE', '/_search/scroll', { scroll_id: page._scroll_id }, { allow404: true });
    parts.push(sum.part(name));
  }
  return parts;
}

/** A repository's folder must lie under the node's path.repo. */
const repositoriesDir = (ctx: BackupContext) => join(storeDataDir(ctx.s, ctx.service), SNAPSHOT_REPOSITORIES_FOLDER);

async function withRepository<T>(ctx: BackupContext, readonly: boolean, fn: (repository: string, location: string) => Promise<T>): Promise<T> {
  const repository = `polystore-${readonly ? 'restore' : 'backup'}-${Date.now()}-${process.pid}`;
  const location = join(repositoriesDir(ctx), repository);
  mkdirSync(repositoriesDir(ctx), { recursive: true });
  const request = node(ctx);
  try {
    return await fn(repository, location);
  } catch (error) {
    // A node started before path.repo was in its config (opensearch-node.ts writes it on start).
    if (/path\.repo/.test((error as Error).message))
      throw new Error(
        `${(error as Error).message}\n(the node does not allow ${repositoriesDir(ctx)} as path.repo: restart it, npm run infra:down then infra:up)`,
      );
    throw error;
  } finally {
    await request('DELETE', `/_snapshot/${repository}`, undefined, { allow404: true });
    rmSync(location, { recursive: true, force: true });
  }
}

export const OPENSEARCH_BACKUP: BackupTool = {
  unit: 'documents',
  tool: 'snapshot and restore through a filesystem snapshot repository (path.repo)',
  credentials:
    'the node’s operator access: registering a repository and taking or restoring a snapshot are cluster-level actions (with the security plugin, cluster:admin/repository/* and cluster:admin/snapshot/*), beyond what a service’s own index permissions grant',

  async version(ctx) {
    const info = await node(ctx)<{ version: { number: string; distribution?: string } }>('GET', '/');
    return `OpenSearch ${info.version.number}`;
  },

  inspect: indexParts,

  async backup(ctx, dir) {
    const request = node(ctx);
    const names = await indices(ctx);
    const parts = await indexParts(ctx);
    await withRepository(ctx, false, async (repository, location) => {
      await request('PUT', `/_snapshot/${repository}`, { type: 'fs', settings: { location, compress: true } });
      const result = await request<{ snapshot: { state: string; failures: unknown[] } }>(
        'PUT',
        `/_snapshot/${repository}/${SNAPSHOT}?wait_for_completion=true`,
        { indices: names.join(','), include_global_state: false, ignore_unavailable: false },
      );
      if (result.snapshot.state !== 'SUCCESS')
        throw new Error(`snapshot ended ${result.snapshot.state}: ${JSON.stringify(result.snapshot.failures)}`);
      cpSync(location, join(dir, REPOSITORY_FOLDER), { recursive: true });
    });
    return parts;
  },

  async clear(ctx) {
    await provisionerOf(ctx.s, ctx.service).reset(ctx.s, ctx.service);
  },

  async restore(ctx, dir) {
    const request = node(ctx);
    await withRepository(ctx, true, async (repository, location) => {
      cpSync(join(dir, REPOSITORY_FOLDER), location, { recursive: true });
      await request('PUT', `/_snapshot/${repository}`, { type: 'fs', settings: { location, readonly: true } });
      const result = await request<{ snapshot: { shards: { failed: number } } }>(
        'POST',
        `/_snapshot/${repository}/${SNAPSHOT}/_restore?wait_for_completion=true`,
        { include_global_state: false, include_aliases: true },
      );
      if (result.snapshot.shards.failed) throw new Error(`restore: ${result.snapshot.shards.failed} shards failed`);
    });
    await request('GET', '/_cluster/health?wait_for_status=yellow&timeout=60s');
  },
};

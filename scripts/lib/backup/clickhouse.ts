// A ClickHouse service's backup: ClickHouse's own BACKUP DATABASE … TO File(…) and RESTORE, run
// by the in-process engine (chdb) on the service's data folder. The engine lives inside the
// service's process and binds its folder, so these run while the service is stopped; its events
// wait meanwhile in its durable consumers on JetStream, so nothing is lost.
import { fileURLToPath } from 'node:url';
import { execute } from '../proc.ts';
import { serviceLogin } from '../stack.ts';
import { storeDataDir } from '../stores/provisioner.ts';
import { Checksum, type BackupContext, type BackupTool, type ContentPart } from './tool.ts';

const ENGINE_SCRIPT = fileURLToPath(new URL('./clickhouse-engine.ts', import.meta.url));

async function engine<T>(ctx: BackupContext, operation: string, backupDir?: string): Promise<T> {
  if (!ctx.s.stores[ctx.service].spec.inProcess)
    throw new Error(`${ctx.service}'s ClickHouse is a server here; only the in-process engine is supported`);
  const args = [ENGINE_SCRIPT, operation, storeDataDir(ctx.s, ctx.service), serviceLogin(ctx.service).database, ...(backupDir ? [backupDir] : [])];
  const finished = await execute(process.execPath, ['--no-warnings', ...args], { timeoutMs: 3_600_000 });
  if (finished.code !== 0) {
    const lines = finished.output.trim().split('\n');
    const why = lines.find((line) => line.includes('DB::Exception')) ?? lines.slice(-12).join('\n');
    const busy = /Another server instance in same directory/.test(why)
      ? `\n(${ctx.service} is running: its in-process engine holds the data folder; stop it first, its events wait on JetStream meanwhile)`
      : '';
    throw new Error(`ClickHouse ${operation} failed: ${why}${busy}`);
  }
  return JSON.parse(finished.stdout.trim().split('\n').pop() as string) as T;
}

type TableSum = { name: string; count: number; hash: string };
const toParts = (tables: TableSum[]): ContentPart[] =>
  tables.map(({ name, count, hash }) => {
    const sum = new Checksum();
    sum.addHash(BigInt(hash), count);
    return sum.part(name);
  });

export const CLICKHOUSE_BACKUP: BackupTool = {
  unit: 'rows',
  tool: 'BACKUP DATABASE … TO File(…) / RESTORE DATABASE … FROM File(…) (in-process engine, backups.allowed_path set for the run)',
  credentials:
    'none: the engine is inside the service (no login exists); the backup opens the service’s own data folder, so the service must be stopped',

  version: async (ctx) => `ClickHouse ${await engine<string>(ctx, 'version')} (chdb, in-process)`,
  inspect: async (ctx) => toParts(await engine<TableSum[]>(ctx, 'inspect')),
  backup: async (ctx, dir) => toParts(await engine<TableSum[]>(ctx, 'backup', dir)),
  clear: async (ctx) => void (await engine(ctx, 'clear')),
  restore: async (ctx, dir) => void (await engine(ctx, 'restore', dir)),
};

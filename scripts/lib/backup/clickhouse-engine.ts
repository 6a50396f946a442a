// The in-process ClickHouse engine (chdb) opened by the backup tools on the analytics data folder,
// in a process of its own: chdb binds one data folder per process and takes its server settings
// (here backups.allowed_path, which BACKUP/RESTORE to File() require) when the folder is first
// opened, so each operation gets a fresh process. Called by clickhouse.ts:
//   node clickhouse-engine.ts <version|inspect|backup|clear|restore> <data folder> <database> [backup folder]
//   node clickhouse-engine.ts find <data folder> <database> '<JSON list of needles>'
// and prints its answer as JSON on stdout.
import { Session } from 'chdb';

const [operation, dataDir, database, backupDir] = process.argv.slice(2);
if (!/^[a-z_][a-z0-9_]*$/.test(database ?? '')) throw new Error(`bad database name ${database}`);
const session = new Session(dataDir, backupDir && operation !== 'find' ? { connectionArgs: [`--backups.allowed_path=${backupDir}`] } : undefined);
const rows = <T>(sql: string): T[] =>
  session
    .query(sql, 'JSONEachRow')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * Each table's rows, as the table means them (FINAL: a ReplacingMergeTree's rows after
 * deduplication, whether or not its parts have merged): count, and the sum modulo 2^64 of
 * cityHash64 over every column of each row. A materialized view's inner table is left out: its name
 * is new after a restore, and it holds what its view derives.
 */
function inspect() {
  const tables = rows<{ name: string; engine: string }>(
    `SELECT name, engine FROM system.tables WHERE database = ${quote(database)} AND engine LIKE '%MergeTree' AND name NOT LIKE '.inner%' ORDER BY name`,
  );
  return tables.map(({ name, engine }) => {
    const final = /^(Replacing|Collapsing|VersionedCollapsing|Summing|Aggregating)MergeTree$/.test(engine) ? ' FINAL' : '';
    const [row] = rows<{ n: string; sum: string }>(`SELECT count() AS n, toString(sum(cityHash64(*))) AS sum FROM ${database}.\`${name}\`${final}`);
    return { name: `${database}.${name}`, count: Number(row.n), hash: row.sum };
  });
}

let answer: unknown;
try {
  switch (operation) {
    case 'version':
      answer = rows<{ v: string }>('SELECT version() AS v')[0].v;
      break;
    case 'inspect':
      answer = rows<{ n: string }>(`SELECT count() AS n FROM system.databases WHERE name = ${quote(database)}`)[0].n === '0' ? [] : inspect();
      break;
    case 'backup':
      answer = inspect();
      session.query(`BACKUP DATABASE ${database} TO File(${quote(`${backupDir}/${database}`)})`);
      break;
    case 'clear':
      session.query(`DROP DATABASE IF EXISTS ${database} SYNC`);
      answer = null;
      break;
    case 'find': {
      // Erasure checks: rows of any table whose values, as text, hold one of the needles (a JSON list in the last argument).
      const needles = JSON.parse(backupDir ?? '[]') as string[];
      const tables = rows<{ name: string }>(
        `SELECT name FROM system.tables WHERE database = ${quote(database)} AND engine LIKE '%MergeTree' ORDER BY name`,
      );
      answer = tables.flatMap(({ name }) =>
        needles.map((needle) => ({
          where: `${database}.${name}`,
          needle,
          count: Number(
            rows<{ n: string }>(
              `SELECT count() AS n FROM ${database}.\`${name}\` WHERE positionCaseInsensitive(formatRowNoNewline('JSONEachRow', *), ${quote(needle)}) > 0`,
            )[0].n,
          ),
        })),
      );
      break;
    }
    case 'restore':
      session.query(`RESTORE DATABASE ${database} FROM File(${quote(`${backupDir}/${database}`)})`);
      answer = null;
      break;
    default:
      throw new Error(`unknown operation ${operation}`);
  }
} finally {
  session.close();
}
process.stdout.write(`${JSON.stringify(answer)}\n`);

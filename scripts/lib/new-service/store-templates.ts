// The store-dependent part of a generated service, one template per store kind: its config, the
// connection (the only file that opens one), the items store, and its schema-setup step.
import type { StoreKind } from '../../../manifest.ts';
import { POSTGRES_OUTBOX_INBOX_MODELS, postgresOutboxInboxSql } from '../../../libs/platform/src/schema/postgres-outbox-sql.ts';
import type { ServiceNames } from './templates.ts';

export interface StoreTemplate {
  label: string;
  connectionClass: string;
  connectionFile: string;
  config: string;
  connection: string;
  itemsStore: string;
  /** store/usage.ts: what the store holds (`npm run usage`, `/metrics`), read with its own driver. */
  usage: string;
  schema: string;
  /** The module's `storeAvailability(…)` provider: the connection's own, or a heartbeat on `ping()`. */
  availability?: string;
  extraFiles: Record<string, string>;
}

function configFile(n: ServiceNames, field: string, doc: string, load: string): string {
  return `import { envUrl } from '@polystore/platform';

export interface ${n.Name}Config {
  /** ${doc} */
  ${field}: string;
}

/** Reads ${n.NAME}_* variables; fails naming the variable when one is missing or invalid. */
export function load${n.Name}Config(env: NodeJS.ProcessEnv = process.env): ${n.Name}Config {
  return { ${field}: ${load} };
}

export const ${n.NAME}_CONFIG = Symbol('${n.NAME}_CONFIG');
`;
}

const postgres = (n: ServiceNames): StoreTemplate => {
  const outboxInbox = postgresOutboxInboxSql(n.name);
  return {
    label: 'PostgreSQL database',
    connectionClass: `${n.Name}Database`,
    connectionFile: `${n.name}-database`,
    config: `import { envInt, envOptional, envUrl } from '@polystore/platform';

export interface ${n.Name}Config {
  /** postgresql://${n.name}_svc:…@host:port/${n.name} — ${n.name}'s own role, owner of its own database only. */
  databaseUrl: string;
  databasePoolSize: number;
  migrationsDir: string;
}

/** Reads ${n.NAME}_* variables; fails naming the variable when one is missing or invalid. */
export function load${n.Name}Config(env: NodeJS.ProcessEnv = process.env): ${n.Name}Config {
  return {
    databaseUrl: envUrl('${n.NAME}_DATABASE_URL', undefined, ['postgresql', 'postgres'], env),
    databasePoolSize: envInt('${n.NAME}_DATABASE_POOL_SIZE', 10, { min: 1, max: 100 }, env),
    migrationsDir: envOptional('${n.NAME}_MIGRATIONS_DIR', env) ?? './prisma/${n.name}/migrations',
  };
}

export const ${n.NAME}_CONFIG = Symbol('${n.NAME}_CONFIG');
`,
    connection: `import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PostgresDatabase } from '@polystore/platform';
import pg from 'pg';
import { ${n.NAME}_CONFIG, type ${n.Name}Config } from '../config.js';
import { createPrismaClient, type PrismaClient } from './prisma.js';

/** ${n.name}'s connections to its database (the platform's PostgresDatabase on ${n.name}'s own driver), and what ${n.name} knows of its availability. */
@Injectable()
export class ${n.Name}Database extends PostgresDatabase<PrismaClient> implements OnApplicationShutdown {
  constructor(@Inject(${n.NAME}_CONFIG) readonly config: ${n.Name}Config) {
    super({
      service: '${n.name}',
      databaseUrl: config.databaseUrl,
      client: (timeoutMs) => createPrismaClient(config.databaseUrl, config.databasePoolSize, timeoutMs),
      connection: (options) => new pg.Client(options),
    });
  }
}
`,
    itemsStore: `import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { Item } from '../domain/item.js';
import { ${n.Name}Database } from './${n.name}-database.js';

@Injectable()
export class ItemsStore {
  constructor(
    @Inject(${n.Name}Database) private readonly db: ${n.Name}Database,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'items', metrics);
  }

  async insert(item: Item): Promise<void> {
    await this.db.prisma.item.create({ data: item });
  }

  async find(id: string): Promise<Item | null> {
    return this.db.prisma.item.findUnique({ where: { id } });
  }
}
`,
    usage: `import { POSTGRES_USAGE_SQL, postgresUsage, type PostgresUsageRow, type StoreUsage } from '@polystore/platform';
import type { ${n.Name}Database } from './${n.name}-database.js';

/** ${n.name}'s database: its size, rows (estimated) and index bytes (\`npm run usage\`, \`/metrics\`). */
export async function read${n.Name}Usage(db: ${n.Name}Database): Promise<StoreUsage> {
  const [row] = await db.prisma.$queryRawUnsafe<PostgresUsageRow[]>(POSTGRES_USAGE_SQL);
  return postgresUsage(row!);
}
`,
    schema: `import { migratePostgres, postgresConnectionOptions } from '@polystore/platform';
import pg from 'pg';
import type { ${n.Name}Database } from './${n.name}-database.js';

/**
 * Applies prisma/${n.name}/migrations before the service serves (safe with several instances
 * starting at once: the runner holds Prisma's advisory lock). Add a migration after editing
 * prisma/${n.name}/schema.prisma (see users' for how: the README's Migrations section).
 */
export async function setUp${n.Name}Schema(db: ${n.Name}Database): Promise<void> {
  await migratePostgres(new pg.Client(postgresConnectionOptions(db.config.databaseUrl, 5_000)), db.config.migrationsDir, '${n.name}');
}
`,
    availability: `...storeAvailability((db: ${n.Name}Database) => db.availability, [${n.Name}Database])`,
    extraFiles: {
      [`apps/${n.name}/src/store/prisma.ts`]: `import { postgresClientOptions } from '@polystore/platform';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../../../../generated/${n.name}/client.js';

export { isUniqueViolation } from '@polystore/platform';
export { Prisma, PrismaClient };
export type Tx = Prisma.TransactionClient;

/** The ${n.name} database: Prisma over its pg driver adapter, with the platform's pool and transaction settings. */
export const createPrismaClient = (databaseUrl: string, poolSize: number, operationTimeoutMs: number): PrismaClient =>
  new PrismaClient(postgresClientOptions((pool) => new PrismaPg(pool), databaseUrl, poolSize, operationTimeoutMs));
`,
      [`apps/${n.name}/src/store/outbox.ts`]: `import type { EventEnvelope } from '@polystore/contracts';
import { PostgresOutbox, writeToOutbox } from '@polystore/platform';
import type { ${n.Name}Database } from './${n.name}-database.js';
import type { Tx } from './prisma.js';

/** Writes an event into ${n.name}'s outbox inside the caller's transaction. */
export const addToOutbox = (tx: Tx, event: EventEnvelope): Promise<void> => writeToOutbox(tx, event);

/**
 * The relay's view of ${n.name}'s outbox: the platform's PostgreSQL outbox on ${n.name}'s own connections.
 * When ${n.name} publishes events (manifest \`publishesEvents\`), its module declares
 * \`outboxRelay({ producer: '${n.name}', outbox: (db: ${n.Name}Database) => ${n.name}Outbox(db), inject: [${n.Name}Database], options })\`.
 */
export const ${n.name}Outbox = (db: ${n.Name}Database): PostgresOutbox<Tx> => new PostgresOutbox(db, '${n.name}');
`,
      [`apps/${n.name}/src/store/inbox.ts`]: `import { PostgresInbox } from '@polystore/platform';
import type { PrismaClient, Tx } from './prisma.js';

/** Idempotent consumption for ${n.name}'s consumers (the platform's PostgreSQL inbox on ${n.name}'s pool): the inbox row and the effect commit together. */
export const ${n.name}Inbox = (prisma: PrismaClient): PostgresInbox<Tx> => new PostgresInbox(prisma);
`,
      [`apps/${n.name}/test/${n.name}-outbox.int-spec.ts`]: `import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@polystore/contracts';
import { serviceForSuite } from '../../../test/support/service.js';
import { load${n.Name}Config } from '../src/config.js';
import { ${n.Name}Module } from '../src/${n.name}.module.js';
import { ${n.name}Inbox } from '../src/store/inbox.js';
import { addToOutbox, ${n.name}Outbox } from '../src/store/outbox.js';
import { ${n.Name}Database } from '../src/store/${n.name}-database.js';

/** The platform's PostgreSQL outbox and inbox through ${n.name}'s own adapters, on its real database. */
describe('${n.name} outbox and inbox (integration)', () => {
  const suite = serviceForSuite({ service: '${n.name}', module: (nats) => ${n.Name}Module.forRoot(load${n.Name}Config(), { nats }), ownNatsUser: true });
  // An event of this test's own (${n.name} publishes none until its manifest entry says so).
  const anEvent = () => ({ id: randomUUID(), type: 'OutboxChecked', version: 1, occurredAt: new Date().toISOString(), producer: '${n.name}', data: {} }) as unknown as EventEnvelope;

  it('hands a committed outbox row to the relay once, and marks it sent', async () => {
    const db = suite.app.get(${n.Name}Database);
    const written = anEvent();
    await db.prisma.$transaction((tx) => addToOutbox(tx, written));
    const outbox = ${n.name}Outbox(db);
    const handed: string[] = [];
    const drain = () =>
      outbox.drain(1_000, async (events) => {
        handed.push(...events.map((e) => e.id));
        return events.map((e) => e.id);
      });
    expect(await drain()).toBeGreaterThanOrEqual(1);
    expect(await drain()).toBe(0);
    expect(handed.filter((id) => id === written.id)).toHaveLength(1);
    expect(await outbox.backlog()).toEqual({ pending: 0, oldestWrittenAt: null });
  });

  it('wakes the relay when an outbox row commits', async () => {
    const db = suite.app.get(${n.Name}Database);
    let wakes = 0;
    const stop = await ${n.name}Outbox(db).onCommitted(() => wakes++);
    try {
      const before = wakes;
      await db.prisma.$transaction((tx) => addToOutbox(tx, anEvent()));
      const deadline = Date.now() + 10_000;
      while (wakes === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(wakes).toBeGreaterThan(before);
    } finally {
      await stop();
    }
  });

  it('applies an event once however often it is delivered, and records nothing when the effect fails', async () => {
    const inbox = ${n.name}Inbox(suite.app.get(${n.Name}Database).prisma);
    const eventId = randomUUID();
    let runs = 0;
    await expect(inbox.once('test', eventId, () => Promise.reject(new Error('effect failed')))).rejects.toThrow('effect failed');
    expect(await inbox.once('test', eventId, async () => void runs++)).toBe(true);
    expect(await inbox.once('test', eventId, async () => void runs++)).toBe(false);
    expect(runs).toBe(1);
  });
});
`,
      [`prisma/${n.name}/schema.prisma`]: `// ${n.name} service. Owned by apps/${n.name} only; its migrations are applied before it serves.

generator client {
  provider            = "prisma-client"
  output              = "../../generated/${n.name}"
  moduleFormat        = "esm"
  importFileExtension = "js"
}

datasource db {
  provider = "postgresql"
}

/// The example resource the generator starts the service with.
model Item {
  id        String   @id @db.Uuid
  label     String   @db.VarChar(200)
  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(3)

  @@map("items")
}

${POSTGRES_OUTBOX_INBOX_MODELS}`,
      [`prisma/${n.name}/migrations/migration_lock.toml`]: `# Please do not edit this file manually
# It should be added in your version-control system (e.g., Git)
provider = "postgresql"
`,
      [`prisma/${n.name}/migrations/00000000000000_init/migration.sql`]: `-- CreateTable
CREATE TABLE "items" (
    "id" UUID NOT NULL,
    "label" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "items_pkey" PRIMARY KEY ("id")
);

${outboxInbox.tables}
${outboxInbox.indexes}
-- Hand-written (Prisma's schema language cannot express it):
${outboxInbox.trigger}`,
    },
  };
};

const redis = (n: ServiceNames): StoreTemplate => ({
  label: 'Redis',
  connectionClass: `${n.Name}Redis`,
  connectionFile: `${n.name}-redis`,
  config: configFile(
    n,
    'redisUrl',
    `redis://${n.name}_svc:…@host:port/db — ${n.name}'s own ACL user, limited to keys under \`${n.name}:\`.`,
    `envUrl('${n.NAME}_REDIS_URL', undefined, ['redis', 'rediss'], env)`,
  ),
  connection: `import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ${n.NAME}_CONFIG, type ${n.Name}Config } from '../config.js';

/** Every key ${n.name} writes lives under this prefix; its ACL user can touch nothing else. */
export const ${n.NAME}_KEY_PREFIX = '${n.name}:';

/** ${n.name}'s only connection to Redis. */
@Injectable()
export class ${n.Name}Redis implements OnApplicationShutdown {
  readonly redis: Redis;

  constructor(@Inject(${n.NAME}_CONFIG) config: ${n.Name}Config) {
    // Fail a command quickly while Redis is away instead of queueing it for long.
    this.redis = new Redis(config.redisUrl, { keyPrefix: ${n.NAME}_KEY_PREFIX, maxRetriesPerRequest: 2, connectTimeout: 2_000 });
    this.redis.on('error', () => undefined); // reconnects on its own; health reports the state
  }

  async ping(): Promise<void> {
    const pong = await this.redis.ping();
    if (pong !== 'PONG') throw new Error(\`unexpected PING reply \${pong}\`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
`,
  itemsStore: `import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { Item } from '../domain/item.js';
import { ${n.Name}Redis } from './${n.name}-redis.js';

/** An item is a hash at \`${n.name}:item:<id>\`. */
@Injectable()
export class ItemsStore {
  constructor(
    @Inject(${n.Name}Redis) private readonly store: ${n.Name}Redis,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'items', metrics);
  }

  async insert(item: Item): Promise<void> {
    await this.store.redis.hset(\`item:\${item.id}\`, { label: item.label, createdAt: item.createdAt.toISOString() });
  }

  async find(id: string): Promise<Item | null> {
    const hash = await this.store.redis.hgetall(\`item:\${id}\`);
    if (!hash.label || !hash.createdAt) return null;
    return { id, label: hash.label, createdAt: new Date(hash.createdAt) };
  }
}
`,
  usage: `import type { StoreUsage } from '@polystore/platform';
import type { ${n.Name}Redis } from './${n.name}-redis.js';

/** ${n.name}'s Redis (its own server): the append-only file's size, its keys, no index. */
export async function read${n.Name}Usage(store: ${n.Name}Redis): Promise<StoreUsage> {
  const [persistence, keys] = await Promise.all([store.redis.info('persistence'), store.redis.dbsize()]);
  const aofBytes = /^aof_current_size:(\\d+)/m.exec(persistence)?.[1];
  return { diskBytes: Number(aofBytes ?? 0), items: keys, itemKind: 'keys', indexBytes: 0 };
}
`,
  schema: `import type { ${n.Name}Redis } from './${n.name}-redis.js';

/** Redis has no schema: the step only checks that the store answers before the service serves. */
export async function setUp${n.Name}Schema(store: ${n.Name}Redis): Promise<void> {
  await store.ping();
}
`,
  extraFiles: {},
});

const mongodb = (n: ServiceNames): StoreTemplate => ({
  label: 'MongoDB database',
  connectionClass: `${n.Name}Mongo`,
  connectionFile: `${n.name}-mongo`,
  config: configFile(
    n,
    'mongodbUrl',
    `mongodb://${n.name}_svc:…@host:port/${n.name}?authSource=${n.name} — ${n.name}'s own user, in its own database.`,
    `envUrl('${n.NAME}_MONGODB_URL', undefined, ['mongodb', 'mongodb+srv'], env)`,
  ),
  connection: `import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { ${n.NAME}_CONFIG, type ${n.Name}Config } from '../config.js';

export interface ItemDocument {
  _id: string;
  label: string;
  createdAt: Date;
}

/** Unknown fields are an error, not silently dropped. */
const itemSchema = new Schema<ItemDocument>(
  { _id: { type: String, required: true }, label: { type: String, required: true, maxlength: 200 }, createdAt: { type: Date, required: true } },
  { collection: 'items', strict: 'throw', versionKey: false },
);
itemSchema.index({ createdAt: -1 });

/**
 * ${n.name}'s only connection to MongoDB. A dedicated connection rather than mongoose's global
 * one, so nothing else can share it.
 */
@Injectable()
export class ${n.Name}Mongo implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly items: Model<ItemDocument>;

  constructor(@Inject(${n.NAME}_CONFIG) config: ${n.Name}Config) {
    this.connection = mongoose.createConnection(config.mongodbUrl, {
      serverSelectionTimeoutMS: 3_000,
      // Indexes are an explicit step at start (schema.ts), never a side effect of a model.
      autoIndex: false,
      autoCreate: false,
      // While the store is away, fail at once rather than queue.
      bufferCommands: false,
    });
    this.connection.on('error', () => undefined); // the driver reconnects; health reports the state
    this.items = this.connection.model<ItemDocument>('Item', itemSchema);
  }

  async ping(): Promise<void> {
    await this.connection.asPromise();
    await this.connection.db!.command({ ping: 1 });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
`,
  itemsStore: `import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { Item } from '../domain/item.js';
import { ${n.Name}Mongo } from './${n.name}-mongo.js';

@Injectable()
export class ItemsStore {
  constructor(
    @Inject(${n.Name}Mongo) private readonly store: ${n.Name}Mongo,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'items', metrics);
  }

  async insert(item: Item): Promise<void> {
    await this.store.items.create({ _id: item.id, label: item.label, createdAt: item.createdAt });
  }

  async find(id: string): Promise<Item | null> {
    const doc = await this.store.items.findById(id).lean();
    return doc ? { id: doc._id, label: doc.label, createdAt: doc.createdAt } : null;
  }
}
`,
  usage: `import type { StoreUsage } from '@polystore/platform';
import type { ${n.Name}Mongo } from './${n.name}-mongo.js';

/** ${n.name}'s database from dbStats: storage bytes, documents, index bytes. */
export async function read${n.Name}Usage(store: ${n.Name}Mongo): Promise<StoreUsage> {
  const stats = (await store.connection.db!.stats()) as { storageSize?: number; dataSize?: number; objects?: number; indexSize?: number };
  return { diskBytes: Number(stats.storageSize ?? stats.dataSize ?? 0), items: Number(stats.objects ?? 0), itemKind: 'documents', indexBytes: Number(stats.indexSize ?? 0) };
}
`,
  schema: `import type { ${n.Name}Mongo } from './${n.name}-mongo.js';

/** Creates the collections and the indexes the models declare (harmless to repeat). */
export async function setUp${n.Name}Schema(store: ${n.Name}Mongo): Promise<void> {
  await store.connection.asPromise();
  for (const model of Object.values(store.connection.models)) {
    await model.createCollection().catch((error: Error) => {
      if (!/already exists/i.test(error.message)) throw error;
    });
    await model.createIndexes();
  }
}
`,
  extraFiles: {},
});

const opensearch = (n: ServiceNames): StoreTemplate => ({
  label: 'OpenSearch node',
  connectionClass: `${n.Name}Search`,
  connectionFile: `${n.name}-search`,
  config: `import { envOptional, envUrl } from '@polystore/platform';

export interface ${n.Name}Config {
  /** https://${n.name}_svc:…@host:port of ${n.name}'s own OpenSearch node: its own user, limited to its own indices. */
  opensearchUrl: string;
  /** The CA certificate the node's TLS certificate is checked against (the stack's own CA). */
  caFile?: string;
}

/** Reads ${n.NAME}_* variables; fails naming the variable when one is missing or invalid. */
export function load${n.Name}Config(env: NodeJS.ProcessEnv = process.env): ${n.Name}Config {
  return {
    opensearchUrl: envUrl('${n.NAME}_OPENSEARCH_URL', undefined, ['http', 'https'], env),
    caFile: envOptional('${n.NAME}_OPENSEARCH_CA_FILE', env),
  };
}

export const ${n.NAME}_CONFIG = Symbol('${n.NAME}_CONFIG');
`,
  connection: `import { readFileSync } from 'node:fs';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@opensearch-project/opensearch';
import { ${n.NAME}_CONFIG, type ${n.Name}Config } from '../config.js';

/** ${n.name}'s items index. */
export const ITEMS_INDEX = '${n.name}-items';

/** ${n.name}'s only connection to OpenSearch. */
@Injectable()
export class ${n.Name}Search implements OnApplicationShutdown {
  readonly client: Client;

  constructor(@Inject(${n.NAME}_CONFIG) config: ${n.Name}Config) {
    this.client = new Client({
      node: config.opensearchUrl,
      // The node's certificate is signed by the stack's own CA, not a public one.
      ...(config.caFile ? { ssl: { ca: readFileSync(config.caFile) } } : {}),
      requestTimeout: 10_000,
      maxRetries: 1,
    });
  }

  async ping(): Promise<void> {
    const { body } = await this.client.cluster.health({ timeout: '2s' });
    if (body.status === 'red') throw new Error('cluster status is red');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
`,
  itemsStore: `import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { Item } from '../domain/item.js';
import { ITEMS_INDEX, ${n.Name}Search } from './${n.name}-search.js';

interface ItemSource {
  label: string;
  createdAt: string;
}

@Injectable()
export class ItemsStore {
  constructor(
    @Inject(${n.Name}Search) private readonly search: ${n.Name}Search,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'items', metrics);
  }

  async insert(item: Item): Promise<void> {
    await this.search.client.index({
      index: ITEMS_INDEX,
      id: item.id,
      op_type: 'create',
      // Visible to searches once this returns.
      refresh: 'wait_for',
      body: { label: item.label, createdAt: item.createdAt.toISOString() } satisfies ItemSource,
    });
  }

  async find(id: string): Promise<Item | null> {
    const response = await this.search.client.get({ index: ITEMS_INDEX, id }, { ignore: [404] });
    const body = response.body as { found?: boolean; _source?: ItemSource };
    if (!body.found || !body._source) return null;
    return { id, label: body._source.label, createdAt: new Date(body._source.createdAt) };
  }
}
`,
  usage: `import type { StoreUsage } from '@polystore/platform';
import type { ${n.Name}Search } from './${n.name}-search.js';

/** ${n.name}'s indices: store size and documents (an OpenSearch index is its data: index bytes = store bytes). */
export async function read${n.Name}Usage(search: ${n.Name}Search): Promise<StoreUsage> {
  const { body } = await search.client.indices.stats({ index: '${n.name}-*', metric: ['store', 'docs'] });
  const stats = (body as unknown as { _all: { total: { store: { size_in_bytes: number } }; primaries: { docs: { count: number } } } })._all;
  const bytes = stats.total.store.size_in_bytes;
  return { diskBytes: bytes, items: stats.primaries.docs.count, itemKind: 'documents', indexBytes: bytes };
}
`,
  schema: `import { ITEMS_INDEX, type ${n.Name}Search } from './${n.name}-search.js';

/** Creates the items index with its mappings when it does not exist (harmless to repeat). */
export async function setUp${n.Name}Schema(search: ${n.Name}Search): Promise<void> {
  const exists = await search.client.indices.exists({ index: ITEMS_INDEX });
  if (exists.body) return;
  await search.client.indices
    .create({
      index: ITEMS_INDEX,
      body: {
        settings: { number_of_shards: 1, number_of_replicas: 0 },
        mappings: { dynamic: 'strict', properties: { label: { type: 'text' }, createdAt: { type: 'date' } } },
      },
    })
    .catch((error: Error) => {
      // Another instance created it meanwhile.
      if (!/resource_already_exists/i.test(error.message)) throw error;
    });
}
`,
  extraFiles: {},
});

const clickhouse = (n: ServiceNames): StoreTemplate => ({
  label: 'ClickHouse database',
  connectionClass: `${n.Name}ClickHouse`,
  connectionFile: `${n.name}-clickhouse`,
  config: `import { resolve } from 'node:path';
import { envOptional, envUrl } from '@polystore/platform';

export type ClickHouseTarget =
  | { kind: 'embedded'; dataDir: string }
  | { kind: 'server'; url: string; username?: string; password?: string; database: string };

export interface ${n.Name}Config {
  clickhouse: ClickHouseTarget;
}

/**
 * ${n.NAME}_CLICKHOUSE_URL unset → ClickHouse in-process (chdb) with data in ${n.NAME}_DATA_DIR;
 * set → that server, as ${n.NAME}_CLICKHOUSE_USER.
 */
export function load${n.Name}Config(env: NodeJS.ProcessEnv = process.env): ${n.Name}Config {
  const url = envOptional('${n.NAME}_CLICKHOUSE_URL', env);
  if (!url) return { clickhouse: { kind: 'embedded', dataDir: resolve(envOptional('${n.NAME}_DATA_DIR', env) ?? '.data/${n.name}') } };
  return {
    clickhouse: {
      kind: 'server',
      url: envUrl('${n.NAME}_CLICKHOUSE_URL', url, ['http', 'https'], env),
      username: envOptional('${n.NAME}_CLICKHOUSE_USER', env),
      password: envOptional('${n.NAME}_CLICKHOUSE_PASSWORD', env),
      database: envOptional('${n.NAME}_CLICKHOUSE_DATABASE', env) ?? '${n.name}',
    },
  };
}

export const ${n.NAME}_CONFIG = Symbol('${n.NAME}_CONFIG');
`,
  connection: `import { mkdirSync } from 'node:fs';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { ${n.NAME}_CONFIG, type ${n.Name}Config } from '../config.js';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/** The database ${n.name}'s tables live in. */
export const ${n.NAME}_DATABASE = '${n.name}';

/**
 * ${n.name}'s only connection to ClickHouse, through @clickhouse/client either way: in-process
 * (chdb bound to the data folder, private by construction) or a server given by URL.
 */
@Injectable()
export class ${n.Name}ClickHouse implements OnApplicationShutdown {
  readonly client: ClickHouseClient;

  constructor(@Inject(${n.NAME}_CONFIG) config: ${n.Name}Config) {
    const target = config.clickhouse;
    if (target.kind === 'embedded') {
      mkdirSync(target.dataDir, { recursive: true });
      // chdb types its Connection against its own copy of @clickhouse/client-common; same shape.
      const connection = createChdbConnection({ path: target.dataDir }) as unknown as ClientConnection;
      this.client = createClient({ connection });
    } else {
      this.client = createClient({ url: target.url, username: target.username, password: target.password, database: target.database });
    }
  }

  async ping(): Promise<void> {
    const result = await this.client.ping();
    if (!result.success) throw result.error;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
`,
  itemsStore: `import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { Item } from '../domain/item.js';
import { ${n.NAME}_DATABASE, ${n.Name}ClickHouse } from './${n.name}-clickhouse.js';

interface ItemRow {
  id: string;
  label: string;
  created_at: string;
}

@Injectable()
export class ItemsStore {
  constructor(
    @Inject(${n.Name}ClickHouse) private readonly store: ${n.Name}ClickHouse,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'items', metrics);
  }

  async insert(item: Item): Promise<void> {
    await this.store.client.insert({
      table: \`\${${n.NAME}_DATABASE}.items\`,
      values: [{ id: item.id, label: item.label, created_at: item.createdAt.getTime() }],
      format: 'JSONEachRow',
    });
  }

  async find(id: string): Promise<Item | null> {
    // Values are bound as query parameters, never spliced into SQL.
    const result = await this.store.client.query({
      query: \`SELECT id, label, toUnixTimestamp64Milli(created_at) AS created_at FROM \${${n.NAME}_DATABASE}.items FINAL WHERE id = {id:UUID}\`,
      query_params: { id },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<ItemRow>();
    return row ? { id: row.id, label: row.label, createdAt: new Date(Number(row.created_at)) } : null;
  }
}
`,
  usage: `import type { StoreUsage } from '@polystore/platform';
import { ${n.NAME}_DATABASE, type ${n.Name}ClickHouse } from './${n.name}-clickhouse.js';

/** ${n.name}'s database from system.parts (active parts): bytes on disk, rows, primary key and marks bytes. */
export async function read${n.Name}Usage(store: ${n.Name}ClickHouse): Promise<StoreUsage> {
  const result = await store.client.query({
    query: \`SELECT sum(bytes_on_disk) AS disk_bytes, sum(rows) AS items, sum(primary_key_bytes_in_memory) + sum(marks_bytes) AS index_bytes
            FROM system.parts WHERE database = {database:String} AND active\`,
    query_params: { database: ${n.NAME}_DATABASE },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ disk_bytes: string; items: string; index_bytes: string }>();
  return { diskBytes: Number(row?.disk_bytes ?? 0), items: Number(row?.items ?? 0), itemKind: 'rows', indexBytes: Number(row?.index_bytes ?? 0) };
}
`,
  schema: `import { ${n.NAME}_DATABASE, type ${n.Name}ClickHouse } from './${n.name}-clickhouse.js';

/** Creates the database and its tables when missing (harmless to repeat). */
export async function setUp${n.Name}Schema(store: ${n.Name}ClickHouse): Promise<void> {
  await store.client.command({ query: \`CREATE DATABASE IF NOT EXISTS \${${n.NAME}_DATABASE}\` });
  await store.client.command({
    query: \`CREATE TABLE IF NOT EXISTS \${${n.NAME}_DATABASE}.items (
      id UUID,
      label String,
      created_at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree ORDER BY id\`,
  });
}
`,
  extraFiles: {},
});

export const STORE_TEMPLATES: Record<StoreKind, (n: ServiceNames) => StoreTemplate> = { postgres, redis, mongodb, opensearch, clickhouse };

// A MongoDB-wire service's backup, in mongodump's layout and formats: `<database>/<collection>.bson`
// (the documents as the server returned them, concatenated BSON) and
// `<database>/<collection>.metadata.json` (the collection's indexes), so MongoDB's own
// mongorestore can read it too. Written and read here with the MongoDB driver, because the database
// tools (mongodump/mongorestore, github.com/mongodb/mongo-tools) cannot be had on these machines:
// the Go module proxy answers 403 for that module, and no Debian package ships them.
import { createReadStream, createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Document, MongoClient } from 'mongodb';
import { serviceLogin } from '../stack.ts';
import { provisionerOf } from '../stores/index.ts';
import { Checksum, type BackupContext, type BackupTool, type ContentPart } from './tool.ts';

const BATCH = 2000;

function ownerUrl(ctx: BackupContext): string {
  const env = provisionerOf(ctx.s, ctx.service).connection(ctx.s, ctx.service).ownerEnv;
  const url = Object.values(env).find((value) => value.startsWith('mongodb://'));
  if (!url) throw new Error(`no MongoDB URL among ${ctx.service}'s store variables`);
  return url;
}

/** The owner's own login, on its own database. */
async function withOwner<T>(ctx: BackupContext, fn: (client: MongoClient, database: string) => Promise<T>): Promise<T> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(ownerUrl(ctx), { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    return await fn(client, serviceLogin(ctx.service).database);
  } finally {
    await client.close();
  }
}

async function collections(client: MongoClient, database: string): Promise<string[]> {
  const list = await client.db(database).listCollections({}, { nameOnly: true }).toArray();
  return list
    .map((c) => c.name)
    .filter((name) => !name.startsWith('system.'))
    .sort();
}

/**
 * Each collection's documents, read raw (the BSON bytes the server sends): count, and the sum of a
 * hash of each document's bytes. `onDocument` gets each document's bytes (the dump writes them).
 */
async function collectionParts(ctx: BackupContext, onDocument?: (collection: string, bytes: Buffer) => Promise<void>): Promise<ContentPart[]> {
  return withOwner(ctx, async (client, database) => {
    const parts: ContentPart[] = [];
    for (const name of await collections(client, database)) {
      const sum = new Checksum();
      const cursor = client
        .db(database)
        .collection(name)
        .find({}, { raw: true, batchSize: BATCH, sort: { _id: 1 } });
      for await (const doc of cursor) {
        const bytes = doc as unknown as Buffer;
        sum.add(bytes);
        if (onDocument) await onDocument(name, bytes);
      }
      parts.push(sum.part(`${database}.${name}`));
    }
    return parts;
  });
}

/** Splits concatenated BSON documents (each starts with its length, int32 little-endian). */
async function* bsonDocuments(file: string): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    let at = 0;
    while (pending.length - at >= 4 && pending.length - at >= pending.readInt32LE(at)) {
      const size = pending.readInt32LE(at);
      yield pending.subarray(at, at + size);
      at += size;
    }
    pending = pending.subarray(at);
  }
  if (pending.length) throw new Error(`${file} ends inside a document (${pending.length} bytes left)`);
}

export const MONGODB_BACKUP: BackupTool = {
  unit: 'documents',
  tool: 'the MongoDB driver writing and reading mongodump’s layout (<db>/<collection>.bson + .metadata.json); mongodump/mongorestore cannot be had here',
  credentials: "the service's own user on its own database (reading and writing its collections needs nothing more)",

  async version(ctx) {
    return withOwner(ctx, async (client, database) => {
      const build = await client.db(database).command({ buildInfo: 1 });
      return `MongoDB wire ${build.version}${build.ferretdbVersion ? ` (FerretDB ${build.ferretdbVersion})` : ''}`;
    });
  },

  inspect: (ctx) => collectionParts(ctx),

  async backup(ctx, dir) {
    const database = serviceLogin(ctx.service).database;
    mkdirSync(join(dir, database));
    const files = new Map<string, ReturnType<typeof createWriteStream>>();
    const parts = await collectionParts(ctx, async (collection, bytes) => {
      let out = files.get(collection);
      if (!out) {
        out = createWriteStream(join(dir, database, `${collection}.bson`));
        files.set(collection, out);
      }
      if (!out.write(bytes)) await once(out, 'drain');
    });
    await Promise.all([...files.values()].map((out) => new Promise((resolve) => out.end(resolve))));
    await withOwner(ctx, async (client) => {
      for (const name of await collections(client, database)) {
        if (!files.has(name)) writeFileSync(join(dir, database, `${name}.bson`), '');
        const indexes = await client.db(database).collection(name).listIndexes().toArray();
        writeFileSync(join(dir, database, `${name}.metadata.json`), JSON.stringify({ collectionName: name, type: 'collection', indexes }, null, 1));
      }
    });
    return parts;
  },

  async clear(ctx) {
    await withOwner(ctx, async (client, database) => {
      for (const name of await collections(client, database)) await client.db(database).dropCollection(name);
    });
  },

  async restore(ctx, dir) {
    const { BSON } = await import('mongodb');
    await withOwner(ctx, async (client, database) => {
      const folder = join(dir, database);
      for (const file of readdirSync(folder).filter((f) => f.endsWith('.metadata.json'))) {
        const { collectionName, indexes } = JSON.parse(readFileSync(join(folder, file), 'utf8')) as { collectionName: string; indexes: Document[] };
        const collection = await client.db(database).createCollection(collectionName);
        const wanted = indexes.filter((index) => index.name !== '_id_').map(({ v: _v, ns: _ns, ...index }) => index);
        if (wanted.length) await client.db(database).command({ createIndexes: collectionName, indexes: wanted });
        let batch: Document[] = [];
        let count = 0;
        // Values as they were: no promotion of longs, doubles or binaries to JavaScript types.
        for await (const bytes of bsonDocuments(join(folder, `${collectionName}.bson`))) {
          batch.push(BSON.deserialize(bytes, { promoteValues: false, bsonRegExp: true }));
          if (batch.length === BATCH) {
            await collection.insertMany(batch, { ordered: true, forceServerObjectId: false });
            count += batch.length;
            batch = [];
          }
        }
        if (batch.length) await collection.insertMany(batch, { ordered: true });
        ctx.log(`${database}.${collectionName}: ${count + batch.length} documents, ${wanted.length} indexes besides _id`);
      }
    });
  },
};

import mongoose, { Schema } from 'mongoose';
import { otherServicesCredentials } from '../../../test/support/credentials.js';
import { loadMessagingConfig } from '../src/config.js';
import { MessagingMongo } from '../src/store/messaging-mongo.js';

/** messaging's MongoDB-wire store (FerretDB here, MongoDB in compose), through mongoose with its own user. */
describe('messaging store: MongoDB wire protocol (integration)', () => {
  const config = loadMessagingConfig();
  let store: MessagingMongo;
  beforeAll(async () => {
    store = new MessagingMongo(config);
    await store.ready();
  });
  afterAll(() => store.onApplicationShutdown());

  it('writes and reads documents through a validated schema with a unique index', async () => {
    const Probe = store.connection.model(
      'Probe',
      new Schema({ key: { type: String, required: true, maxlength: 50 }, body: { type: String, required: true } }, { collection: 'probes' }),
    );
    await Probe.createCollection().catch(() => undefined);
    await Probe.collection.createIndex({ key: 1 }, { unique: true, name: 'probes_key_unique' });
    const key = `k-${Date.now()}`;
    await Probe.create({ key, body: 'hello' });
    expect(await Probe.findOne({ key }).lean()).toMatchObject({ key, body: 'hello' });
    await expect(Probe.create({ key, body: 'again' })).rejects.toMatchObject({ code: 11000 });
    await expect(Probe.create({ key: 'x' })).rejects.toThrow(/body.*required/);
  });

  it('refuses a connection without credentials, with a wrong password, or with another service’s credentials', async () => {
    const url = new URL(config.mongodbUrl);
    const tryAs = async (user?: string, password?: string) => {
      const u = new URL(url);
      u.username = user ?? '';
      u.password = password ?? '';
      const conn = mongoose.createConnection(u.toString(), { serverSelectionTimeoutMS: 3_000 });
      try {
        await conn.asPromise();
        await conn.db!.collection('probes').findOne({});
        return 'allowed';
      } catch (error) {
        return (error as Error).message;
      } finally {
        await conn.close().catch(() => undefined);
      }
    };
    expect(await tryAs()).toMatch(/requires authentication|Unauthorized|not authorized/i);
    expect(await tryAs(url.username, 'wrong-password')).toMatch(/Authentication failed/i);
    for (const other of otherServicesCredentials('messaging')) {
      expect(await tryAs(other.user, other.password)).toMatch(/Authentication failed/i);
    }
  });
});

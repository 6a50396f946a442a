import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { StoreAvailability, storeProbeSettings } from '@polystore/platform';
import mongoose, { type Connection, type Model } from 'mongoose';
import { MESSAGING_CONFIG, type MessagingConfig } from '../config.js';
import { messagingModels, type MessagingModels } from './models.js';

/**
 * messaging's only connection to MongoDB (a real MongoDB in docker-compose, FerretDB 1.x here).
 * A dedicated connection rather than mongoose's global one, so nothing else can share it.
 */
@Injectable()
export class MessagingMongo implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly models: MessagingModels;
  readonly availability: StoreAvailability;
  private server: Promise<{ ferretdb: boolean }> | null = null;

  constructor(@Inject(MESSAGING_CONFIG) config: MessagingConfig) {
    const timing = storeProbeSettings('messaging');
    this.connection = mongoose.createConnection(config.mongodbUrl, {
      serverSelectionTimeoutMS: 3_000,
      // A frozen server keeps the socket open and answers nothing: give up on an operation after this.
      socketTimeoutMS: timing.operationTimeoutMs,
      // Index creation is an explicit, versioned step at start, never a side effect of a model.
      autoIndex: false,
      autoCreate: false,
      // While the store is away, fail at once (→ UNAVAILABLE) rather than queue for 10 s.
      bufferCommands: false,
    });
    this.connection.on('error', () => undefined); // the driver reconnects; health reports the state
    this.models = messagingModels(this.connection);
    this.availability = new StoreAvailability({
      store: 'mongodb',
      probe: () => this.ping(),
      probeDeadlineMs: timing.probeDeadlineMs,
      probeIntervalMs: timing.probeIntervalMs,
    });
    this.connection.on('disconnected', () => this.availability.markDown('connection to MongoDB lost'));
  }

  async ready(): Promise<void> {
    await this.connection.asPromise();
  }

  async ping(): Promise<void> {
    await this.ready();
    await this.connection.db!.command({ ping: 1 });
  }

  /**
   * Documents by `_id`, in the order asked, missing ones left out. FerretDB 1.x never pushes `$in`
   * down to its backend (it would read the whole collection), but answers a single `_id` equality
   * from the `_id` index (patched, see scripts/lib/stores/ferretdb.ts): so there it is one lookup per id;
   * MongoDB gets one `$in` query.
   */
  async findByIds<T>(model: Model<T>, ids: string[]): Promise<T[]> {
    if (ids.length === 0) return [];
    const found = (await this.isFerretDb())
      ? (await Promise.all(ids.map((id) => model.findById(id).lean<T>().exec()))).filter((d): d is NonNullable<typeof d> => d !== null)
      : await model
          .find({ _id: { $in: ids } })
          .lean<T[]>()
          .exec();
    const byId = new Map(found.map((d) => [(d as { _id: string })._id, d as T]));
    return ids.map((id) => byId.get(id)).filter((d): d is T => d !== undefined);
  }

  /** FerretDB answers buildInfo with its own version next to the MongoDB one it emulates. */
  async isFerretDb(): Promise<boolean> {
    this.server ??= this.ready()
      .then(() => this.connection.db!.admin().command({ buildInfo: 1 }))
      .then((info) => ({ ferretdb: 'ferretdbVersion' in info }))
      .catch((error: unknown) => {
        this.server = null;
        throw error;
      });
    return (await this.server).ferretdb;
  }

  async onApplicationShutdown(): Promise<void> {
    this.availability.stop();
    await this.connection.close();
  }
}

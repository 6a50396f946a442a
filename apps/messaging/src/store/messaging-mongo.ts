import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import { MESSAGING_CONFIG, type MessagingConfig } from '../config.js';

/**
 * messaging's only connection to MongoDB (a real MongoDB in docker-compose, FerretDB 1.x here).
 * A dedicated connection rather than mongoose's global one, so nothing else can share it.
 */
@Injectable()
export class MessagingMongo implements OnApplicationShutdown {
  readonly connection: Connection;

  constructor(@Inject(MESSAGING_CONFIG) config: MessagingConfig) {
    this.connection = mongoose.createConnection(config.mongodbUrl, {
      serverSelectionTimeoutMS: 3_000,
      // Index creation is an explicit, versioned step at start, never a side effect of a model.
      autoIndex: false,
      autoCreate: false,
    });
    this.connection.on('error', () => undefined); // the driver reconnects; health reports the state
  }

  async ready(): Promise<void> {
    await this.connection.asPromise();
  }

  async ping(): Promise<void> {
    await this.ready();
    await this.connection.db!.command({ ping: 1 });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ensureIndexes } from './indexes.js';
import { MessagingMongo } from './messaging-mongo.js';

/** Applies the index steps before the service takes any request. */
@Injectable()
export class MessagingIndexes implements OnModuleInit {
  private readonly logger = new Logger('MessagingIndexes');

  constructor(@Inject(MessagingMongo) private readonly mongo: MessagingMongo) {}

  async onModuleInit(): Promise<void> {
    const version = await ensureIndexes(this.mongo.connection);
    this.logger.log(`indexes at version ${version}`);
  }
}

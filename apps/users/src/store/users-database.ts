import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PostgresDatabase } from '@polystore/platform';
import pg from 'pg';
import { USERS_CONFIG, type UsersStoreConfig } from '../config.js';
import { createPrismaClient, type PrismaClient } from './prisma.js';

/** users' connections to its database (the platform's PostgresDatabase on users' own driver), and what users knows of its availability. */
@Injectable()
export class UsersDatabase extends PostgresDatabase<PrismaClient> implements OnApplicationShutdown {
  constructor(@Inject(USERS_CONFIG) readonly config: UsersStoreConfig) {
    super({
      service: 'users',
      databaseUrl: config.databaseUrl,
      client: (timeoutMs) => createPrismaClient(config.databaseUrl, config.databasePoolSize, timeoutMs),
      connection: (options) => new pg.Client(options),
    });
  }
}

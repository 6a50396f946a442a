import { envUrl } from '@polystore/platform';

export interface MessagingConfig {
  /** mongodb://messaging_svc:<password>@host:port/messaging — messaging's own user and database. */
  mongodbUrl: string;
}

export function loadMessagingConfig(env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  return {
    // Required: it carries the service's password (generated per stack, given by npm start/test).
    mongodbUrl: envUrl('MESSAGING_MONGODB_URL', undefined, ['mongodb', 'mongodb+srv'], env),
  };
}

export const MESSAGING_CONFIG = Symbol('MESSAGING_CONFIG');

import { envUrl } from '@polystore/platform';
import { APPS } from '@polystore/manifest';

export interface MessagingConfig {
  /** mongodb://messaging_svc:<password>@host:port/messaging — messaging's own user and database. */
  mongodbUrl: string;
}

export function loadMessagingConfig(env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  return {
    mongodbUrl: envUrl(
      'MESSAGING_MONGODB_URL',
      `mongodb://messaging_svc:messaging_svc_dev_password@127.0.0.1:${APPS.messaging.store.port.dev}/messaging`,
      ['mongodb', 'mongodb+srv'],
      env,
    ),
  };
}

export const MESSAGING_CONFIG = Symbol('MESSAGING_CONFIG');

import { ConfigError, envInt, envString, envUrl, natsSettings } from './env.js';

describe('configuration from the environment', () => {
  it('uses the fallback when a variable is unset', () => {
    expect(envString('USERS_X', 'fallback', {})).toBe('fallback');
    expect(envInt('USERS_N', 7, {}, {})).toBe(7);
  });

  it('names the variable when a required one is missing', () => {
    expect(() => envString('USERS_SECRET', undefined, {})).toThrow(new ConfigError('USERS_SECRET', 'is required but not set'));
  });

  it('rejects a non-integer or out-of-range number, naming the variable', () => {
    expect(() => envInt('GATEWAY_PORT', 1, {}, { GATEWAY_PORT: '80a' })).toThrow(/GATEWAY_PORT must be an integer/);
    expect(() => envInt('GATEWAY_PORT', 1, { max: 65535 }, { GATEWAY_PORT: '70000' })).toThrow(/GATEWAY_PORT must be ≤ 65535/);
  });

  it('checks URL protocols', () => {
    expect(() => envUrl('USERS_DATABASE_URL', 'x', ['postgresql'], { USERS_DATABASE_URL: 'mysql://h/db' })).toThrow(
      /USERS_DATABASE_URL must use postgresql/,
    );
    expect(() => envUrl('USERS_DATABASE_URL', 'x', ['postgresql'], { USERS_DATABASE_URL: 'not a url' })).toThrow(/USERS_DATABASE_URL must be a URL/);
  });

  it('reads NATS_URL plus the service’s own credentials only', () => {
    const env = { NATS_URL: 'nats://127.0.0.1:1,nats://127.0.0.1:2', USERS_NATS_USER: 'u', USERS_NATS_PASSWORD: 'p', CART_NATS_USER: 'c' };
    expect(natsSettings('USERS', 'users', env)).toEqual({
      servers: ['nats://127.0.0.1:1', 'nats://127.0.0.1:2'],
      user: 'u',
      pass: 'p',
      name: 'users',
      inboxPrefix: '_INBOX_users',
    });
    expect(() => natsSettings('USERS', 'users', { NATS_URL: 'http://x' })).toThrow(/NATS_URL/);
  });
});

describe('PEM settings', () => {
  it('takes the inline value or the file, and names the variable when neither works', async () => {
    const { envPem } = await import('./env.js');
    expect(envPem('USERS_KEY', { USERS_KEY: 'a\\nb' })).toBe('a\nb');
    expect(() => envPem('USERS_KEY', {})).toThrow(/USERS_KEY_FILE is required/);
    expect(() => envPem('USERS_KEY', { USERS_KEY_FILE: '/no/such/file' })).toThrow(/USERS_KEY_FILE cannot be read/);
    expect(() =>
      envPem('USERS_KEY', { USERS_KEY: 'junk' }, () => {
        throw new Error('bad');
      }),
    ).toThrow(/USERS_KEY does not hold a usable key/);
  });
});

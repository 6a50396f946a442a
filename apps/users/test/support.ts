import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { NatsSettings } from '@polystore/platform';
import { loadUsersConfig, type UsersConfig } from '../src/config.js';
import { UsersModule } from '../src/users.module.js';

/** The users module on the test stack's PostgreSQL (from `npm test`'s env), for startServiceForTest. */
export const usersModule =
  (overrides: Partial<UsersConfig> = {}) =>
  (nats: NatsSettings) =>
    UsersModule.forRoot({ ...loadUsersConfig(), ...overrides }, { nats });

/** A private nats-server has no users: connect without credentials. */
export const privateNatsSettings = (url: string): NatsSettings => ({ servers: [url], name: 'users-test' });

export const uniqueEmail = (tag = 'user') => `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@Example.com`;

export { freePort } from '../../../test/support/ports.js';

/** A private nats-server (real, with JetStream) that a test may stop and restart. */
export class PrivateNats {
  private child: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(process.env.POLYSTORE_TEST_DATA_DIR ?? '/tmp', 'nats-'));
  constructor(readonly port: number) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const bin = process.env.POLYSTORE_NATS_SERVER_BIN ?? 'nats-server';
    this.child = spawn(bin, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.dir], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await portAnswers(this.port)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('private nats-server did not start');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    this.child = null;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export { failure, offContract } from '../../../test/support/rpc.js';

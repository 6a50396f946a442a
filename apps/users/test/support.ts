import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NatsLink, RpcClient, bootstrapService, type NatsSettings } from '@polystore/platform';
import { loadUsersConfig, type UsersConfig } from '../src/config.js';
import { UsersModule } from '../src/users.module.js';

/** The users service in-process, on the test stack's real PostgreSQL and NATS (from `npm test`'s env). */
export interface RunningUsers {
  app: NestFastifyApplication;
  config: UsersConfig;
  stop: () => Promise<void>;
}

/** NATS settings for test tooling: the operator user (the private nats-server has no auth at all). */
export function testNats(url = process.env.NATS_URL!): NatsSettings {
  const isStackNats = url === process.env.NATS_URL;
  return {
    servers: [url],
    name: 'users-test',
    ...(isStackNats ? { user: process.env.POLYSTORE_NATS_OPS_USER, pass: process.env.POLYSTORE_NATS_OPS_PASSWORD } : {}),
  };
}

export async function startUsers(
  overrides: Partial<UsersConfig> = {},
  nats: NatsSettings = testNats(),
  { migrate = true } = {},
): Promise<RunningUsers> {
  const config = { ...loadUsersConfig(), ...overrides };
  const app = await bootstrapService({
    service: 'users',
    module: UsersModule.forRoot(config, { nats }),
    httpPort: 0,
    nats,
    quiet: true,
    skipSchemaSetup: !migrate,
  });
  return { app, config, stop: () => app.close() };
}

export async function rpcClient(url = process.env.NATS_URL!): Promise<{ rpc: RpcClient; link: NatsLink }> {
  const link = await NatsLink.open({ ...testNats(url), name: 'users-test-client' });
  return { rpc: new RpcClient(link, 5_000), link };
}

export const uniqueEmail = (tag = 'user') => `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@Example.com`;

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

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

/**
 * Runs the users service and an RPC client for the enclosing describe block; the returned object's
 * fields are filled in before the first test runs.
 */
export function usersServiceForSuite(): { users: RunningUsers; rpc: RpcClient; link: NatsLink } {
  const ctx = {} as { users: RunningUsers; rpc: RpcClient; link: NatsLink };
  beforeAll(async () => {
    ctx.users = await startUsers();
    Object.assign(ctx, await rpcClient());
  });
  afterAll(async () => {
    await ctx.link?.close();
    await ctx.users?.stop();
  });
  return ctx;
}

export { failure } from '../../../test/support/rpc.js';

import { ErrorCode, rpcSubject, type NoParams } from '@polystore/contracts';
import { NatsLink } from '../src/nats/connection.js';
import { ReplyMuxError } from '../src/nats/reply-mux.js';
import { RpcClient } from '../src/rpc/rpc-client.js';
import { RpcError } from '../src/rpc/rpc-error.js';

const nobody = rpcSubject<NoParams, unknown>('nobody.listens.v1');
const silent = rpcSubject<NoParams, unknown>('silent.service.v1');
const echo = rpcSubject<{ a?: number; fail?: boolean }, { echoed: unknown }>('echo.service.v1');

/** RpcClient against real NATS: the failure modes a caller maps to 503 and 504. */
describe('RpcClient (integration)', () => {
  let link: NatsLink;
  beforeAll(async () => {
    link = await NatsLink.open({
      servers: [process.env.NATS_URL!],
      name: 'rpc-client-test',
      user: process.env.POLYSTORE_NATS_OPS_USER,
      pass: process.env.POLYSTORE_NATS_OPS_PASSWORD,
    });
  });
  afterAll(() => link.close());

  it('fails at once with UNAVAILABLE when nobody serves the subject', async () => {
    const started = Date.now();
    const error = (await new RpcClient(link, 5_000).send(nobody, {}).catch((e: unknown) => e as RpcError)) as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe(ErrorCode.Unavailable);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('fails with TIMEOUT after the configured time when the service does not answer', async () => {
    const listener = link.connection.subscribe(silent.subject); // receives, never replies
    try {
      const started = Date.now();
      const error = (await new RpcClient(link, 300).send(silent, {}).catch((e: unknown) => e as RpcError)) as RpcError;
      expect(error.code).toBe(ErrorCode.Timeout);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      listener.unsubscribe();
    }
  });

  it('returns the reply of a Nest-style responder and rethrows its typed error', async () => {
    const sub = link.connection.subscribe(echo.subject, {
      callback: (_err, msg) => {
        const packet = JSON.parse(msg.string()) as { id: string; data: { fail?: boolean } };
        const reply = packet.data.fail
          ? { id: packet.id, err: { code: 'CONFLICT', message: 'nope', details: { field: 'x' } }, isDisposed: true }
          : { id: packet.id, response: { echoed: packet.data }, isDisposed: true };
        msg.respond(JSON.stringify(reply));
      },
    });
    try {
      const rpc = new RpcClient(link, 2_000);
      await expect(rpc.send(echo, { a: 1 })).resolves.toEqual({ echoed: { a: 1 } });
      const error = (await rpc.send(echo, { fail: true }).catch((e: unknown) => e as RpcError)) as RpcError;
      expect(error.payload).toEqual({ code: 'CONFLICT', message: 'nope', details: { field: 'x' } });
    } finally {
      sub.unsubscribe();
    }
  });

  it('gives each of many concurrent requests its own reply, answered out of order, and forgets a reply that came too late', async () => {
    const slowFirst = rpcSubject<{ n: number }, { n: number }>('shuffle.service.v1');
    const sub = link.connection.subscribe(slowFirst.subject, {
      callback: (_err, msg) => {
        const packet = JSON.parse(msg.string()) as { id: string; data: { n: number } };
        // Lower numbers answer later: replies come back in the reverse order of the requests.
        setTimeout(() => msg.respond(JSON.stringify({ id: packet.id, response: { n: packet.data.n }, isDisposed: true })), 200 - packet.data.n);
      },
    });
    try {
      const rpc = new RpcClient(link, 2_000);
      const replies = await Promise.all(Array.from({ length: 100 }, (_, n) => rpc.send(slowFirst, { n })));
      expect(replies.map((r) => r.n)).toEqual(Array.from({ length: 100 }, (_, n) => n));
      // n = 0 answers after 200 ms: past a 50 ms timeout, its late reply must not settle anything.
      const late = (await new RpcClient(link, 50).send(slowFirst, { n: 0 }).catch((e: unknown) => e as RpcError)) as RpcError;
      expect(late.code).toBe(ErrorCode.Timeout);
      await new Promise((r) => setTimeout(r, 300));
      expect(link.replies.waiting).toBe(0);
    } finally {
      sub.unsubscribe();
    }
  });

  it('fails the requests still waiting when the connection closes', async () => {
    const other = await NatsLink.open({
      servers: [process.env.NATS_URL!],
      name: 'rpc-client-close-test',
      user: process.env.POLYSTORE_NATS_OPS_USER,
      pass: process.env.POLYSTORE_NATS_OPS_PASSWORD,
    });
    const listener = other.connection.subscribe(silent.subject);
    const waiting = other.replies.request(silent.subject, '{}', 10_000).catch((e: unknown) => e);
    await other.connection.flush();
    listener.unsubscribe();
    await other.connection.close();
    const error = await waiting;
    expect(error).toBeInstanceOf(ReplyMuxError);
    expect((error as ReplyMuxError).failure).toBe('closed');
  });
});

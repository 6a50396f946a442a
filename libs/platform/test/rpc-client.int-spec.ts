import { ErrorCode, rpcSubject, type NoParams } from '@polystore/contracts';
import { NatsLink } from '../src/nats/connection.js';
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
});

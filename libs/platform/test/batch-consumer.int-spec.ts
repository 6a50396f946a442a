import { jetstream, jetstreamManager, RetentionPolicy, StorageType, type JsMsg } from '@nats-io/jetstream';
import { JetStreamBatchConsumer, streamSequenceOf } from '../src/events/batch-consumer.js';
import { NatsLink } from '../src/nats/connection.js';

/** The batch consumer against real JetStream: batches by size and time, acks only after a batch is stored. */
describe('JetStreamBatchConsumer (integration)', () => {
  let link: NatsLink;
  const stream = `BATCH_TEST_${Date.now()}`;
  const subject = `batchtest.${Date.now()}`;
  beforeAll(async () => {
    link = await NatsLink.open({
      servers: [process.env.NATS_URL!],
      name: 'batch-consumer-test',
      user: process.env.POLYSTORE_NATS_OPS_USER,
      pass: process.env.POLYSTORE_NATS_OPS_PASSWORD,
    });
    const jsm = await jetstreamManager(link.connection);
    await jsm.streams.add({ name: stream, subjects: [`${subject}.>`], retention: RetentionPolicy.Limits, storage: StorageType.File });
  });
  afterAll(async () => {
    await (await jetstreamManager(link.connection)).streams.delete(stream).catch(() => undefined);
    await link.close();
  });

  const publish = async (from: number, count: number) => {
    const js = jetstream(link.connection);
    for (let i = from; i < from + count; i++) await js.publish(`${subject}.n`, String(i));
  };
  const consumerInfo = async (durable: string) => (await jetstreamManager(link.connection)).consumers.info(stream, durable);
  const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  };

  it('hands over full batches, then the rest after the wait, and acks each batch only once it is stored', async () => {
    const batches: string[][] = [];
    const sequences: Array<[number, number]> = [];
    type Decoded = { text: string; read: number; parsed: number };
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const consumer = new JetStreamBatchConsumer(link.connection, {
      durable: 'sizes',
      stream,
      maxBatch: 10,
      maxWaitMs: 300,
      decode: (m: JsMsg): Decoded => ({ text: m.string(), read: streamSequenceOf(m), parsed: m.seq }),
      handle: async (batch: Decoded[]) => {
        batches.push(batch.map((m) => m.text));
        sequences.push(...batch.map((m): [number, number] => [m.read, m.parsed]));
        if (batches.length === 1) await held; // the first batch is "being stored" until released
      },
    });
    await publish(0, 25);
    await consumer.start();
    try {
      // The second batch is stored alongside the first and acked; the first, not stored yet, is not
      // (nor what was delivered after the second: it waits in the client until a batch slot frees).
      await until(() => batches.length === 2);
      const acked = (info: { delivered: { stream_seq: number }; num_ack_pending: number }) => info.delivered.stream_seq - info.num_ack_pending;
      await until(async () => acked(await consumerInfo('sizes')) === 10);
      const pending = await consumerInfo('sizes');
      expect(pending.ack_floor.stream_seq).toBe(0);
      expect(acked(pending)).toBe(10);
      release();
      await until(() => batches.flat().length === 25);
      expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
      expect(batches.flat()).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
      // The stream sequence read straight from the reply subject is the one nats.js parses.
      expect(sequences.map(([read]) => read)).toEqual(sequences.map(([, parsed]) => parsed));
      expect(new Set(sequences.map(([read]) => read)).size).toBe(25);
      await until(async () => (await consumerInfo('sizes')).ack_floor.stream_seq === 25);
      expect((await consumerInfo('sizes')).num_ack_pending).toBe(0);
    } finally {
      release();
      await consumer.stop();
    }
  });

  it('retries a batch that failed to be stored, unacked meanwhile, and never skips it', async () => {
    const attempts: string[][] = [];
    const consumer = new JetStreamBatchConsumer(link.connection, {
      durable: 'retries',
      stream,
      maxBatch: 100,
      maxWaitMs: 100,
      maxBackoffMs: 200,
      decode: (m: JsMsg) => m.string(),
      handle: async (batch: string[]) => {
        attempts.push([...batch]);
        if (attempts.length < 3) throw new Error('store unavailable');
      },
    });
    await consumer.start();
    try {
      await until(() => attempts.length >= 3);
      // The same batch, three times; later batches (if the 25 came in two) only after it was stored.
      expect(attempts[1]).toEqual(attempts[0]);
      expect(attempts[2]).toEqual(attempts[0]);
      await until(async () => (await consumerInfo('retries')).num_ack_pending === 0);
      expect(new Set(attempts.flat()).size).toBe(25);
      const info = await consumerInfo('retries');
      expect(info.ack_floor.stream_seq).toBe(info.delivered.stream_seq);
    } finally {
      await consumer.stop();
    }
  });

  it('lets a batch that waited out maxWaitMs behind busy stores go on filling, and stores it as one when a slot frees', async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const consumer = new JetStreamBatchConsumer(link.connection, {
      durable: 'due',
      stream,
      maxBatch: 100,
      maxWaitMs: 100,
      maxBatchesInFlight: 1,
      decode: (m: JsMsg) => m.string(),
      handle: async (batch: string[]) => {
        batches.push([...batch]);
        if (batches.length === 1) await held; // the only slot stays taken until released
      },
    });
    await consumer.start();
    try {
      await until(() => batches.length === 1); // the 25 published by the first test: the slot is now taken
      await publish(1_000, 2);
      await new Promise((r) => setTimeout(r, 300)); // more than maxWaitMs: that batch is due
      await publish(2_000, 3);
      await new Promise((r) => setTimeout(r, 300));
      expect(batches).toHaveLength(1);
      release();
      await until(() => batches.flat().length === 30);
      expect(batches.slice(1)).toEqual([['1000', '1001', '2000', '2001', '2002']]);
      await until(async () => (await consumerInfo('due')).num_ack_pending === 0);
      expect((await consumerInfo('due')).num_ack_pending).toBe(0);
    } finally {
      release();
      await consumer.stop();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { ErrorCode, OrdersRpc, healthSubject } from '@polystore/contracts';
import { serviceForSuite, startServiceForTest } from '../../../test/support/service.js';
import { offContract } from '../../../test/support/rpc.js';
import { loadOrdersConfig } from '../src/config.js';
import { OrdersModule } from '../src/orders.module.js';

/** orders in-process, with its own NATS user (so its permissions are tested too), on its real PostgreSQL database. */
describe('orders (integration)', () => {
  const suite = serviceForSuite({
    service: 'orders',
    module: (nats) => OrdersModule.forRoot(loadOrdersConfig(), { nats }),
    ownNatsUser: true,
  });

  it('reports itself and its store healthy', async () => {
    const report = await suite.rpc.send(healthSubject('orders'), {});
    expect(report).toMatchObject({ service: 'orders', ok: true });
    expect(report.checks.map((c) => c.name)).toContain('postgres');
  });

  it('stores an item and reads it back', async () => {
    const created = await suite.rpc.send(OrdersRpc.createItem, { label: '  first   item ' });
    expect(created).toMatchObject({ label: 'first item', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await suite.rpc.send(OrdersRpc.getItem, { id: created.id })).toEqual(created);
  });

  it('answers NOT_FOUND for an item it does not have', async () => {
    await expect(suite.rpc.send(OrdersRpc.getItem, { id: randomUUID() })).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    await expect(suite.rpc.send(OrdersRpc.createItem, { label: '' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: expect.stringMatching(/label/),
    });
    await expect(suite.rpc.send(OrdersRpc.createItem, offContract({ label: 'x', extra: 1 }))).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
    });
    await expect(suite.rpc.send(OrdersRpc.getItem, { id: 'not-a-uuid' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: expect.stringMatching(/id/),
    });
  });
});

describe('orders across a restart (integration)', () => {
  const start = () =>
    startServiceForTest({ service: 'orders', module: (nats) => OrdersModule.forRoot(loadOrdersConfig(), { nats }), ownNatsUser: true });

  it('keeps its items in the store, not the process', async () => {
    const first = await start();
    const created = await first.rpc.send(OrdersRpc.createItem, { label: 'durable' }).finally(() => first.close());
    const second = await start();
    try {
      expect(await second.rpc.send(OrdersRpc.getItem, { id: created.id })).toEqual(created);
    } finally {
      await second.close();
    }
  });
});

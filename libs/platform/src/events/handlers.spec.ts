import { CartEvents, ProductsEvents, type EventEnvelope } from '@polystore/contracts';
import { NO_INBOX, dispatchByType, type EventHandlers } from './handlers.js';
import { newEvent } from './event-factory.js';

describe('dispatchByType', () => {
  const deleted = newEvent('products', ProductsEvents.ProductDeleted, { productId: 'p1', sku: 'SKU-1', version: 3 });

  it('hands an event to the handler for its type, with the transaction', async () => {
    const seen: Array<[string, number, string]> = [];
    const handlers: EventHandlers<string> = {
      [ProductsEvents.ProductDeleted.type]: async (event, tx) => {
        seen.push([event.data.productId, event.data.version, tx]);
      },
    };
    await dispatchByType(handlers)(deleted, 'tx-1');
    expect(seen).toEqual([['p1', 3, 'tx-1']]);
  });

  it('passes over types without a handler and unknown types; refuses a handled type at another version', async () => {
    let calls = 0;
    const handle = dispatchByType({ [ProductsEvents.ProductDeleted.type]: async () => void calls++ });
    await handle(newEvent('cart', CartEvents.CartItemAdded, {}), undefined);
    await handle({ ...deleted, type: 'SomethingElse' }, undefined);
    await handle({ ...deleted, type: 'toString' }, undefined);
    await expect(handle({ ...deleted, version: 2 } as EventEnvelope, undefined)).rejects.toThrow(
      'ProductDeleted v2 is not the version this consumer handles (v1)',
    );
    expect(calls).toBe(0);
    await handle(deleted, undefined);
    expect(calls).toBe(1);
  });

  it('lets a handler’s failure through (the consumer retries, then dead-letters)', async () => {
    const handle = dispatchByType({
      [ProductsEvents.ProductDeleted.type]: async () => {
        throw new Error('store away');
      },
    });
    await expect(handle(deleted, undefined)).rejects.toThrow('store away');
  });
});

describe('NO_INBOX', () => {
  it('runs the effect at every delivery and reports it handled', async () => {
    let runs = 0;
    expect(await NO_INBOX.once('c', 'e1', async () => void runs++)).toBe(true);
    expect(await NO_INBOX.once('c', 'e1', async () => void runs++)).toBe(true);
    expect(runs).toBe(2);
  });
});

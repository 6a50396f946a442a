import type { NatsSettings } from '@polystore/platform';
import { serviceLogin } from '../../../scripts/lib/stack.ts';
import { provisionerOf } from '../../../scripts/lib/stores/index.ts';
import { testStack, waitUntil } from '../../../test/support/store-outage.js';
import { startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';
import { CartModule } from '../src/cart.module.js';
import { loadCartConfig } from '../src/config.js';
import type { CheckoutRecord } from '../src/domain/checkout.js';
import { CheckoutsStore } from '../src/store/checkouts.store.js';
import { reservingCheckout } from './checkout-record.js';
import { ChaosTurns, SagaInjector, type Injection } from './saga-points.js';

/**
 * The chaos suite's saga-point watcher against cart's Redis, the records written by cart's own store:
 * a point first written while another chaos action runs is met when that action ends (before the
 * next action waiting for its turn), unless the checkout has moved on meanwhile. The full chaos run
 * never reached the refund points: refunds follow users' freeze, and were written inside it or inside
 * the scheduled action that took the turn right after it.
 */
describe('cart: the chaos suite meets saga points written while another action runs (integration)', () => {
  const s = testStack();
  let cart: ServiceUnderTest;
  let checkouts: CheckoutsStore;
  let injector: SagaInjector | null = null;
  const turns = new ChaosTurns();
  /** What ran, in order: the injections' and the other actions' names. */
  const ran: string[] = [];

  beforeAll(async () => {
    cart = await startServiceForTest({
      service: 'cart',
      module: (nats: NatsSettings) => CartModule.forRoot(loadCartConfig(), { nats }),
      rpcTimeoutMs: 3_000,
    });
    checkouts = cart.app.get(CheckoutsStore);
  });
  afterEach(async () => {
    await injector?.stop();
    injector = null;
  });
  afterAll(async () => {
    await cart?.close();
  });

  /** A watcher with an injection per name at `point`, each noting in `ran` that it ran. */
  const watch = async (point: Injection['point'], ...names: string[]): Promise<SagaInjector> => {
    injector = new SagaInjector(provisionerOf(s, 'cart').connection(s, 'cart').adminUrl!, serviceLogin('cart').keyPrefix, turns);
    await injector.start(names.map((what) => ({ point, what, act: async () => (ran.push(what), 'acted') })));
    return injector;
  };

  /** A checkout created as the saga creates one: its reservation recorded as started. */
  const created = async (): Promise<CheckoutRecord> => {
    const record = reservingCheckout('saga-points');
    expect(await checkouts.create(record, 'saga-points-test')).toEqual({ holder: record.checkoutId });
    return record;
  };

  /** Holds a turn until the returned function is called, as a long chaos action (users frozen) does. */
  const otherAction = (name: string): (() => Promise<void>) => {
    let end!: () => void;
    const running = turns.take(() => new Promise<void>((resolve) => (end = resolve)).then(() => void ran.push(name)));
    return async () => {
      end();
      await running;
    };
  };

  it('points written during another action are met when it ends, one after the other, before the next action, with the records as written', async () => {
    const point = { step: 'reserve-stock', status: 'started' } as const;
    const watcher = await watch(point, 'kill the owner', 'kill the callee');
    ran.length = 0;
    const endFreeze = otherAction('freeze');
    const first = await created();
    const second = await created();
    await waitUntil(() => watcher.writtenDuringOthers(point) === 2, 10_000);
    // The next scheduled action waits for its turn while the freeze runs.
    const scheduled = turns.take(async () => void ran.push('scheduled'));
    await endFreeze();
    await scheduled;
    expect(ran).toEqual(['freeze', 'kill the owner', 'kill the callee', 'scheduled']);
    const atStart = 'reserving, last step reserve-stock started';
    expect(watcher.fired.map((f) => f.checkoutId).sort()).toEqual([first.checkoutId, second.checkoutId].sort());
    expect(watcher.fired).toMatchObject([
      { what: 'kill the owner', record: atStart, outcome: 'acted' },
      { what: 'kill the callee', record: atStart, outcome: 'acted' },
    ]);
    expect(watcher.pending).toEqual([]);
  }, 60_000);

  it('a point written during another action is not met once its checkout has moved on', async () => {
    const watcher = await watch({ step: 'reserve-stock', status: 'started' }, 'kill the owner');
    ran.length = 0;
    const endFreeze = otherAction('freeze');
    const record = await created();
    // The watcher reads a record when Redis tells it of a write: let it read this one before the next.
    await waitUntil(() => watcher.writtenDuringOthers({ step: 'reserve-stock', status: 'started' }) === 1, 10_000);
    const at = new Date().toISOString();
    await checkouts.save({
      ...record,
      status: 'debiting',
      steps: [
        { ...record.steps[0]!, status: 'done', finishedAt: at },
        { name: 'debit-wallet', status: 'started', attempts: 1, startedAt: at },
      ],
    });
    await waitUntil(() => watcher.writtenDuringOthers({ step: 'debit-wallet', status: 'started' }) === 1, 10_000);
    await endFreeze();
    await turns.take(async () => undefined);
    expect(ran).toEqual(['freeze']);
    expect(watcher.fired).toEqual([]);
    expect(watcher.writtenDuringOthers({ step: 'reserve-stock', status: 'started' })).toBe(1);
  }, 60_000);
});

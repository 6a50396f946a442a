import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  CartEvents,
  ErrorCode,
  MAX_MESSAGE_LENGTH,
  MessagingEvents,
  MessagingRpc,
  OrdersEvents,
  ProductsRpc,
  UsersEvents,
  UsersRpc,
  eventStreamName,
  type CheckoutCompletedV1,
  type CheckoutFailedV1,
  type ConversationPage,
  type MessageSentV1,
  type OrderCancelledV1,
  type UserRegisteredV1,
} from '@polystore/contracts';
import { newEvent } from '@polystore/platform';
import { startApps } from '../../../scripts/lib/apps.ts';
import { stack } from '../../../scripts/lib/stack.ts';
import { jwtKeyFiles } from '../../../test/support/credentials.js';
import { readEvents } from '../../../test/support/jetstream.js';
import { failure, offContract } from '../../../test/support/rpc.js';
import { startServiceForTest, type ServiceUnderTest } from '../../../test/support/service.js';
import { loadMessagingConfig } from '../src/config.js';
import { conversationIdOf } from '../src/domain/conversation.js';
import { MessagingModule } from '../src/messaging.module.js';
import { MessagingMongo } from '../src/store/messaging-mongo.js';
import { QueryRecorder, withCommandMonitoring } from './query-coverage.js';
import { eventually, publishEvent } from './support.js';

/** messaging in-process; users and products as their own processes (as in production), all on the test stack. */
describe('messaging (integration)', () => {
  let others: { stop: () => Promise<void> };
  let messaging: ServiceUnderTest;
  let queries: QueryRecorder;

  beforeAll(async () => {
    const s = stack('test');
    const keys = jwtKeyFiles();
    others = await startApps(s, keys, { apps: ['users', 'products'], logDir: join(s.dataDir, 'logs') });
    const config = loadMessagingConfig();
    const monitored = { ...config, mongodbUrl: withCommandMonitoring(config.mongodbUrl) };
    messaging = await startServiceForTest({ service: 'messaging', module: (nats) => MessagingModule.forRoot(monitored, { nats }) });
    queries = new QueryRecorder(messaging.app.get(MessagingMongo).connection.getClient());
  }, 90_000);
  afterAll(async () => {
    queries?.stop();
    await messaging?.close();
    await others?.stop();
  });

  const register = async (name = 'Ada') =>
    messaging.rpc.send(UsersRpc.register, { email: `m-${randomUUID().slice(0, 8)}@example.com`, name, password: 'password-123' });
  const notifications = (userId: string, extra: Record<string, unknown> = {}) =>
    messaging.rpc.send(MessagingRpc.listNotifications, { userId, ...extra });
  const send = (senderId: string, recipientId: string, text: string) => messaging.rpc.send(MessagingRpc.sendMessage, { senderId, recipientId, text });
  const product = (priceCents: number) =>
    messaging.rpc.send(ProductsRpc.create, {
      sku: `MSG-${randomUUID().slice(0, 8)}`.toUpperCase(),
      name: 'Walnut desk lamp',
      brand: 'Lumen',
      categories: ['home'],
      priceCents,
      currency: 'EUR',
      stockOnHand: 3,
    });

  describe('notifications fed by events', () => {
    it('welcomes a registered user once, however often the event is delivered', async () => {
      const user = await register('Grace');
      const welcome = await eventually(
        () => notifications(user.id),
        (p) => p.items.length > 0,
      );
      expect(welcome.items).toEqual([expect.objectContaining({ kind: 'welcome', title: 'Welcome to polystore, Grace!', readAt: null })]);
      // The same event again (a redelivery after a lost ack), published under another Nats-Msg-Id.
      const again = {
        ...newEvent<UserRegisteredV1>('users', UsersEvents.UserRegistered, { userId: user.id, email: user.email, name: 'Grace', role: 'customer' }),
        id: welcome.items[0]!.eventId,
      };
      await publishEvent(messaging.link.connection, again, { asRedelivery: true });
      const marker = await register('Marker'); // a later event on the same consumer: once it is handled, the redelivery was too
      await eventually(
        () => notifications(marker.id),
        (p) => p.items.length > 0,
      );
      expect((await notifications(user.id)).items).toHaveLength(1);
    });

    it('sends a receipt with lines and total, and a failure notice', async () => {
      const userId = randomUUID();
      const lines = [
        { productId: randomUUID(), name: 'Teapot', quantity: 2, unitPriceCents: 3500, lineTotalCents: 7000 },
        { productId: randomUUID(), name: 'Mug', quantity: 1, unitPriceCents: 1250, lineTotalCents: 1250 },
      ];
      const completed = newEvent<CheckoutCompletedV1>('cart', CartEvents.CheckoutCompleted, {
        checkoutId: randomUUID(),
        userId,
        lines,
        totalCents: 8250,
        currency: 'EUR',
        completedAt: new Date().toISOString(),
      });
      await publishEvent(messaging.link.connection, completed);
      await publishEvent(messaging.link.connection, completed, { asRedelivery: true });
      const failed = newEvent<CheckoutFailedV1>('cart', CartEvents.CheckoutFailed, {
        checkoutId: randomUUID(),
        userId,
        reasonCode: ErrorCode.InsufficientFunds,
        reason: 'Your wallet holds 10.00 EUR; the order costs 82.50 EUR.',
        lines,
        totalCents: 8250,
        currency: 'EUR',
        failedAt: new Date().toISOString(),
      });
      await publishEvent(messaging.link.connection, failed);
      const page = await eventually(
        () => notifications(userId),
        (p) => p.items.length >= 2,
      );
      expect(page.items.map((n) => n.kind)).toEqual(['checkout-failed', 'receipt']);
      const receipt = page.items[1]!;
      expect(receipt).toMatchObject({ eventId: completed.id, title: 'Receipt: 82.50 EUR', data: { totalCents: 8250, currency: 'EUR', lines } });
      expect(receipt.body).toContain('2 × Teapot — 70.00 EUR');
      expect(page.items[0]).toMatchObject({ eventId: failed.id, data: { reasonCode: 'INSUFFICIENT_FUNDS' } });
      expect(page.items[0]!.body).toContain('Your wallet holds 10.00 EUR');
    });

    it('tells the user once that an order was cancelled and refunded', async () => {
      const userId = randomUUID();
      const cancelled = newEvent<OrderCancelledV1>('orders', OrdersEvents.OrderCancelled, {
        orderId: randomUUID(),
        userId,
        totalCents: 8250,
        currency: 'EUR',
        cancelledAt: new Date().toISOString(),
      });
      await publishEvent(messaging.link.connection, cancelled);
      await publishEvent(messaging.link.connection, cancelled, { asRedelivery: true });
      // A later event on the same consumer: once it is handled, the redelivery was too.
      const marker = newEvent<OrderCancelledV1>('orders', OrdersEvents.OrderCancelled, {
        ...cancelled.data,
        orderId: randomUUID(),
        userId: randomUUID(),
      });
      await publishEvent(messaging.link.connection, marker);
      await eventually(
        () => notifications(marker.data.userId),
        (p) => p.items.length > 0,
      );
      const page = await notifications(userId);
      expect(page.items).toEqual([
        expect.objectContaining({
          kind: 'order-cancelled',
          eventId: cancelled.id,
          title: 'Order cancelled: 82.50 EUR refunded',
          data: expect.objectContaining({ orderId: cancelled.data.orderId }),
        }),
      ]);
    });

    it('alerts the watchers of a product when its price drops, and only then', async () => {
      const [watcher, unwatched, leaver] = [randomUUID(), randomUUID(), randomUUID()];
      const lamp = await product(5000);
      expect(await messaging.rpc.send(MessagingRpc.watchProduct, { userId: watcher, productId: lamp.id })).toMatchObject({ productId: lamp.id });
      await messaging.rpc.send(MessagingRpc.watchProduct, { userId: watcher, productId: lamp.id }); // idempotent
      await messaging.rpc.send(MessagingRpc.watchProduct, { userId: leaver, productId: lamp.id });
      expect(await messaging.rpc.send(MessagingRpc.unwatchProduct, { userId: leaver, productId: lamp.id })).toEqual({ removed: true });
      expect((await messaging.rpc.send(MessagingRpc.listWatches, { userId: watcher })).items).toHaveLength(1);
      expect((await failure(messaging.rpc.send(MessagingRpc.watchProduct, { userId: watcher, productId: randomUUID() }))).code).toBe(
        ErrorCode.NotFound,
      );

      await messaging.rpc.send(ProductsRpc.update, { id: lamp.id, priceCents: 6000 }); // a rise: nobody hears of it
      await messaging.rpc.send(ProductsRpc.update, { id: lamp.id, priceCents: 4200 });
      const alert = await eventually(
        () => notifications(watcher),
        (p) => p.items.length > 0,
      );
      expect(alert.items).toEqual([
        expect.objectContaining({
          kind: 'price-drop',
          title: 'Price drop: Walnut desk lamp',
          data: expect.objectContaining({ productId: lamp.id, oldPriceCents: 6000, newPriceCents: 4200 }),
        }),
      ]);
      expect(alert.items[0]!.body).toBe('Walnut desk lamp is now 42.00 EUR (was 60.00 EUR).');
      expect((await notifications(unwatched)).items).toEqual([]);
      expect((await notifications(leaver)).items).toEqual([]);
    });
  });

  describe('the notification inbox', () => {
    it('pages newest first by cursor, filters unread, marks one or all read, counts unread', async () => {
      const userId = randomUUID();
      for (let i = 0; i < 5; i++) {
        await publishEvent(
          messaging.link.connection,
          newEvent<CheckoutCompletedV1>('cart', CartEvents.CheckoutCompleted, {
            checkoutId: `c${i}`,
            userId,
            lines: [],
            totalCents: 100 * (i + 1),
            currency: 'EUR',
            completedAt: new Date().toISOString(),
          }),
        );
      }
      await eventually(
        () => messaging.rpc.send(MessagingRpc.unreadNotifications, { userId }),
        (c) => c.unread === 5,
      );
      const first = await notifications(userId, { limit: 2 });
      expect(first.items.map((n) => n.data.totalCents)).toEqual([500, 400]);
      const second = await notifications(userId, { limit: 2, cursor: first.nextCursor });
      const third = await notifications(userId, { limit: 2, cursor: second.nextCursor });
      expect([...second.items, ...third.items].map((n) => n.data.totalCents)).toEqual([300, 200, 100]);
      expect(third.nextCursor).toBeNull();

      const read = await messaging.rpc.send(MessagingRpc.markNotificationRead, { userId, notificationId: first.items[0]!.id });
      expect(read.readAt).not.toBeNull();
      expect((await messaging.rpc.send(MessagingRpc.markNotificationRead, { userId, notificationId: read.id })).readAt).toBe(read.readAt);
      expect((await notifications(userId, { unread: true })).items).toHaveLength(4);
      expect(await messaging.rpc.send(MessagingRpc.unreadNotifications, { userId })).toEqual({ unread: 4 });
      expect((await failure(messaging.rpc.send(MessagingRpc.markNotificationRead, { userId: randomUUID(), notificationId: read.id }))).code).toBe(
        ErrorCode.NotFound,
      );
      expect(await messaging.rpc.send(MessagingRpc.markAllNotificationsRead, { userId })).toEqual({ marked: 4 });
      expect(await messaging.rpc.send(MessagingRpc.unreadNotifications, { userId })).toEqual({ unread: 0 });
      expect((await failure(notifications(userId, { cursor: 'bm9wZQ' }))).code).toBe(ErrorCode.ValidationFailed);
    });
  });

  describe('conversations', () => {
    it('sends, lists my conversations with last message and unread count, pages messages, marks read', async () => {
      const [ada, bob] = [await register('Ada'), await register('Bob')];
      const first = await send(ada.id, bob.id, 'Hello Bob');
      expect(first).toMatchObject({
        conversationId: conversationIdOf(ada.id, bob.id),
        seq: 1,
        senderId: ada.id,
        recipientId: bob.id,
        text: 'Hello Bob',
      });
      for (let i = 2; i <= 25; i++) await send(i % 3 === 0 ? bob.id : ada.id, i % 3 === 0 ? ada.id : bob.id, `message ${i}`);

      const bobs = await messaging.rpc.send(MessagingRpc.listConversations, { userId: bob.id });
      expect(bobs.items).toHaveLength(1);
      // Bob last wrote at 24 (sending reads everything before it); 25 came from Ada after.
      expect(bobs.items[0]).toMatchObject({ id: first.conversationId, otherUserId: ada.id, unread: 1, lastMessage: { seq: 25, text: 'message 25' } });
      const adas = await messaging.rpc.send(MessagingRpc.listConversations, { userId: ada.id });
      expect(adas.items[0]).toMatchObject({ otherUserId: bob.id, unread: 0 });

      const page1 = await messaging.rpc.send(MessagingRpc.listMessages, { userId: bob.id, conversationId: first.conversationId, limit: 10 });
      expect(page1.items.map((m) => m.seq)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
      const page2 = await messaging.rpc.send(MessagingRpc.listMessages, {
        userId: bob.id,
        conversationId: first.conversationId,
        limit: 10,
        cursor: page1.nextCursor ?? undefined,
      });
      const page3 = await messaging.rpc.send(MessagingRpc.listMessages, {
        userId: bob.id,
        conversationId: first.conversationId,
        limit: 10,
        cursor: page2.nextCursor ?? undefined,
      });
      expect([...page2.items, ...page3.items].map((m) => m.seq)).toEqual(Array.from({ length: 15 }, (_, i) => 15 - i));
      expect(page3.nextCursor).toBeNull();

      expect(await messaging.rpc.send(MessagingRpc.markConversationRead, { userId: bob.id, conversationId: first.conversationId })).toEqual({
        marked: 1,
      });
      expect((await messaging.rpc.send(MessagingRpc.listConversations, { userId: bob.id })).items[0]!.unread).toBe(0);
      const reply = await messaging.rpc.send(MessagingRpc.sendToConversation, {
        senderId: bob.id,
        conversationId: first.conversationId,
        text: 'Hi Ada',
      });
      expect(reply).toMatchObject({ seq: 26, recipientId: ada.id });
      expect((await messaging.rpc.send(MessagingRpc.listConversations, { userId: ada.id })).items[0]).toMatchObject({
        unread: 1,
        lastMessage: { text: 'Hi Ada' },
      });

      // Ada's conversations, most recently active first, one per page by cursor.
      const [cy, dan] = [await register('Cy'), await register('Dan')];
      await send(cy.id, ada.id, 'from Cy');
      await send(dan.id, ada.id, 'from Dan');
      const seen: string[] = [];
      let cursor: string | null | undefined;
      do {
        const page: ConversationPage = await messaging.rpc.send(MessagingRpc.listConversations, {
          userId: ada.id,
          limit: 1,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.items.map((c) => c.otherUserId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([dan.id, cy.id, bob.id]);
    });

    it('keeps seqs gapless and unique under concurrent senders', async () => {
      const [ada, bob] = [await register('Ada'), await register('Bob')];
      const sent = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 ? ada.id : bob.id, i % 2 ? bob.id : ada.id, `at once ${i}`)));
      expect(sent.map((m) => m.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const page = await messaging.rpc.send(MessagingRpc.listMessages, { userId: ada.id, conversationId: sent[0]!.conversationId, limit: 50 });
      expect(page.items).toHaveLength(20);
      // Concurrent updates of the conversation (summaries, the relay) lose nothing: its counters are exact.
      const lastSentBy = (id: string) => Math.max(...sent.filter((m) => m.senderId === id).map((m) => m.seq));
      for (const [me, other] of [
        [ada, bob],
        [bob, ada],
      ] as const) {
        const [summary] = (await messaging.rpc.send(MessagingRpc.listConversations, { userId: me.id })).items;
        expect(summary).toMatchObject({ otherUserId: other.id, lastMessage: { seq: 20 }, unread: 20 - lastSentBy(me.id) });
      }
    });

    it('lets only the participants read or write (403), and 404s an unknown user', async () => {
      const [ada, bob, eve] = [await register('Ada'), await register('Bob'), await register('Eve')];
      const { conversationId } = await send(ada.id, bob.id, 'private');
      expect((await failure(messaging.rpc.send(MessagingRpc.listMessages, { userId: eve.id, conversationId }))).code).toBe(ErrorCode.Forbidden);
      expect((await failure(messaging.rpc.send(MessagingRpc.markConversationRead, { userId: eve.id, conversationId }))).code).toBe(
        ErrorCode.Forbidden,
      );
      expect((await failure(messaging.rpc.send(MessagingRpc.sendToConversation, { senderId: eve.id, conversationId, text: 'let me in' }))).code).toBe(
        ErrorCode.Forbidden,
      );
      const unknown = await failure(send(ada.id, randomUUID(), 'anyone there?'));
      expect(unknown.code).toBe(ErrorCode.NotFound);
      expect(
        (await failure(messaging.rpc.send(MessagingRpc.listMessages, { userId: ada.id, conversationId: conversationIdOf(ada.id, eve.id) }))).code,
      ).toBe(ErrorCode.NotFound);
      expect((await messaging.rpc.send(MessagingRpc.listConversations, { userId: eve.id })).items).toEqual([]);
    });

    it('answers bad input with 400 naming the field, and stores nothing', async () => {
      const [ada, bob] = [await register('Ada'), await register('Bob')];
      const fieldsOf = async (p: Promise<unknown>) => {
        const e = await failure(p);
        expect(e.code).toBe(ErrorCode.ValidationFailed);
        return (e.details as Array<{ field: string }>).map((d) => d.field).sort();
      };
      expect(await fieldsOf(send(ada.id, bob.id, ''))).toEqual(['text']);
      expect(await fieldsOf(send(ada.id, bob.id, '   '))).toEqual(['text']);
      expect(await fieldsOf(send(ada.id, bob.id, 'x'.repeat(MAX_MESSAGE_LENGTH + 1)))).toEqual(['text']);
      expect(
        await fieldsOf(messaging.rpc.send(MessagingRpc.sendMessage, offContract({ senderId: ada.id, recipientId: 'bob', text: 'hi', urgent: true }))),
      ).toEqual(['recipientId', 'urgent']);
      expect(
        await fieldsOf(
          messaging.rpc.send(MessagingRpc.listMessages, {
            userId: ada.id,
            conversationId: `${bob.id}_${ada.id}`.split('_').sort().reverse().join('_'),
          }),
        ),
      ).toEqual(['conversationId']);
      expect(
        await fieldsOf(
          messaging.rpc.send(MessagingRpc.listMessages, { userId: ada.id, conversationId: conversationIdOf(ada.id, bob.id), limit: 1000 }),
        ),
      ).toEqual(['limit']);
      expect((await failure(send(ada.id, ada.id, 'me, myself'))).code).toBe(ErrorCode.ValidationFailed);
      expect((await send(ada.id, bob.id, 'x'.repeat(MAX_MESSAGE_LENGTH))).seq).toBe(1);
      expect((await messaging.rpc.send(MessagingRpc.listConversations, { userId: bob.id })).items[0]!.lastMessage!.seq).toBe(1);
    });

    it('emits MessageSent.v1 through the outbox, with Nats-Msg-Id = event id, and empties the outbox', async () => {
      const [ada, bob] = [await register('Ada'), await register('Bob')];
      const message = await send(ada.id, bob.id, 'see you at 5');
      const [event] = await readEvents(
        messaging.link.connection,
        eventStreamName('messaging'),
        'events.messaging.>',
        (e) => (e.data as MessageSentV1).messageId === message.id,
        1,
      );
      expect(event).toMatchObject({
        type: MessagingEvents.MessageSent.type,
        version: 1,
        producer: 'messaging',
        data: { conversationId: message.conversationId, seq: 1, senderId: ada.id, recipientId: bob.id, textLength: 12 },
      });
      expect(event!.msgId).toBe(event!.id);
      const stored = messaging.app.get(MessagingMongo).models.messages;
      const doc = await eventually(
        () => stored.findById(message.id).lean().exec(),
        (d) => d?.pendingEvents.length === 0,
      );
      expect(doc!.pendingEvents).toEqual([]);
      const conversation = await messaging.app.get(MessagingMongo).models.conversations.findById(message.conversationId).lean().exec();
      expect(conversation).toMatchObject({ publishedSeq: 1, pendingSends: [] });
    });
  });

  // Last, so it sees every query the tests above made messaging send.
  it('sent only queries an index serves (no collection scan, no sort in memory, on MongoDB)', async () => {
    expect(queries.shapes.length).toBeGreaterThan(50);
    expect(await queries.unserved()).toEqual([]);
  });
});

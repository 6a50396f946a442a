import { AnalyticsRpc, CartRpc, MessagingRpc, OrdersRpc, ProductsRpc, ReconcileRpc, UsersRpc, healthSubject } from './index.js';

const subjectsOf = (rpc: Record<string, { subject: string }>) => Object.fromEntries(Object.entries(rpc).map(([name, s]) => [name, s.subject]));

/** The subject strings are the wire: a deployed caller or handler still uses them. Change one only by adding a v2. */
describe('request/reply subjects', () => {
  it('keep their wire names', () => {
    expect(subjectsOf(UsersRpc)).toEqual({
      register: 'users.register.v1',
      login: 'users.login.v1',
      getProfile: 'users.get-profile.v1',
      updateProfile: 'users.update-profile.v1',
      getPublicUser: 'users.get-public-user.v1',
      getMany: 'users.get-many.v1',
      getWallet: 'users.get-wallet.v1',
      creditWallet: 'users.credit-wallet.v1',
      debitWallet: 'users.debit-wallet.v1',
      refundWallet: 'users.refund-wallet.v1',
      eraseUser: 'users.erase-user.v1',
      getErasure: 'users.get-erasure.v1',
      republishErasures: 'users.republish-erasures.v1',
    });
    expect(subjectsOf(ProductsRpc)).toEqual({
      create: 'products.create.v1',
      update: 'products.update.v1',
      delete: 'products.delete.v1',
      get: 'products.get.v1',
      search: 'products.search.v1',
      suggest: 'products.suggest.v1',
      reserveStock: 'products.reserve-stock.v1',
      releaseStock: 'products.release-stock.v1',
      commitStock: 'products.commit-stock.v1',
      getReservation: 'products.get-reservation.v1',
    });
    expect(subjectsOf(CartRpc)).toEqual({
      get: 'cart.get.v1',
      addLine: 'cart.add-line.v1',
      changeLine: 'cart.change-line.v1',
      removeLine: 'cart.remove-line.v1',
      clear: 'cart.clear.v1',
      checkout: 'cart.checkout.v1',
      getCheckout: 'cart.get-checkout.v1',
    });
    expect(subjectsOf(AnalyticsRpc)).toEqual({
      revenue: 'analytics.revenue.v1',
      topProducts: 'analytics.top-products.v1',
      funnel: 'analytics.funnel.v1',
      dailyActiveUsers: 'analytics.daily-active-users.v1',
      userActivity: 'analytics.user-activity.v1',
      ingestionStats: 'analytics.ingestion-stats.v1',
    });
    expect(subjectsOf(MessagingRpc)).toEqual({
      listNotifications: 'messaging.list-notifications.v1',
      unreadNotifications: 'messaging.unread-notifications.v1',
      markNotificationRead: 'messaging.mark-notification-read.v1',
      markAllNotificationsRead: 'messaging.mark-all-notifications-read.v1',
      watchProduct: 'messaging.watch-product.v1',
      unwatchProduct: 'messaging.unwatch-product.v1',
      listWatches: 'messaging.list-watches.v1',
      sendMessage: 'messaging.send-message.v1',
      sendToConversation: 'messaging.send-to-conversation.v1',
      listConversations: 'messaging.list-conversations.v1',
      listMessages: 'messaging.list-messages.v1',
      markConversationRead: 'messaging.mark-conversation-read.v1',
    });
    expect(subjectsOf(OrdersRpc)).toEqual({
      listMine: 'orders.list-mine.v1',
      get: 'orders.get.v1',
      cancel: 'orders.cancel.v1',
      adminList: 'orders.admin-list.v1',
    });
    expect(healthSubject('cart').subject).toBe('cart.health.v1');
    expect(ReconcileRpc.listReferences('cart').subject).toBe('cart.list-references.v1');
    expect(ReconcileRpc.repairReferences('cart').subject).toBe('cart.repair-references.v1');
    expect(ReconcileRpc.checkIds('cart').subject).toBe('cart.check-ids.v1');
  });

  it('are plain { subject } objects at runtime (the request and reply types exist only for the compiler)', () => {
    expect(JSON.parse(JSON.stringify(UsersRpc.getWallet))).toEqual({ subject: 'users.get-wallet.v1' });
    expect(Object.isFrozen(UsersRpc.getWallet)).toBe(true);
  });
});

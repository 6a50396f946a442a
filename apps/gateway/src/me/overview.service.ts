import { Inject, Injectable, Logger } from '@nestjs/common';
import { AnalyticsRpc, CartRpc, ErrorCode, MessagingRpc, OrdersRpc, UsersRpc } from '@polystore/contracts';
import { RpcClient, RpcError } from '@polystore/platform';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config.js';
import {
  OVERVIEW_LAST_ORDERS,
  OVERVIEW_RECENT_ACTIVITY,
  SECTION_SOURCES,
  type MeOverview,
  type OptionalSection,
  type OverviewSection,
} from './overview.js';

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );

/**
 * API composition with partial failure: every section is asked at once, each with its own deadline
 * (the request's timeout, so nothing outlives it). A required section that fails ends the request
 * at once (503 when its service is away or late); an optional one that fails is left out and named.
 * So the answer never waits longer than the slowest deadline.
 */
@Injectable()
export class OverviewService {
  private readonly logger = new Logger('OverviewService');

  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async overview(userId: string): Promise<MeOverview> {
    const deadline = this.config.overviewDeadlinesMs;
    const optional = {
      cart: settle(this.rpc.send(CartRpc.get, { userId }, deadline.cart)),
      unreadNotifications: settle(this.rpc.send(MessagingRpc.unreadNotifications, { userId }, deadline.unreadNotifications)),
      lastOrders: settle(this.rpc.send(OrdersRpc.listMine, { userId, limit: OVERVIEW_LAST_ORDERS }, deadline.lastOrders)),
      recentActivity: settle(this.rpc.send(AnalyticsRpc.userActivity, { userId, limit: OVERVIEW_RECENT_ACTIVITY }, deadline.recentActivity)),
    };
    const [profile, wallet] = await Promise.all([
      required('profile', this.rpc.send(UsersRpc.getProfile, { userId }, deadline.profile)),
      required('wallet', this.rpc.send(UsersRpc.getWallet, { userId }, deadline.wallet)),
    ]);
    const degraded: OptionalSection[] = [];
    const part = <T>(section: OptionalSection, settled: Settled<T>): T | null => {
      if (settled.ok) return settled.value;
      degraded.push(section);
      const error = settled.error as Partial<RpcError>;
      this.logger.warn(
        `overview section ${section} (${SECTION_SOURCES[section]}) left out: ${error.code ?? 'ERROR'} ${error.message ?? String(settled.error)}`,
      );
      return null;
    };
    const cart = part('cart', await optional.cart);
    const unread = part('unreadNotifications', await optional.unreadNotifications);
    const orders = part('lastOrders', await optional.lastOrders);
    const activity = part('recentActivity', await optional.recentActivity);
    return {
      profile,
      wallet,
      cart: cart && {
        lines: cart.lines.length,
        units: cart.lines.reduce((n, l) => n + l.quantity, 0),
        totalCents: cart.totalCents,
        currency: cart.currency,
      },
      unreadNotifications: unread && unread.unread,
      lastOrders: orders && orders.orders,
      recentActivity: activity && activity.items,
      degraded,
    };
  }
}

/** A required section's failure: its service away or late is 503 for the whole overview; any other answer (404, …) stands. */
async function required<T>(section: OverviewSection, request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    const code = (error as RpcError).code;
    if (code === ErrorCode.Unavailable || code === ErrorCode.Timeout) {
      throw new RpcError(ErrorCode.Unavailable, `The overview cannot be shown without its ${section}: ${(error as Error).message}`, {
        section,
      });
    }
    throw error;
  }
}

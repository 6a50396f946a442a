import type { EventProducer } from '@polystore/manifest';
import { AnalyticsEvents, type AnalyticsEventData } from '../analytics/events.js';
import { CartEvents, type CartEventData } from '../cart/events.js';
import { GatewayEvents, type GatewayEventData } from '../gateway/events.js';
import { MessagingEvents, type MessagingEventData } from '../messaging/events.js';
import { OrdersEvents, type OrdersEventData } from '../orders/events.js';
import { ProductsEvents, type ProductsEventData } from '../products/events.js';
import { UsersEvents, type UsersEventData } from '../users/events.js';

/**
 * Each producer's declared event types. `satisfies Record<EventProducer, …>`: a service the
 * manifest says publishes events fails to compile until its declarations are here.
 */
export const EVENTS_BY_PRODUCER = {
  users: UsersEvents,
  products: ProductsEvents,
  cart: CartEvents,
  messaging: MessagingEvents,
  orders: OrdersEvents,
  gateway: GatewayEvents,
  analytics: AnalyticsEvents,
} as const satisfies Record<EventProducer, Record<string, { readonly type: string; readonly version: number }>>;

/**
 * Every event type of the system with its current version, by type: the producers' declarations
 * in one table. Type names are unique across producers, except a shared contract that several
 * producers publish under one declaration (`UserErased`, the answer of every erasure participant).
 */
export const EVENT_KINDS = {
  ...EVENTS_BY_PRODUCER.users,
  ...EVENTS_BY_PRODUCER.products,
  ...EVENTS_BY_PRODUCER.cart,
  ...EVENTS_BY_PRODUCER.messaging,
  ...EVENTS_BY_PRODUCER.orders,
  ...EVENTS_BY_PRODUCER.gateway,
  ...EVENTS_BY_PRODUCER.analytics,
} as const;

export type EventType = keyof typeof EVENT_KINDS;

/** What each event type carries, at its version in EVENT_KINDS. */
export type EventData = UsersEventData &
  ProductsEventData &
  CartEventData &
  MessagingEventData &
  OrdersEventData &
  GatewayEventData &
  AnalyticsEventData;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_KINDS, type);
}

// Compile-time checks: each entry is filed under its own type name, and the types with a payload
// are exactly the declared types, so a declaration and the payload map cannot drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _filedUnderOwnType: typeof EVENT_KINDS extends { readonly [K in EventType]: { readonly type: K } } ? true : false = true;
const _everyTypeHasData: Same<EventType, keyof EventData> = true;

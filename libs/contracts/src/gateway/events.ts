/** Event types the gateway emits, with their schema version. */
export const GatewayEvents = {
  ProductViewed: { type: 'ProductViewed', version: 1 },
} as const;

/** What each gateway event carries, by type (at the version above). */
export interface GatewayEventData {
  [GatewayEvents.ProductViewed.type]: ProductViewedV1;
}

/** A product page was served (GET /products/:id answered 200): the top of the purchase funnel. */
export interface ProductViewedV1 {
  productId: string;
  /** The viewer, when the request carried a valid token; null for anonymous visitors. */
  userId: string | null;
}

import { ApiProperty } from '@nestjs/swagger';
import { ActivityItem, OrderSummary, UserProfile, Wallet, type ServiceName } from '@polystore/contracts';

/** The parts of /me/overview. Profile and wallet are required; the others may be left out (degraded). */
export const OVERVIEW_SECTIONS = ['profile', 'wallet', 'cart', 'unreadNotifications', 'lastOrders', 'recentActivity'] as const;
export type OverviewSection = (typeof OVERVIEW_SECTIONS)[number];
export const REQUIRED_SECTIONS = ['profile', 'wallet'] as const satisfies readonly OverviewSection[];
export type OptionalSection = Exclude<OverviewSection, (typeof REQUIRED_SECTIONS)[number]>;
export const OPTIONAL_SECTIONS = OVERVIEW_SECTIONS.filter(
  (s): s is OptionalSection => !(REQUIRED_SECTIONS as readonly OverviewSection[]).includes(s),
);

/** The service that answers each section (a section is missing when its service is away or late). */
export const SECTION_SOURCES: Record<OverviewSection, ServiceName> = {
  profile: 'users',
  wallet: 'users',
  cart: 'cart',
  unreadNotifications: 'messaging',
  lastOrders: 'orders',
  recentActivity: 'analytics',
};

/** How many of the newest orders and activity items the overview shows. */
export const OVERVIEW_LAST_ORDERS = 5;
export const OVERVIEW_RECENT_ACTIVITY = 10;

export class CartSummary {
  @ApiProperty({ description: 'Lines in the cart' }) lines!: number;
  @ApiProperty({ description: 'Units over all lines' }) units!: number;
  @ApiProperty({ description: 'Sum of the available lines' }) totalCents!: number;
  @ApiProperty({ nullable: true, type: String }) currency!: string | null;
}

/**
 * One page of what matters to the user, composed by the gateway from five services in parallel.
 * A section whose service did not answer within its deadline is null and named in `degraded`.
 */
export class MeOverview {
  @ApiProperty({ type: UserProfile }) profile!: UserProfile;
  @ApiProperty({ type: Wallet }) wallet!: Wallet;
  @ApiProperty({ type: CartSummary, nullable: true, description: 'From cart; null when degraded' }) cart!: CartSummary | null;
  @ApiProperty({ type: Number, nullable: true, description: 'From messaging; null when degraded' }) unreadNotifications!: number | null;
  @ApiProperty({ type: [OrderSummary], nullable: true, description: `The ${OVERVIEW_LAST_ORDERS} newest orders, from orders; null when degraded` })
  lastOrders!: OrderSummary[] | null;
  @ApiProperty({
    type: [ActivityItem],
    nullable: true,
    description: `The ${OVERVIEW_RECENT_ACTIVITY} newest events about the user, from analytics; null when degraded`,
  })
  recentActivity!: ActivityItem[] | null;
  @ApiProperty({
    type: [String],
    enum: OPTIONAL_SECTIONS,
    description: 'Optional sections left out because their service did not answer in time (each is null); empty when complete',
  })
  degraded!: OptionalSection[];
}

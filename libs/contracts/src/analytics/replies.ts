import { ApiProperty } from '@nestjs/swagger';
import { REVENUE_DIMENSIONS, TOP_PRODUCT_METRICS, type RevenueDimension, type TopProductMetric } from './requests.js';

/** Revenue of completed checkouts. `key` is the day (YYYY-MM-DD) or the category; amounts are per currency. */
export class RevenueRow {
  @ApiProperty({ description: 'The day (YYYY-MM-DD) or the category ("(uncategorised)" when the product is unknown to analytics)' }) key!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() revenueCents!: number;
  @ApiProperty({ description: 'Completed checkouts (per day) or checkout lines (per category)' }) orders!: number;
  @ApiProperty() units!: number;
}

export class RevenueReport {
  @ApiProperty({ enum: REVENUE_DIMENSIONS }) by!: RevenueDimension;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [RevenueRow], description: 'A line in several categories counts in each of them' }) rows!: RevenueRow[];
}

export class TopProductRow {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'From products’ events; null when analytics never saw the product' }) name!:
    string | null;
  @ApiProperty({ description: 'Views, units sold or revenue in cents, as asked' }) value!: number;
  @ApiProperty({ nullable: true, type: String, description: 'For revenue only' }) currency!: string | null;
}

export class TopProductsReport {
  @ApiProperty({ enum: TOP_PRODUCT_METRICS }) by!: TopProductMetric;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [TopProductRow] }) rows!: TopProductRow[];
}

export class FunnelStep {
  @ApiProperty({ description: 'YYYY-MM-DD, or "total" for the whole range' }) day!: string;
  @ApiProperty({ description: 'Product pages served' }) viewed!: number;
  @ApiProperty({ description: 'Add-to-cart actions' }) addedToCart!: number;
  @ApiProperty({ description: 'Completed checkouts' }) checkedOut!: number;
  @ApiProperty({ description: 'Orders whose cancellation completed that day (refunded and restocked)' }) cancelled!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'addedToCart / viewed (null when nothing was viewed)' }) viewToCartRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'checkedOut / addedToCart' }) cartToCheckoutRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'checkedOut / viewed' }) viewToCheckoutRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'cancelled / checkedOut (cancellations of the day against checkouts of the day)' })
  cancellationRate!: number | null;
}

export class FunnelReport {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [FunnelStep], description: 'Every day of the range, zeros included' }) days!: FunnelStep[];
  @ApiProperty({ type: FunnelStep }) total!: FunnelStep;
}

export class DailyActiveUsersRow {
  @ApiProperty() day!: string;
  @ApiProperty({ description: 'Distinct users with at least one event that day' }) users!: number;
}

export class DailyActiveUsersReport {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [DailyActiveUsersRow], description: 'Every day of the range, zeros included' }) days!: DailyActiveUsersRow[];
}

export class ActivityItem {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'CartItemAdded' }) type!: string;
  @ApiProperty() version!: number;
  @ApiProperty() producer!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
}

export class UserActivity {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ type: [ActivityItem], description: 'Newest first' }) items!: ActivityItem[];
}

export class RejectedCount {
  @ApiProperty() stream!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() count!: number;
}

export class IngestionStats {
  @ApiProperty({ description: 'Distinct events stored' }) events!: number;
  @ApiProperty({ description: 'Distinct messages rejected (failed their contract)' }) rejected!: number;
  @ApiProperty({ type: [RejectedCount] }) rejectedByReason!: RejectedCount[];
}

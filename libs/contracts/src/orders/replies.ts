import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ADMIN_ORDERS_VIA, ORDER_STATUSES, type AdminOrdersVia, type OrderStatusName } from './requests.js';

/** A line as it was bought: name and price at the time of purchase. */
export class OrderLine {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: 'integer' }) unitPriceCents!: number;
  @ApiProperty({ type: 'integer' }) lineTotalCents!: number;
}

export class OrderSummary {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatusName;
  @ApiProperty({ type: 'integer' }) totalCents!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: 'integer', description: 'Units over all lines' }) itemCount!: number;
  @ApiProperty({ format: 'date-time' }) placedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class OrderPage {
  @ApiProperty({ type: [OrderSummary], description: 'Newest first' }) orders!: OrderSummary[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}

/** Where a cancellation stands: users' refund and products' restock, each answered on its own. */
export class OrderCancellation {
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ enum: ['pending', 'refunded', 'refused'] }) refund!: 'pending' | 'refunded' | 'refused';
  @ApiProperty({ nullable: true, type: String, description: 'Why users refused the refund' }) refundReason!: string | null;
  @ApiProperty({ enum: ['pending', 'returned'] }) restock!: 'pending' | 'returned';
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) cancelledAt!: string | null;
}

export class OrderTimelineEntry {
  @ApiProperty({ description: 'The event that moved the order, e.g. OrderCancellationRequested' }) event!: string;
  @ApiProperty({ enum: ORDER_STATUSES, description: 'The status after it' }) status!: OrderStatusName;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
}

export class OrderDetail extends OrderSummary {
  @ApiProperty({ format: 'uuid' }) checkoutId!: string;
  @ApiProperty({ type: [OrderLine] }) lines!: OrderLine[];
  @ApiProperty({ type: OrderCancellation, nullable: true }) cancellation!: OrderCancellation | null;
  @ApiProperty({ type: [OrderTimelineEntry], description: 'Oldest first' }) timeline!: OrderTimelineEntry[];
  @ApiProperty({ type: 'integer', description: 'Events in the order’s stream' }) version!: number;
}

export class OrderCustomer {
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
}

export class AdminOrder extends OrderSummary {
  @ApiProperty({ type: OrderCustomer, nullable: true, description: 'null when unknown (read model not fed yet) or users is away (composition)' })
  customer!: OrderCustomer | null;
}

/** orders' answer to an admin listing. */
export class AdminOrderList {
  @ApiProperty({ type: [AdminOrder], description: 'Newest first' }) orders!: AdminOrder[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

/** GET /admin/orders: the list, how it was joined, and the parts that could not be had. */
export class AdminOrdersReply extends AdminOrderList {
  @ApiProperty({ enum: ADMIN_ORDERS_VIA }) via!: AdminOrdersVia;
  @ApiProperty({ type: [String], description: 'Services whose part is missing (their fields are null), e.g. ["users"]' }) degraded!: string[];
}

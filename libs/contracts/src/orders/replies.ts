import { ApiProperty } from '@nestjs/swagger';

export class OrdersItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** An order as a list shows it (its lines and timeline are in its detail). */
export class OrderSummary {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'placed', description: 'Where the order stands: placed, cancelling, cancelled, …' }) status!: string;
  @ApiProperty() totalCents!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ description: 'Units over all lines' }) itemCount!: number;
  @ApiProperty({ format: 'date-time' }) placedAt!: string;
}

export class MyOrdersPage {
  @ApiProperty({ type: [OrderSummary], description: 'Newest first' }) orders!: OrderSummary[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor!: string | null;
}

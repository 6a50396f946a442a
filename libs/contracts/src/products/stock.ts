import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';

export class StockLine {
  @ApiProperty({ format: 'uuid' }) @IsUUID() productId!: string;
  @ApiProperty({ minimum: 1, maximum: 99 }) @IsInt() @Min(1) @Max(99) quantity!: number;
}

/** Holds stock for a checkout; idempotent by reservationId (the caller's, e.g. the checkout id). */
export class ReserveStockRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() reservationId!: string;

  @ApiProperty({ type: [StockLine] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => StockLine)
  lines!: StockLine[];

  @ApiPropertyOptional({
    description: 'How long the hold lasts unless committed; default from PRODUCTS_RESERVATION_TTL_SECONDS',
    minimum: 5,
    maximum: 86_400,
  })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(86_400)
  ttlSeconds?: number;
}

export class ReservationIdRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() reservationId!: string;
}

export const RESERVATION_STATUSES = ['holding', 'held', 'committing', 'committed', 'releasing', 'released', 'rejected'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export class ReservedLine {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'Price when the stock was reserved' }) priceCents!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() name!: string;
}

export class Reservation {
  @ApiProperty({ format: 'uuid' }) reservationId!: string;
  @ApiProperty({ enum: RESERVATION_STATUSES }) status!: ReservationStatus;
  @ApiProperty({ type: [ReservedLine] }) lines!: ReservedLine[];
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiPropertyOptional({ description: 'Why it was released or rejected' }) reason?: string;
}

export interface StockReservedV1 {
  reservationId: string;
  lines: Array<{ productId: string; quantity: number }>;
  expiresAt: string;
}
export interface StockReleasedV1 {
  reservationId: string;
  lines: Array<{ productId: string; quantity: number }>;
  reason: 'released' | 'expired';
}
export interface StockCommittedV1 {
  reservationId: string;
  lines: Array<{ productId: string; quantity: number }>;
}

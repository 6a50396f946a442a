import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { trim } from '../validation.js';

export const ORDERS_ITEM_LABEL_MAX = 200;

/** Creates one of orders's items (the example resource the generator starts the service with). */
export class CreateOrdersItemRequest {
  @ApiProperty({ minLength: 1, maxLength: ORDERS_ITEM_LABEL_MAX })
  @Transform(trim)
  @IsString()
  @Length(1, ORDERS_ITEM_LABEL_MAX)
  label!: string;
}

export class OrdersItemIdRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export const MAX_ORDERS_PAGE_SIZE = 100;

/** A user's own orders, newest first; pass the previous page's `nextCursor` for the next one. */
export class ListMyOrdersRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ORDERS_PAGE_SIZE, default: 20 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ORDERS_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;
}

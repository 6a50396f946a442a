import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, IsUUID, Length } from 'class-validator';
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

import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsUUID } from 'class-validator';

export const MAX_LINE_QUANTITY = 99;
export const MAX_CART_LINES = 100;

/** The body of `POST /cart/lines` and `PATCH /cart/lines/:productId`. */
export class CartQuantity {
  @ApiProperty({ minimum: 1, maximum: MAX_LINE_QUANTITY })
  @IsInt()
  quantity!: number;
}

export class CartLineRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() productId!: string;
  /** Limits (1..99) are business rules answered with 422, so only the type is checked here. */
  @ApiProperty() @IsInt() quantity!: number;
}

export class CartProductRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() productId!: string;
}

export class CartLine {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() unitPriceCents!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() lineTotalCents!: number;
  @ApiProperty({ description: 'False once the product was deleted from the catalog' }) available!: boolean;
}

export class Cart {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ type: [CartLine] }) lines!: CartLine[];
  @ApiProperty({ description: 'Sum of the available lines' }) totalCents!: number;
  @ApiProperty({ nullable: true, type: String }) currency!: string | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

/** Letters, digits and `. _ : -`, 1..200 characters: a client's retry key. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * The wallet keys of a checkout's debit and of its compensating refund. users finds a checkout's
 * debit by this key when an order placed from it is cancelled, so it is part of the contract.
 */
export const checkoutWalletKeys = {
  debit: (checkoutId: string): string => `checkout:${checkoutId}:debit`,
  refund: (checkoutId: string): string => `checkout:${checkoutId}:refund`,
} as const;

/** The optional body of `POST /cart/checkout`. */
export class CheckoutBody {
  @ApiPropertyOptional({
    description: 'The total the user was shown; when given and the cart now costs something else, the checkout fails with PRICE_CHANGED',
    minimum: 0,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000_000)
  expectedTotalCents?: number;
}

export class CheckoutRequest extends CheckoutBody {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;

  @ApiProperty({ example: 'order-2026-11-21-1' })
  @IsString()
  @Length(1, 200)
  @Matches(IDEMPOTENCY_KEY_PATTERN, { message: 'idempotencyKey may hold only letters, digits and . _ : -' })
  idempotencyKey!: string;
}

export class CheckoutIdRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() checkoutId!: string;
}

/**
 * Where a checkout is. Forward: reserving → debiting → committing → completed.
 * On a failure after something was done: compensating (refund, release) → failed.
 */
export const CHECKOUT_STATUSES = ['reserving', 'debiting', 'committing', 'completed', 'compensating', 'failed'] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

export const CHECKOUT_STEP_NAMES = ['reserve-stock', 'debit-wallet', 'commit-stock', 'clear-cart', 'refund-wallet', 'release-stock'] as const;
export type CheckoutStepName = (typeof CHECKOUT_STEP_NAMES)[number];

export const CHECKOUT_STEP_STATUSES = ['started', 'done', 'failed'] as const;
export type CheckoutStepStatus = (typeof CHECKOUT_STEP_STATUSES)[number];

export class CheckoutStep {
  @ApiProperty({ enum: CHECKOUT_STEP_NAMES }) name!: CheckoutStepName;
  @ApiProperty({ enum: CHECKOUT_STEP_STATUSES }) status!: CheckoutStepStatus;
  @ApiProperty({ description: 'Calls made so far (retries after a service was unavailable count)' }) attempts!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional({ description: 'The last error, or what the step found' }) detail?: string;
}

export class CheckoutLine {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'The price shown in the cart when the checkout started' }) unitPriceCents!: number;
  @ApiProperty() lineTotalCents!: number;
}

export class CheckoutFailure {
  @ApiProperty({ example: 'OUT_OF_STOCK', description: 'An error code: OUT_OF_STOCK, INSUFFICIENT_FUNDS, PRICE_CHANGED, NOT_FOUND, ...' })
  code!: string;
  @ApiProperty() message!: string;
}

export class Checkout {
  @ApiProperty({ format: 'uuid', description: 'Also the stock reservation id in products' }) checkoutId!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ enum: CHECKOUT_STATUSES }) status!: CheckoutStatus;
  @ApiProperty({ type: [CheckoutLine] }) lines!: CheckoutLine[];
  @ApiProperty() totalCents!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: [CheckoutStep], description: 'Every step taken, in order' }) steps!: CheckoutStep[];
  @ApiPropertyOptional({ type: CheckoutFailure }) failure?: CheckoutFailure;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

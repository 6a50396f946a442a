import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { AtLeastOneField, IsNulFree, IsOmittable, Trimmed } from '../validation.js';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const normalizeEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** Largest single wallet movement: 10 million in currency units. */
export const MAX_WALLET_AMOUNT_CENTS = 1_000_000_000;

export class RegisterRequest {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @Transform(normalizeEmail)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Ada Lovelace', minLength: 1, maxLength: 100 })
  @Trimmed()
  @IsString()
  @Length(1, 100)
  @IsNulFree('name')
  name!: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password!: string;
}

export class LoginRequest {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(normalizeEmail)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @Length(1, 128)
  password!: string;
}

/** Most users one users.getMany request may ask for. */
export const MAX_USERS_PER_BATCH = 1000;

/** Several users at once (an API composition's batch): unknown ids are left out of the answer. */
export class UserIdsRequest {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: MAX_USERS_PER_BATCH })
  @IsArray()
  @ArrayMaxSize(MAX_USERS_PER_BATCH)
  @IsUUID(undefined, { each: true, message: 'userIds must hold UUIDs only' })
  userIds!: string[];
}

export class UserIdRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;
}

/** The profile fields a user may change about themselves; either may be left out, neither may be null. */
@AtLeastOneField()
export class ProfileChanges {
  @ApiPropertyOptional({ example: 'Ada King', minLength: 1, maxLength: 100 })
  @IsOmittable()
  @Trimmed()
  @IsString()
  @Length(1, 100)
  @IsNulFree('name')
  name?: string;

  @ApiPropertyOptional({ example: 'ada.king@example.com' })
  @IsOmittable()
  @Transform(normalizeEmail)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string;
}

export class UpdateProfileRequest extends ProfileChanges {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;
}

/** A caller-chosen key that makes a wallet operation safe to retry. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]+$/;

export class WalletAmount {
  @ApiProperty({ description: 'Amount in integer cents', example: 2500, minimum: 1, maximum: MAX_WALLET_AMOUNT_CENTS })
  @IsInt()
  @Min(1)
  @Max(MAX_WALLET_AMOUNT_CENTS)
  amountCents!: number;

  @ApiPropertyOptional({ example: 'top-up', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsNulFree('reason')
  reason?: string;
}

export class WalletMovementRequest extends WalletAmount {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;

  @ApiProperty({ example: 'checkout-0193:debit', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(IDEMPOTENCY_KEY, { message: 'idempotencyKey may hold only letters, digits and . _ : -' })
  idempotencyKey!: string;
}

export class CreditWalletRequest extends WalletMovementRequest {}
export class DebitWalletRequest extends WalletMovementRequest {
  /**
   * After this instant the debit is refused unless it was made already (then it is replayed). A
   * caller that gives up waiting (a saga past its deadline) and then finds no debit to refund can
   * rely on it: a debit still queued somewhere cannot take the money later.
   */
  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-28T00:01:00.000Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'notAfter must be a date-time (ISO 8601)' })
  notAfter?: string;
}

/** Gives back (part of) an earlier debit, found by that debit's idempotency key. */
export class RefundWalletRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;

  @ApiProperty({ example: 'checkout-0193:refund' })
  @IsString()
  @Length(1, 200)
  @Matches(IDEMPOTENCY_KEY, { message: 'idempotencyKey may hold only letters, digits and . _ : -' })
  idempotencyKey!: string;

  @ApiProperty({ example: 'checkout-0193:debit' })
  @IsString()
  @Length(1, 200)
  @Matches(IDEMPOTENCY_KEY, { message: 'debitIdempotencyKey may hold only letters, digits and . _ : -' })
  debitIdempotencyKey!: string;

  @ApiPropertyOptional({ description: 'Defaults to what is left of the debit', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_WALLET_AMOUNT_CENTS)
  amountCents?: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsNulFree('reason')
  reason?: string;
}

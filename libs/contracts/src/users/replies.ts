import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const USER_ROLES = ['customer', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** What any service may know about a user. */
export class PublicUser {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** A user as another service joins it to its own data (an admin listing orders with their customers). */
export class UserContact {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
}

export class ManyUsersReply {
  @ApiProperty({ type: [UserContact], description: 'The users found, in no particular order; an id that names no user is left out' })
  users!: UserContact[];
}

/** What a user sees about themselves. */
export class UserProfile extends PublicUser {
  @ApiProperty() email!: string;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class LoginReply {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn!: number;
  @ApiProperty({ type: UserProfile }) user!: UserProfile;
}

export const WALLET_ENTRY_KINDS = ['credit', 'debit', 'refund'] as const;
export type WalletEntryKind = (typeof WALLET_ENTRY_KINDS)[number];

export class WalletEntry {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: WALLET_ENTRY_KINDS }) kind!: WalletEntryKind;
  @ApiProperty() amountCents!: number;
  @ApiProperty() balanceAfterCents!: number;
  @ApiProperty() idempotencyKey!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) reason?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'For a refund: the debit it gives back' }) refundOf?: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class Wallet {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() balanceCents!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: [WalletEntry], description: 'Most recent first' }) recentEntries!: WalletEntry[];
}

export class WalletMovementReply {
  @ApiProperty({ type: WalletEntry }) entry!: WalletEntry;
  @ApiProperty() balanceCents!: number;
  @ApiProperty({ description: 'True when this key had already been applied; nothing changed this time' })
  replayed!: boolean;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ERASURE_PARTICIPANTS, type ErasureParticipant } from '@polystore/manifest';

export const ERASURE_REQUESTERS = ['self', 'admin'] as const;
export type ErasureRequester = (typeof ERASURE_REQUESTERS)[number];

/** `DELETE /users/me`: the user confirms with their password. */
export class EraseMeBody {
  @ApiProperty({ example: 'correct horse battery staple', description: 'The account’s password, entered again' })
  @IsString()
  @Length(1, 128)
  password!: string;
}

/** users.erase-user.v1: a user asks for themselves (with the password), or an admin for them. */
export class EraseUserRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;

  @ApiProperty({ enum: ERASURE_REQUESTERS })
  @IsIn(ERASURE_REQUESTERS)
  requestedBy!: ErasureRequester;

  /** Required when requestedBy is `self`. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 128)
  password?: string;
}

export const ERASURE_STEP_STATES = ['pending', 'done'] as const;
export type ErasureStepState = (typeof ERASURE_STEP_STATES)[number];

/** One service's part of an erasure. */
export class ErasureStep {
  @ApiProperty({ example: 'cart' }) service!: string;
  @ApiProperty({ enum: ERASURE_STEP_STATES }) status!: ErasureStepState;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, nullable: true, description: 'Records erased or anonymised, by kind' })
  counts!: Record<string, number> | null;
  @ApiProperty({ description: 'Times the request was published to this service' }) attempts!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the answer came' }) answeredAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'While pending: when the request is published again' })
  retryAt!: string | null;
}

/** An erasure's progress, per service (users' own part first). */
export class ErasureStatus {
  @ApiProperty({ format: 'uuid' }) erasureId!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ enum: ERASURE_REQUESTERS }) requestedBy!: ErasureRequester;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When every service had answered' }) completedAt!: string | null;
  @ApiProperty({ type: [ErasureStep] }) services!: ErasureStep[];
}

/**
 * users.republish-erasures.v1: publish the recorded erasures of these users again to one
 * participant, e.g. after that participant's store was restored from before them (`npm run
 * reconcile` sends it for every erased user it finds still held there). The participant's step
 * becomes pending again until it answers.
 */
export class RepublishErasuresRequest {
  @IsIn(ERASURE_PARTICIPANTS)
  service!: ErasureParticipant;

  @IsArray()
  @ArrayMaxSize(2_000)
  @IsUUID('all', { each: true })
  userIds!: string[];
}

export interface ErasuresRepublished {
  /** Erasures published again (users in the request without a recorded erasure are left out). */
  erasures: number;
}

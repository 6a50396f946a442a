import type { PublicUser, UserProfile, UserRole } from '@polystore/contracts';

/** A user as the users service knows it (the store maps rows to this). */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  role: UserRole;
  createdAt: Date;
  updatedAt: Date;
  /** Set once the user was erased: the record is a tombstone. */
  erasedAt: Date | null;
}

export function toProfile(user: UserRecord): UserProfile {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export function toPublicUser(user: UserRecord): PublicUser {
  return { id: user.id, name: user.name, createdAt: user.createdAt.toISOString() };
}

import { UsersEvents } from '@polystore/contracts';

/**
 * An erased account's email becomes `erased-<erasure id>@erased.invalid`: unique (the index
 * holds), never deliverable (`.invalid` is reserved, RFC 2606), and naming no one.
 */
export const ERASED_EMAIL_DOMAIN = 'erased.invalid';

/**
 * users' events that carry personal data beyond ids (email, name): their copies on users' stream
 * are deleted when the user is erased. Every other event of the system carries ids only.
 */
export const EVENTS_WITH_PERSONAL_DATA = [UsersEvents.UserRegistered, UsersEvents.UserProfileUpdated] as const;

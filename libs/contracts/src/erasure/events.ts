/**
 * Erasing a user (right to be forgotten), the round trip every service that keeps data about
 * users takes part in (`holdsUserData` in manifest.ts):
 *
 *   users   ── events.users.UserErasureRequested.v1 ──▶  each participant
 *   users  ◀── events.<participant>.UserErased.v1   ───  each participant, once its store is clean
 *
 * `UserErasureRequested.v1` is declared with users' events (users publishes it through its outbox);
 * `UserErased.v1` is one contract that every participant publishes on its own stream.
 */
export const ErasureEvents = {
  UserErased: { type: 'UserErased', version: 1 },
} as const;

export interface ErasureEventData {
  [ErasureEvents.UserErased.type]: UserErasedV1;
}

/**
 * A participant's answer: what it erased or anonymised for the erasure `erasureId`, per kind of
 * record (`{ carts: 1, checkouts: 2 }`). It names no user: the erasure id is enough for users,
 * and the answer itself must not become a record about the person on the participant's stream.
 */
export interface UserErasedV1 {
  erasureId: string;
  /** The participant answering (the producer of this event). */
  service: string;
  /** Records erased or anonymised, by kind; zeros are given too (nothing was there). */
  counts: Record<string, number>;
}

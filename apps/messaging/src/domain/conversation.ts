import { CONVERSATION_ID } from '@polystore/contracts';

/**
 * A conversation between two users has one id, derived from both: `<lower id>_<higher id>`.
 * So the same pair always meets in the same conversation, and who may see it is readable
 * from the id alone (a non-participant is refused before any store access).
 */
export function conversationIdOf(userA: string, userB: string): string {
  const [a, b] = [userA.toLowerCase(), userB.toLowerCase()].sort();
  return `${a}_${b}`;
}

export function participantsOf(conversationId: string): [string, string] | null {
  if (!CONVERSATION_ID.test(conversationId)) return null;
  const [a, b] = conversationId.split('_') as [string, string];
  return a < b ? [a, b] : null;
}

export function isParticipant(conversationId: string, userId: string): boolean {
  return participantsOf(conversationId)?.includes(userId.toLowerCase()) ?? false;
}

export function otherParticipant(conversationId: string, userId: string): string {
  const [a, b] = participantsOf(conversationId)!;
  return a === userId.toLowerCase() ? b : a;
}

/** Messages are addressed by conversation and position, so a page of them is a set of key lookups. */
export function messageIdOf(conversationId: string, seq: number): string {
  return `${conversationId}:${String(seq).padStart(10, '0')}`;
}

/** The seqs of one page, newest first: below `beforeSeq` (exclusive), down to 1. */
export function pageSeqs(lastSeq: number, beforeSeq: number | null, limit: number): number[] {
  const top = Math.min(lastSeq, beforeSeq === null ? lastSeq : beforeSeq - 1);
  const seqs: number[] = [];
  for (let seq = top; seq >= 1 && seqs.length < limit; seq--) seqs.push(seq);
  return seqs;
}

/** Unread for a participant: every message after the last one they read (their own sends count as read). */
export function unreadCount(lastSeq: number, readSeq: number | undefined): number {
  return Math.max(0, lastSeq - (readSeq ?? 0));
}

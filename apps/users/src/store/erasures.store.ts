import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import type { ErasureRequester, ErasureStatus, EventEnvelope } from '@polystore/contracts';
import { v7 as uuidv7 } from 'uuid';
import { UserNotFound } from '../domain/errors.js';
import { ERASED_EMAIL_DOMAIN } from '../domain/erasure.js';
import { addToOutbox } from './outbox.js';
import { Prisma, type Tx } from './prisma.js';
import { UsersDatabase } from './users-database.js';

/** users' own step in an erasure (the account, ledger and outbox here, and its messages on EVENTS_USERS). */
export const USERS_STEP = 'users';

/** Builds the request event for an erasure, addressed to these participants, at this attempt. */
export type ErasureRequestEvent = (erasure: { erasureId: string; userId: string }, services: string[], attempt: number) => EventEnvelope;

export interface DueErasure {
  erasureId: string;
  userId: string;
  /** Participants whose answer is overdue (users' own step is never in here: see `usersStepDue`). */
  services: string[];
}

/**
 * The erasure log and the tombstoning of an account, in PostgreSQL. Holds no personal data: ids,
 * who asked, times, and the counts each service reports.
 */
@Injectable()
export class ErasuresStore {
  constructor(
    @Inject(UsersDatabase) private readonly db: UsersDatabase,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'erasures', metrics);
  }

  /**
   * Records the erasure of a user and tombstones the account in one transaction, with the
   * `UserErasureRequested` event in the outbox. A user already erased gets the erasure on record
   * (asking twice is not an error). 404 for an unknown user.
   */
  async request(
    userId: string,
    requestedBy: ErasureRequester,
    participants: readonly string[],
    retryAfterMs: number,
    event: ErasureRequestEvent,
  ): Promise<ErasureStatus> {
    const erasureId = await this.db.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
      const existing = await tx.erasure.findUnique({ where: { userId }, select: { id: true } });
      if (existing) return existing.id;
      if (locked.length === 0) throw new UserNotFound(userId);
      const id = uuidv7();
      const retryAt = new Date(Date.now() + retryAfterMs);
      await tx.erasure.create({
        data: {
          id,
          userId,
          requestedBy,
          steps: {
            create: [{ service: USERS_STEP, retryAt: new Date() }, ...participants.map((service) => ({ service, retryAt }))],
          },
        },
      });
      const counts = await tombstone(tx, userId, id);
      await tx.erasureStep.update({ where: { erasureId_service: { erasureId: id, service: USERS_STEP } }, data: { counts } });
      await addToOutbox(tx, event({ erasureId: id, userId }, [...participants], 1));
      return id;
    });
    return (await this.statusById(erasureId))!;
  }

  async status(userId: string): Promise<ErasureStatus | null> {
    const erasure = await this.db.prisma.erasure.findUnique({ where: { userId }, include: { steps: true } });
    return erasure ? toStatus(erasure) : null;
  }

  private async statusById(erasureId: string): Promise<ErasureStatus | null> {
    const erasure = await this.db.prisma.erasure.findUnique({ where: { id: erasureId }, include: { steps: true } });
    return erasure ? toStatus(erasure) : null;
  }

  /**
   * A service's answer: its step is done with its counts (the first answer counts; later ones,
   * after a retry, change nothing). The erasure is complete when no step is pending.
   * Returns false for an erasure this database does not know.
   */
  async answer(erasureId: string, service: string, counts: Record<string, number>): Promise<boolean> {
    return this.db.prisma.$transaction(async (tx) => {
      const erasure = await tx.erasure.findUnique({ where: { id: erasureId }, select: { id: true } });
      if (!erasure) return false;
      await tx.erasureStep.updateMany({
        where: { erasureId, service, status: 'pending' },
        data: { status: 'done', counts: counts as Prisma.InputJsonValue, answeredAt: new Date(), retryAt: null },
      });
      await completeIfDone(tx, erasureId);
      return true;
    });
  }

  /**
   * Participants past their deadline: their request is published again (attempt + 1) and the
   * deadline moved, in one transaction per erasure. Steps are claimed with SKIP LOCKED, so two
   * users instances never retry the same one.
   */
  async retryOverdue(now: Date, retryAfterMs: number, event: ErasureRequestEvent, limit = 100): Promise<DueErasure[]> {
    return this.db.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Array<{ erasure_id: string; user_id: string; service: string; attempts: number }>>`
        SELECT s.erasure_id, e.user_id, s.service, s.attempts FROM erasure_steps s JOIN erasures e ON e.id = s.erasure_id
        WHERE s.status = 'pending' AND s.service <> ${USERS_STEP} AND s.retry_at <= ${now}
        ORDER BY s.retry_at LIMIT ${limit} FOR UPDATE OF s SKIP LOCKED`;
      const byErasure = new Map<string, { userId: string; services: string[]; attempt: number }>();
      for (const row of rows) {
        const due = byErasure.get(row.erasure_id) ?? { userId: row.user_id, services: [], attempt: 0 };
        due.services.push(row.service);
        due.attempt = Math.max(due.attempt, row.attempts + 1);
        byErasure.set(row.erasure_id, due);
      }
      const retryAt = new Date(now.getTime() + retryAfterMs);
      for (const [erasureId, due] of byErasure) {
        await tx.erasureStep.updateMany({
          where: { erasureId, service: { in: due.services }, status: 'pending' },
          data: { attempts: { increment: 1 }, retryAt },
        });
        await addToOutbox(tx, event({ erasureId, userId: due.userId }, due.services, due.attempt));
      }
      return [...byErasure].map(([erasureId, due]) => ({ erasureId, userId: due.userId, services: due.services }));
    });
  }

  /** Erasures whose own step (the event stream's copies) is still to do. */
  async usersStepDue(now: Date, limit = 100): Promise<Array<{ erasureId: string; userId: string }>> {
    const rows = await this.db.prisma.$queryRaw<Array<{ erasure_id: string; user_id: string }>>`
      SELECT s.erasure_id, e.user_id FROM erasure_steps s JOIN erasures e ON e.id = s.erasure_id
      WHERE s.status = 'pending' AND s.service = ${USERS_STEP} AND s.retry_at <= ${now}
      ORDER BY s.retry_at LIMIT ${limit}`;
    return rows.map((r) => ({ erasureId: r.erasure_id, userId: r.user_id }));
  }

  /** users' own step is done: adds what was removed from the stream to the counts of the tombstone. */
  async usersStepDone(erasureId: string, streamMessages: number): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      const step = await tx.erasureStep.findUnique({ where: { erasureId_service: { erasureId, service: USERS_STEP } } });
      if (!step || step.status === 'done') return;
      const counts = { ...((step.counts as Record<string, number> | null) ?? {}), streamMessages };
      await tx.erasureStep.update({
        where: { erasureId_service: { erasureId, service: USERS_STEP } },
        data: { status: 'done', counts, answeredAt: new Date(), retryAt: null },
      });
      await completeIfDone(tx, erasureId);
    });
  }

  /** users' own step failed (NATS away): try again after `retryAfterMs`. */
  async usersStepLater(erasureId: string, retryAfterMs: number): Promise<void> {
    await this.db.prisma.erasureStep.updateMany({
      where: { erasureId, service: USERS_STEP, status: 'pending' },
      data: { attempts: { increment: 1 }, retryAt: new Date(Date.now() + retryAfterMs) },
    });
  }

  /**
   * The recorded erasures of these users published again to one participant (a store restored from
   * before them holds their data again): its step pending again, one more attempt, the request in the
   * outbox, in one transaction per erasure. Answers the erasure ids.
   */
  async republish(service: string, userIds: readonly string[], retryAfterMs: number, event: ErasureRequestEvent): Promise<string[]> {
    if (userIds.length === 0) return [];
    const erasures = await this.db.prisma.erasure.findMany({ where: { userId: { in: [...userIds] } }, select: { id: true, userId: true } });
    for (const erasure of erasures) {
      await this.db.prisma.$transaction(async (tx) => {
        const retryAt = new Date(Date.now() + retryAfterMs);
        const step = await tx.erasureStep.upsert({
          where: { erasureId_service: { erasureId: erasure.id, service } },
          create: { erasureId: erasure.id, service, retryAt, attempts: 1 },
          update: { status: 'pending', counts: Prisma.DbNull, answeredAt: null, retryAt, attempts: { increment: 1 } },
        });
        await tx.erasure.update({ where: { id: erasure.id }, data: { completedAt: null } });
        await addToOutbox(tx, event({ erasureId: erasure.id, userId: erasure.userId }, [service], step.attempts));
      });
    }
    return erasures.map((e) => e.id);
  }

  /**
   * Erasures on record whose account is not a tombstone: what a restore of an older backup brings
   * back (the erasure log was carried over the restore; see `npm run restore`). Each is applied
   * again: the account tombstoned, and every step set pending and requested again.
   */
  async reapplyResurrected(participants: readonly string[], retryAfterMs: number, event: ErasureRequestEvent): Promise<string[]> {
    const rows = await this.db.prisma.$queryRaw<Array<{ id: string; user_id: string }>>`
      SELECT e.id, e.user_id FROM erasures e JOIN users u ON u.id = e.user_id WHERE u.erased_at IS NULL`;
    for (const row of rows) {
      await this.db.prisma.$transaction(async (tx) => {
        const counts = await tombstone(tx, row.user_id, row.id);
        const now = new Date();
        await tx.erasureStep.deleteMany({ where: { erasureId: row.id } });
        await tx.erasureStep.createMany({
          data: [
            { erasureId: row.id, service: USERS_STEP, retryAt: now, counts },
            ...participants.map((service) => ({ erasureId: row.id, service, retryAt: new Date(now.getTime() + retryAfterMs) })),
          ],
        });
        await tx.erasure.update({ where: { id: row.id }, data: { completedAt: null } });
        await addToOutbox(tx, event({ erasureId: row.id, userId: row.user_id }, [...participants], 1));
      });
    }
    return rows.map((r) => r.id);
  }
}

/**
 * The account becomes a tombstone: email, name and password hash gone (the email replaced by a
 * placeholder naming the erasure, so the unique index holds and the address is free again), the
 * wallet closed, the ledger's amounts and balances kept for accounting but its free text (reason)
 * and caller-chosen idempotency keys replaced, and the copies of identity in the outbox's events
 * (email, name, reason, idempotency key) removed.
 */
async function tombstone(tx: Tx, userId: string, erasureId: string): Promise<Record<string, number>> {
  const accounts = await tx.$executeRaw`
    UPDATE users SET email = ${`erased-${erasureId}@${ERASED_EMAIL_DOMAIN}`}, name = '', password_hash = '', role = 'customer',
      erased_at = now(), updated_at = now()
    WHERE id = ${userId}::uuid AND erased_at IS NULL`;
  await tx.$executeRaw`UPDATE wallets SET closed_at = now() WHERE user_id = ${userId}::uuid AND closed_at IS NULL`;
  const walletEntries = await tx.$executeRaw`
    UPDATE wallet_entries SET reason = NULL, idempotency_key = 'erased:' || id::text
    WHERE user_id = ${userId}::uuid AND idempotency_key NOT LIKE 'erased:%'`;
  const outboxEvents = await tx.$executeRaw`
    UPDATE outbox SET envelope = jsonb_set(envelope, '{data}', (envelope -> 'data') - 'email' - 'name' - 'reason' - 'idempotencyKey')
    WHERE envelope -> 'data' ->> 'userId' = ${userId}
      AND (envelope -> 'data') ?| array['email', 'name', 'reason', 'idempotencyKey']`;
  return { accounts, walletEntries, outboxEvents };
}

async function completeIfDone(tx: Tx, erasureId: string): Promise<void> {
  const pending = await tx.erasureStep.count({ where: { erasureId, status: 'pending' } });
  if (pending === 0) await tx.erasure.updateMany({ where: { id: erasureId, completedAt: null }, data: { completedAt: new Date() } });
}

type ErasureRow = {
  id: string;
  userId: string;
  requestedBy: string;
  requestedAt: Date;
  completedAt: Date | null;
  steps: Array<{ service: string; status: string; counts: unknown; attempts: number; retryAt: Date | null; answeredAt: Date | null }>;
};

function toStatus(erasure: ErasureRow): ErasureStatus {
  const steps = [...erasure.steps].sort((a, b) =>
    a.service === USERS_STEP ? -1 : b.service === USERS_STEP ? 1 : a.service.localeCompare(b.service),
  );
  return {
    erasureId: erasure.id,
    userId: erasure.userId,
    requestedBy: erasure.requestedBy as ErasureRequester,
    requestedAt: erasure.requestedAt.toISOString(),
    completedAt: erasure.completedAt?.toISOString() ?? null,
    services: steps.map((step) => ({
      service: step.service,
      status: step.status === 'done' ? 'done' : 'pending',
      counts: (step.counts as Record<string, number> | null) ?? null,
      attempts: step.attempts,
      answeredAt: step.answeredAt?.toISOString() ?? null,
      retryAt: step.status === 'done' ? null : (step.retryAt?.toISOString() ?? null),
    })),
  };
}

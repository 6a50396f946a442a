import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics, timeStoreCalls } from '@polystore/platform';
import {
  checkoutWalletKeys,
  orderRefundKey,
  type EventEnvelope,
  type OrderRefundDeclineCode,
  type Wallet,
  type WalletEntry,
  type WalletEntryKind,
} from '@polystore/contracts';
import { v7 as uuidv7 } from 'uuid';
import { DebitNotFound, DebitTooLate, IdempotencyKeyReused, InsufficientFunds, RefundRefused, WalletNotFound } from '../domain/errors.js';
import { decideOrderRefund, decideRefund, sameIntent } from '../domain/wallet.js';
import { addToOutbox } from './outbox.js';
import { isUniqueViolation, type Tx } from './prisma.js';
import type { WalletEntry as WalletEntryRow } from '../../../../generated/users/client.js';
import { UsersDatabase } from './users-database.js';

export interface Movement {
  userId: string;
  idempotencyKey: string;
  amountCents: number;
  reason?: string;
  /** Debits only: refused after this instant (the database's clock) unless already made. */
  notAfter?: string;
}

export interface MovementOutcome {
  entry: WalletEntry;
  balanceCents: number;
  replayed: boolean;
}

/** Builds the event for a stored ledger entry (the store does not know event shapes). */
export type EntryEvent = (entry: WalletEntry, balanceCents: number) => EventEnvelope;

/** The order a cancellation asks users to refund. */
export interface OrderToRefund {
  orderId: string;
  checkoutId: string;
  userId: string;
  totalCents: number;
  currency: string;
}

export type OrderRefundOutcome =
  | { kind: 'refunded'; entry: WalletEntry; balanceCents: number; replayed: boolean }
  | { kind: 'declined'; code: OrderRefundDeclineCode; reason: string };

/** The events that announce an order refund's outcome (the ledger's own event, then the answer to orders). */
export type OrderRefundEvents = (outcome: OrderRefundOutcome) => EventEnvelope[];

/**
 * The wallet ledger. Every movement locks the wallet row, changes the balance with a
 * guarded UPDATE, writes one ledger row and its outbox event, all in one transaction.
 * The (user, idempotency key) unique index makes a retried movement a replay.
 */
@Injectable()
export class WalletStore {
  constructor(
    @Inject(UsersDatabase) private readonly db: UsersDatabase,
    @Optional() @Inject(AppMetrics) metrics?: AppMetrics,
  ) {
    timeStoreCalls(this, 'wallet', metrics);
  }

  async get(userId: string, recent = 20): Promise<Wallet> {
    const wallet = await this.db.prisma.wallet.findFirst({
      where: { userId, closedAt: null },
      include: { entries: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: recent } },
    });
    if (!wallet) throw new WalletNotFound(userId);
    return {
      userId,
      balanceCents: Number(wallet.balanceCents),
      currency: wallet.currency,
      recentEntries: wallet.entries.map(toEntry),
    };
  }

  credit(movement: Movement, event: EntryEvent): Promise<MovementOutcome> {
    return this.move('credit', movement, event);
  }

  debit(movement: Movement, event: EntryEvent): Promise<MovementOutcome> {
    return this.move('debit', movement, event);
  }

  /** Gives back what is left of a debit (or the given part of it). */
  refund(
    movement: Omit<Movement, 'amountCents'> & { amountCents?: number; debitIdempotencyKey: string },
    event: EntryEvent,
  ): Promise<MovementOutcome> {
    return this.idempotent(movement.userId, movement.idempotencyKey, 'refund', movement.amountCents, async (tx) => {
      await lockWallet(tx, movement.userId);
      const debit = await tx.walletEntry.findUnique({
        where: { userId_idempotencyKey: { userId: movement.userId, idempotencyKey: movement.debitIdempotencyKey } },
      });
      if (!debit || debit.kind !== 'debit') {
        throw new DebitNotFound(movement.debitIdempotencyKey);
      }
      const refunded = await tx.walletEntry.aggregate({ where: { refundOfId: debit.id }, _sum: { amountCents: true } });
      const decision = decideRefund(Number(debit.amountCents), Number(refunded._sum.amountCents ?? 0n), movement.amountCents);
      if (!decision.ok) throw new RefundRefused(decision);
      const balance = await changeBalance(tx, movement.userId, decision.amountCents);
      return writeEntry(tx, { ...movement, amountCents: decision.amountCents }, 'refund', balance, event, debit.id);
    });
  }

  /**
   * Refunds an order's checkout debit inside the caller's transaction (the inbox's, so the event
   * that asked is recorded with the effect). One refund per order: its entry is keyed by the order
   * (`order:<id>:refund`), so asking again answers with the refund already made. It gives back the
   * order's total and never more than is left of the debit; what cannot be refunded is declined
   * with a code. Either way the outcome's events go to the outbox in the same transaction.
   */
  async refundOrder(tx: Tx, order: OrderToRefund, events: OrderRefundEvents): Promise<OrderRefundOutcome> {
    const outcome = await this.decideOrderRefund(tx, order);
    for (const event of events(outcome)) await addToOutbox(tx, event);
    return outcome;
  }

  private async decideOrderRefund(tx: Tx, order: OrderToRefund): Promise<OrderRefundOutcome> {
    // The wallet row lock serialises this with every other movement of the wallet.
    const [wallet] = await tx.$queryRaw<Array<{ currency: string; balance_cents: bigint }>>`
      SELECT currency, balance_cents FROM wallets WHERE user_id = ${order.userId}::uuid FOR UPDATE`;
    if (!wallet) return { kind: 'declined', code: 'WALLET_NOT_FOUND', reason: 'the user has no wallet' };
    const key = orderRefundKey(order.orderId);
    const done = await tx.walletEntry.findUnique({ where: { userId_idempotencyKey: { userId: order.userId, idempotencyKey: key } } });
    if (done) return { kind: 'refunded', entry: toEntry(done), balanceCents: Number(wallet.balance_cents), replayed: true };
    const debit = await tx.walletEntry.findUnique({
      where: { userId_idempotencyKey: { userId: order.userId, idempotencyKey: checkoutWalletKeys.debit(order.checkoutId) } },
    });
    const refunded =
      debit?.kind === 'debit' ? await tx.walletEntry.aggregate({ where: { refundOfId: debit.id }, _sum: { amountCents: true } }) : null;
    const decision = decideOrderRefund({
      orderTotalCents: order.totalCents,
      orderCurrency: order.currency,
      walletCurrency: wallet.currency,
      debit:
        debit?.kind === 'debit' ? { amountCents: Number(debit.amountCents), alreadyRefundedCents: Number(refunded?._sum.amountCents ?? 0n) } : null,
    });
    if (!decision.ok) return { kind: 'declined', code: decision.code, reason: decision.reason };
    const balanceCents = await changeBalance(tx, order.userId, decision.amountCents);
    const row = await tx.walletEntry.create({
      data: {
        id: uuidv7(),
        userId: order.userId,
        kind: 'refund',
        amountCents: BigInt(decision.amountCents),
        balanceAfterCents: BigInt(balanceCents),
        idempotencyKey: key,
        reason: `order ${order.orderId} cancelled`,
        refundOfId: debit!.id,
      },
    });
    return { kind: 'refunded', entry: toEntry(row), balanceCents, replayed: false };
  }

  /**
   * A credit or debit is one SQL statement: the guarded balance UPDATE, the ledger row and the
   * outbox row are data-modifying CTEs of a single statement, so they commit together in one
   * round trip (an interactive transaction took five, and capped a wallet at ~400 movements/s).
   * The event's balance is filled in by the statement itself, since only it knows the new balance.
   * A key already used fails the statement on the unique index; nothing is written, and the
   * stored movement is replayed.
   */
  private async move(kind: 'credit' | 'debit', movement: Movement, event: EntryEvent): Promise<MovementOutcome> {
    const delta = kind === 'credit' ? movement.amountCents : -movement.amountCents;
    const entry: WalletEntry = {
      id: uuidv7(),
      kind,
      amountCents: movement.amountCents,
      balanceAfterCents: 0, // set by the statement
      idempotencyKey: movement.idempotencyKey,
      reason: movement.reason ?? null,
      refundOf: null,
      createdAt: new Date().toISOString(),
    };
    const envelope = event(entry, 0);
    const notAfter = kind === 'debit' ? (movement.notAfter ?? null) : null;
    let rows: Array<{ balance_after_cents: bigint }>;
    try {
      rows = await this.db.prisma.$queryRaw`
        WITH moved AS (
          UPDATE wallets SET balance_cents = balance_cents + ${delta}::bigint, updated_at = now()
          WHERE user_id = ${movement.userId}::uuid AND balance_cents + ${delta}::bigint >= 0 AND closed_at IS NULL
            AND (${notAfter}::timestamptz IS NULL OR now() <= ${notAfter}::timestamptz)
          RETURNING balance_cents
        ), entry AS (
          INSERT INTO wallet_entries (id, user_id, kind, amount_cents, balance_after_cents, idempotency_key, reason, created_at)
          SELECT ${entry.id}::uuid, ${movement.userId}::uuid, ${kind}::"WalletEntryKind", ${movement.amountCents}::bigint,
                 moved.balance_cents, ${entry.idempotencyKey}::text, ${entry.reason}::text, ${entry.createdAt}::timestamptz
          FROM moved
          RETURNING balance_after_cents
        ), announced AS (
          INSERT INTO outbox (id, type, envelope)
          SELECT ${envelope.id}::uuid, ${envelope.type}::text,
                 jsonb_set(${JSON.stringify(envelope)}::jsonb, '{data,balanceCents}', to_jsonb(entry.balance_after_cents))
          FROM entry
          RETURNING 1
        )
        SELECT balance_after_cents FROM entry`;
    } catch (error) {
      if (isUniqueViolation(error)) {
        const replayed = await this.replay(movement.userId, movement.idempotencyKey, kind, movement.amountCents);
        if (replayed) return replayed;
      }
      throw error;
    }
    if (rows.length === 0) {
      // Nothing moved: no wallet, a debit made already (replayed), too late, or not enough money. Tell which.
      // "Too late" is read on the database's clock, the one the statement's guard used.
      const [wallet] = await this.db.prisma.$queryRaw<Array<{ balance_cents: bigint; closed: boolean; too_late: boolean }>>`
        SELECT balance_cents, closed_at IS NOT NULL AS closed,
               (${notAfter}::timestamptz IS NOT NULL AND now() > ${notAfter}::timestamptz) AS too_late
        FROM wallets WHERE user_id = ${movement.userId}::uuid`;
      if (!wallet || wallet.closed) throw new WalletNotFound(movement.userId);
      const replayed = await this.replay(movement.userId, movement.idempotencyKey, kind, movement.amountCents);
      if (replayed) return replayed;
      if (wallet.too_late && notAfter !== null) throw new DebitTooLate(notAfter);
      throw new InsufficientFunds(Number(wallet.balance_cents), movement.amountCents);
    }
    const balanceCents = Number(rows[0]!.balance_after_cents);
    return { entry: { ...entry, balanceAfterCents: balanceCents }, balanceCents, replayed: false };
  }

  /**
   * Runs `apply` once per (user, key): a key already used returns the stored entry (replayed),
   * or 409 when it was used for a different movement. Two concurrent calls with one key
   * race on the unique index; the loser's transaction rolls back and it returns the winner's entry.
   */
  private async idempotent(
    userId: string,
    key: string,
    kind: WalletEntryKind,
    amountCents: number | undefined,
    apply: (tx: Tx) => Promise<MovementOutcome>,
  ): Promise<MovementOutcome> {
    const existing = await this.replay(userId, key, kind, amountCents);
    if (existing) return existing;
    try {
      return await this.db.prisma.$transaction(apply, { timeout: 10_000 });
    } catch (error) {
      if (isUniqueViolation(error, 'idempotency_key')) {
        const winner = await this.replay(userId, key, kind, amountCents);
        if (winner) return winner;
      }
      throw error;
    }
  }

  private async replay(userId: string, key: string, kind: WalletEntryKind, amountCents?: number): Promise<MovementOutcome | null> {
    const entry = await this.db.prisma.walletEntry.findUnique({
      where: { userId_idempotencyKey: { userId, idempotencyKey: key } },
      include: { wallet: { select: { balanceCents: true } } },
    });
    if (!entry) return null;
    const requested = { kind, amountCents: amountCents ?? Number(entry.amountCents) };
    if (!sameIntent({ kind: entry.kind, amountCents: Number(entry.amountCents) }, requested)) {
      throw new IdempotencyKeyReused(toEntry(entry));
    }
    return { entry: toEntry(entry), balanceCents: Number(entry.wallet.balanceCents), replayed: true };
  }
}

async function lockWallet(tx: Tx, userId: string): Promise<void> {
  const rows = await tx.$queryRaw<Array<{ user_id: string }>>`SELECT user_id FROM wallets WHERE user_id = ${userId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw new WalletNotFound(userId);
}

/**
 * Adds `delta` to the balance unless that would make it negative. The guard sits in the
 * UPDATE itself, so concurrent debits serialise on the row and can never overspend.
 */
async function changeBalance(tx: Tx, userId: string, delta: number): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ balance_cents: bigint }>>`
    UPDATE wallets SET balance_cents = balance_cents + ${delta}, updated_at = now()
    WHERE user_id = ${userId}::uuid AND balance_cents + ${delta} >= 0
    RETURNING balance_cents`;
  if (rows.length === 1) return Number(rows[0]!.balance_cents);
  const wallet = await tx.wallet.findUnique({ where: { userId }, select: { balanceCents: true } });
  if (!wallet) throw new WalletNotFound(userId);
  throw new InsufficientFunds(Number(wallet.balanceCents), -delta);
}

async function writeEntry(
  tx: Tx,
  movement: Movement,
  kind: WalletEntryKind,
  balanceCents: number,
  event: EntryEvent,
  refundOfId: string | null,
): Promise<MovementOutcome> {
  const row = await tx.walletEntry.create({
    data: {
      id: uuidv7(),
      userId: movement.userId,
      kind,
      amountCents: BigInt(movement.amountCents),
      balanceAfterCents: BigInt(balanceCents),
      idempotencyKey: movement.idempotencyKey,
      reason: movement.reason ?? null,
      refundOfId,
    },
  });
  const entry = toEntry(row);
  await addToOutbox(tx, event(entry, balanceCents));
  return { entry, balanceCents, replayed: false };
}

function toEntry(row: WalletEntryRow): WalletEntry {
  return {
    id: row.id,
    kind: row.kind,
    amountCents: Number(row.amountCents),
    balanceAfterCents: Number(row.balanceAfterCents),
    idempotencyKey: row.idempotencyKey,
    reason: row.reason,
    refundOf: row.refundOfId,
    createdAt: row.createdAt.toISOString(),
  };
}

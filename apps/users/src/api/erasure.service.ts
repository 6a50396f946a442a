import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ERASURE_PARTICIPANTS } from '@polystore/manifest';
import {
  UsersEvents,
  type EraseUserRequest,
  type ErasureStatus,
  type ErasuresRepublished,
  type RepublishErasuresRequest,
  type UserErasureRequestedV1,
} from '@polystore/contracts';
import { NatsLink, RpcError, newEvent } from '@polystore/platform';
import { USERS_CONFIG, type UsersConfig } from '../config.js';
import { verifyPassword } from '../domain/password.js';
import { eraseFromUsersStream } from '../events/stream-erasure.js';
import { AccountsStore } from '../store/accounts.store.js';
import { ErasuresStore, type ErasureRequestEvent } from '../store/erasures.store.js';

const requestEvent: ErasureRequestEvent = ({ erasureId, userId }, services, attempt) =>
  newEvent<UserErasureRequestedV1>('users', UsersEvents.UserErasureRequested, { erasureId, userId, services, attempt });

/**
 * Erasing a user (right to be forgotten). users tombstones the account at once and asks every
 * service that keeps data about users (the manifest's `holdsUserData`) through the outbox; it
 * records each answer, publishes the request again to those past their deadline, removes the
 * account's personal data from its own event stream, and applies again any recorded erasure that
 * a restore brought back.
 */
@Injectable()
export class ErasureService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Erasure');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(ErasuresStore) private readonly erasures: ErasuresStore,
    @Inject(AccountsStore) private readonly accounts: AccountsStore,
    @Inject(NatsLink) private readonly nats: NatsLink,
    @Inject(USERS_CONFIG) private readonly config: UsersConfig,
  ) {}

  async erase(request: EraseUserRequest): Promise<ErasureStatus> {
    const existing = await this.erasures.status(request.userId);
    if (existing) return existing;
    if (request.requestedBy === 'self') {
      if (!request.password)
        throw RpcError.validation('enter your password to erase your account', [{ field: 'password', problems: ['password is required'] }]);
      const user = await this.accounts.findById(request.userId);
      if (!user) throw RpcError.notFound('user', { userId: request.userId });
      if (!(await verifyPassword(request.password, user.passwordHash))) throw RpcError.unauthenticated('password is wrong');
    }
    const status = await this.erasures.request(
      request.userId,
      request.requestedBy,
      ERASURE_PARTICIPANTS,
      this.config.erasureDeadlineMs,
      requestEvent,
    );
    this.logger.log(`erasure ${status.erasureId} requested (${request.requestedBy})`);
    this.wake();
    return status;
  }

  async status(userId: string): Promise<ErasureStatus> {
    const status = await this.erasures.status(userId);
    if (!status) throw RpcError.notFound('erasure', { userId });
    return status;
  }

  /** Publishes the recorded erasures of these users again to one participant (`npm run reconcile`). */
  async republish(request: RepublishErasuresRequest): Promise<ErasuresRepublished> {
    const ids = await this.erasures.republish(request.service, request.userIds, this.config.erasureDeadlineMs, requestEvent);
    if (ids.length) this.logger.warn(`${ids.length} erasure(s) published again to ${request.service} (its store held their users again)`);
    return { erasures: ids.length };
  }

  /** A participant's UserErased.v1. */
  async answered(erasureId: string, service: string, counts: Record<string, number>): Promise<void> {
    if (!(await this.erasures.answer(erasureId, service, counts))) this.logger.warn(`an answer from ${service} for unknown erasure ${erasureId}`);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), this.config.erasureCheckMs);
    this.timer.unref();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One round of the background work, never two at once. */
  private wake(): void {
    if (this.running) return;
    this.running = this.round()
      .catch((error: Error) => this.logger.warn(`erasure round failed (tried again in ${this.config.erasureCheckMs} ms): ${error.message}`))
      .finally(() => (this.running = null));
  }

  private async round(): Promise<void> {
    const now = new Date();
    const reapplied = await this.erasures.reapplyResurrected(ERASURE_PARTICIPANTS, this.config.erasureDeadlineMs, requestEvent);
    if (reapplied.length) this.logger.warn(`${reapplied.length} recorded erasure(s) applied again (their accounts were back, e.g. after a restore)`);
    for (const { erasureId, userId } of await this.erasures.usersStepDue(now)) {
      try {
        const streamMessages = await eraseFromUsersStream(this.nats.connection, userId);
        await this.erasures.usersStepDone(erasureId, streamMessages);
      } catch (error) {
        this.logger.warn(`erasure ${erasureId}: the stream's copies could not be removed yet: ${(error as Error).message}`);
        await this.erasures.usersStepLater(erasureId, this.config.erasureCheckMs);
      }
    }
    const retried = await this.erasures.retryOverdue(now, this.config.erasureDeadlineMs, requestEvent);
    for (const due of retried) this.logger.warn(`erasure ${due.erasureId}: no answer yet from ${due.services.join(', ')}; asked again`);
  }
}

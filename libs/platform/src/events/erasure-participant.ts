import { Inject, Injectable, Logger, type Provider, type Type } from '@nestjs/common';
import { ErasureEvents, UsersEvents, eventSubject, type UserErasedV1 } from '@polystore/contracts';
import type { ErasureParticipant } from '@polystore/manifest';
import { NatsLink } from '../nats/connection.js';
import { eventConsumers, type ConsumedBy, type EventHandlerSet } from './event-consumers.provider.js';
import { newEvent } from './event-factory.js';
import { NO_INBOX, type EventHandlers } from './handlers.js';
import { EventPublisher } from './publisher.js';
import { ensureEventStream } from './streams.js';

/** What an erasure asks a participant: the user, and the erasure to name in the answer. */
export interface UserErasure {
  erasureId: string;
  userId: string;
}

/**
 * A service's part in erasing a user, over its own store only: erase or anonymise every record
 * about `userId` and say how many of each kind (`{ carts: 1, checkouts: 2 }`, zeros included).
 * Must be idempotent: the request may come again (a redelivery, a retry after users' deadline),
 * and a second run finds nothing left and reports zeros.
 */
export interface UserEraser {
  erase(erasure: UserErasure): Promise<Record<string, number>>;
}

/**
 * Takes part in erasing users, for a service the manifest marks `holdsUserData`: a durable consumer
 * `<service>-erasure` of users' `UserErasureRequested.v1` runs the service's `UserEraser`, then
 * publishes `UserErased.v1` (erasure id, service, counts) on the service's own stream, which users
 * reads. Only then is the request acknowledged, so a crash in between runs the (idempotent)
 * erasure again and answers again; users takes the first answer. No outbox is needed: the answer
 * carries no state of its own that could be lost.
 *
 *   providers: [CartEraser, ...erasureParticipant({ service: 'cart', eraser: CartEraser })]
 */
export function erasureParticipant<S extends ErasureParticipant>(spec: { service: S; eraser: Type<UserEraser> }): Provider[] {
  const { service } = spec;

  @Injectable()
  class ErasureRequests implements EventHandlerSet<void> {
    private readonly logger = new Logger(`Erasure:${service}`);
    private readonly publisher: EventPublisher;
    private streamReady = false;
    /** The eraser is idempotent, so a redelivered request runs again to no effect (and is answered again). */
    readonly inbox = NO_INBOX;
    readonly handlers: EventHandlers = {
      [UsersEvents.UserErasureRequested.type]: async (event) => {
        const { erasureId, userId, services } = event.data;
        if (!services.includes(service)) return; // a retry for others: this service has answered
        const counts = await this.eraser.erase({ erasureId, userId });
        if (!this.streamReady) {
          await ensureEventStream(this.nats.connection, service);
          this.streamReady = true;
        }
        await this.publisher.publish(newEvent<UserErasedV1>(service, ErasureEvents.UserErased, { erasureId, service, counts }));
        this.logger.log(`erasure ${erasureId} done (attempt ${event.data.attempt}): ${JSON.stringify(counts)}`);
      },
    };

    constructor(
      @Inject(spec.eraser) private readonly eraser: UserEraser,
      @Inject(NatsLink) private readonly nats: NatsLink,
    ) {
      this.publisher = new EventPublisher(nats.connection, 5_000);
    }

    /** The service's stream exists from its start, as every producer's does (usage and backups read it). */
    async onApplicationBootstrap(): Promise<void> {
      await ensureEventStream(this.nats.connection, service);
      this.streamReady = true;
    }
  }

  return [
    ErasureRequests,
    eventConsumers({
      service,
      handlers: ErasureRequests,
      consumers: [
        {
          durable: `${service}-erasure`,
          // The manifest guarantees a participant consumes users (manifestProblems).
          producer: 'users' as ConsumedBy<S>,
          subjects: [eventSubject('users', UsersEvents.UserErasureRequested.type, UsersEvents.UserErasureRequested.version)],
        },
      ],
    }),
  ];
}

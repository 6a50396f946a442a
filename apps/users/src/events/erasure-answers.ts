import { Inject, Injectable } from '@nestjs/common';
import { ErasureEvents } from '@polystore/contracts';
import { NO_INBOX, type EventHandlerSet, type EventHandlers } from '@polystore/platform';
import { ErasureService } from '../api/erasure.service.js';

/** The participants' answers to an erasure (UserErased.v1 on each one's stream). */
@Injectable()
export class ErasureAnswers implements EventHandlerSet<void> {
  /** Recording an answer is idempotent (only a pending step changes), so nothing more is kept. */
  readonly inbox = NO_INBOX;

  readonly handlers: EventHandlers = {
    [ErasureEvents.UserErased.type]: async (event) => {
      await this.erasure.answered(event.data.erasureId, event.producer, event.data.counts);
    },
  };

  constructor(@Inject(ErasureService) private readonly erasure: ErasureService) {}
}

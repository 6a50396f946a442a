import { ErrorCode } from '@polystore/contracts';
import { DomainError } from '@polystore/platform';

// messaging's refusals, thrown where the rule is checked (domain/, store/); callers get their codes.

/** So many senders at once in one conversation that this send found no free seq; retrying later may succeed. */
export class ConversationBusy extends DomainError {
  constructor(conversationId: string) {
    super(ErrorCode.Conflict, 'too many messages at once in this conversation; try again', { conversationId });
  }
}

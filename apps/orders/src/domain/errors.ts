import { ErrorCode } from '@polystore/contracts';
import { DomainError } from '@polystore/platform';

// orders's refusals, thrown where the rule is checked (domain/, store/); callers get their codes.

export class ItemNotFound extends DomainError {
  constructor(id: string) {
    super(ErrorCode.NotFound, 'item not found', { id });
  }
}

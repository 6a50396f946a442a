import { ServerNats } from '@nestjs/microservices';

/**
 * Nest's NATS transport, with the handler of a message found by its subject directly. Nest's own
 * lookup first tries `JSON.parse` on the subject, for object patterns, which for a subject such as
 * `users.get-profile.v1` throws (and builds a SyntaxError with its stack) on every message; our
 * subjects are plain strings, each subscribed under exactly the pattern it was registered with.
 */
export class SubjectNatsServer extends ServerNats {
  override getHandlerByPattern(pattern: string) {
    return this.messageHandlers.get(pattern) ?? super.getHandlerByPattern(pattern);
  }
}

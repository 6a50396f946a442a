import type { Msg } from '@nats-io/transport-node';
import { NatsContext, ServerNats } from '@nestjs/microservices';
import { EndOfTurn } from './end-of-turn.js';

/**
 * Nest's NATS transport, with two changes for the cost of each request:
 *
 * - The handler of a message is found by its subject directly. Nest's own lookup first tries
 *   `JSON.parse` on the subject, for object patterns, which for a subject such as
 *   `users.get-profile.v1` throws (and builds a SyntaxError with its stack) on every message; our
 *   subjects are plain strings, each subscribed under exactly the pattern it was registered with.
 * - The replies answered during one turn of the event loop are published together at its end
 *   (EndOfTurn), so that they leave in one socket write instead of one each. The reply is
 *   serialised at once, in the handler's context (the tracing serializer reads its span).
 */
export class SubjectNatsServer extends ServerNats {
  private readonly replies = new EndOfTurn();

  override getHandlerByPattern(pattern: string) {
    return this.messageHandlers.get(pattern) ?? super.getHandlerByPattern(pattern);
  }

  override getPublisher(natsMsg: Msg, id: string, ctx: NatsContext) {
    if (!natsMsg.reply) return super.getPublisher(natsMsg, id, ctx);
    return (response: object): void => {
      const outgoing = this.serializer.serialize(Object.assign(response, { id })) as { data: string | Uint8Array; headers?: Msg['headers'] };
      this.replies.defer(() => {
        try {
          natsMsg.respond(outgoing.data, { headers: outgoing.headers });
        } catch (error) {
          // The connection closed meanwhile: the caller times out, as for any reply lost on the way.
          this.logger.warn(`reply to ${natsMsg.subject} not sent: ${(error as Error).message}`);
        }
      });
    };
  }
}

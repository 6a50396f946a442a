import { Logger } from '@nestjs/common';

const logger = new Logger('JetStreamAdmin');

/**
 * A JetStream API call that found nobody to answer in time: the server is starting, electing a
 * stream leader or too busy (a loaded machine, a cluster node restarting). Worth trying again.
 */
export function isJetStreamNotAnswering(error: unknown): boolean {
  // nats.js wraps the cause (TimeoutError, NoRespondersError) in a RequestError.
  for (
    let e = error as { name?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (e.name === 'TimeoutError' || e.name === 'NoResponders') return true;
    if (/\btimeout\b|no responders|jetstream not (enabled|available)/i.test(String(e.message))) return true;
  }
  return false;
}

export interface JetStreamAdminRetry {
  /** How long to keep trying before the error is thrown (the start then fails and says why). */
  budgetMs?: number;
  /** First pause; it doubles up to 5 s. */
  firstPauseMs?: number;
}

/**
 * Runs a JetStream set-up step (a stream or durable consumer created or updated at start),
 * trying again while JetStream does not answer, so a service starting beside a busy or restarting
 * NATS waits for it instead of exiting. Anything else (a refused permission, a bad config) throws at once.
 */
export async function withJetStreamRetry<T>(
  what: string,
  step: () => Promise<T>,
  { budgetMs = 60_000, firstPauseMs = 250 }: JetStreamAdminRetry = {},
): Promise<T> {
  const giveUpAt = Date.now() + budgetMs;
  let pause = firstPauseMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!isJetStreamNotAnswering(error) || Date.now() + pause > giveUpAt) throw error;
      logger.warn(`${what}: JetStream did not answer (${(error as Error).message}); trying again in ${pause} ms (attempt ${attempt})`);
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 5_000);
    }
  }
}

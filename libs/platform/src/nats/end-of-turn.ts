/**
 * Runs what is deferred during one turn of the event loop together, at the end of that turn
 * (setImmediate), in the order it was deferred.
 *
 * For NATS publishes: nats.js writes its outgoing buffer to the socket at the end of each microtask
 * run, which under load is once per message, since each request or reply comes from its own
 * socket read (an HTTP connection's, a database connection's). Publishing a turn's messages back to
 * back lets them leave in one write; a write to a loopback socket was the costliest single step
 * of a request in profiles under load (the kernel delivers to the reader inside the writer's call).
 * A message waits at most for the rest of the I/O callbacks of the turn it was made in.
 */
export class EndOfTurn {
  private queue: Array<() => void> = [];

  /** `fn` must not throw: a throw would skip the rest of the turn's work. */
  defer(fn: () => void): void {
    if (this.queue.length === 0) setImmediate(this.run);
    this.queue.push(fn);
  }

  private readonly run = (): void => {
    const queue = this.queue;
    this.queue = [];
    for (const fn of queue) fn();
  };
}

/**
 * Polls `read` until `check` accepts its value or the time is up; returns the last value (the
 * caller's assertions then say what was wrong). For what arrives asynchronously: events, relays.
 */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, { timeoutMs = 10_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await read();
  }
  return value;
}

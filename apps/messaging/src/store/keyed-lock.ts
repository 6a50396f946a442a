/**
 * Runs tasks for the same key one after another (different keys run freely).
 *
 * Why: FerretDB 1.x applies an update by reading the document, changing it in its own process and
 * writing it back by `_id`, with no version check, so two concurrent updates of one document can
 * lose one ($inc, $max and $push included). MongoDB applies each update atomically. Serialising the
 * updates of a document within this process keeps FerretDB correct for a single instance.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

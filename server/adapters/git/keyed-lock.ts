/**
 * Serializes async work per key with a promise chain. Git takes file locks
 * (`index.lock`, `packed-refs.lock`, `config.lock`) in a repository, so two tasks
 * fetching or adding worktrees in one mirror at once would fail rather than wait.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` once every earlier job for `key` has settled. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    // The chain must not reject, or the next job would run `work` as an error handler only.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      // Forget idle keys so the map does not grow with every repository ever seen.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

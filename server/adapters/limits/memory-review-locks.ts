import type { ReviewLocks } from "../../domain/ports/review-ports.js";

/**
 * The review locks of one process (SQLite): a pull request is held by at most one of this
 * process's runs. Another process on the same SQLite file (`npm run review`) is kept apart
 * by the run lock in the database.
 */
export function createMemoryReviewLocks(): ReviewLocks {
  const held = new Set<string>();
  return {
    forRun() {
      const mine = new Set<string>();
      return Promise.resolve({
        tryLock(repo, prNumber) {
          const key = `${repo}#${prNumber}`;
          if (mine.has(key)) return Promise.resolve(true);
          if (held.has(key)) return Promise.resolve(false);
          held.add(key);
          mine.add(key);
          return Promise.resolve(true);
        },
        release() {
          for (const key of mine) held.delete(key);
          mine.clear();
          return Promise.resolve();
        },
      });
    },
  };
}

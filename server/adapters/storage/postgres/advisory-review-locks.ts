import type pg from "pg";
import type { Logger } from "pino";
import type { ReviewLocks } from "../../../domain/ports/review-ports.js";

/**
 * The review locks of every process on one PostgreSQL: session-level advisory locks,
 * keyed by the repository's hash and the pull request's number (the two-integer form,
 * apart from the migration lock's single key). Each run holds a connection of its own
 * while it runs, so its locks end with the run, or with its process or connection,
 * whichever dies first: a crashed process never leaves a pull request locked.
 */
export function createAdvisoryReviewLocks(pool: pg.Pool, logger: Logger): ReviewLocks {
  return {
    async forRun() {
      const client = await pool.connect();
      let released = false;
      // One query at a time on the session: a run asks for all its pull requests at once.
      let queue: Promise<unknown> = Promise.resolve();
      // A lost session has already dropped its locks; the run goes on without them.
      const lost = (error: Error): void =>
        logger.warn({ err: error }, "review lock connection lost");
      client.on("error", lost);
      return {
        async tryLock(repo, prNumber) {
          const asked = queue.then(() =>
            client.query<{ locked: boolean }>(
              "select pg_try_advisory_lock(hashtext($1), $2) as locked",
              [repo, prNumber],
            ),
          );
          queue = asked.catch(() => undefined);
          return (await asked).rows[0]?.locked === true;
        },
        async release() {
          if (released) return;
          released = true;
          try {
            await queue;
            await client.query("select pg_advisory_unlock_all()");
            client.release();
          } catch (error) {
            // Destroying the session releases whatever it still held.
            client.release(error instanceof Error ? error : new Error(String(error)));
          } finally {
            // Only once the pool has the client back (and its own error listener on it): a
            // checked-out client whose session dies emits "error", and with no listener
            // that would crash the process.
            client.off("error", lost);
          }
        },
      };
    },
  };
}

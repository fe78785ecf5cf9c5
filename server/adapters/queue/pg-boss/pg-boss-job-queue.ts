import PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { JobQueueStats, QueueCounts } from "../../../../shared/service-status.js";
import type { JobQueue, TaskRunWorker } from "../../../domain/ports/job-queue.js";
import { TaskRunFetcher } from "./task-run-fetcher.js";

/** The queues Patchboard keeps in pg-boss. */
export const QUEUES = {
  taskRun: "patchboard-task-run",
  deadTaskRun: "patchboard-task-run-dead",
  reviewRun: "patchboard-review-run",
} as const;

/** pg-boss's tables live in a schema of their own, beside Patchboard's. */
export const PG_BOSS_SCHEMA = "pgboss";

/** How task runs are retried before they are dead-lettered, and how long one may stay active. */
export interface TaskRunRetries {
  /** Retries after the first attempt (default 3). */
  retryLimit?: number;
  /** Seconds before the first retry, doubled (with jitter) each time (default 10). */
  retryDelaySeconds?: number;
  /**
   * How long a job may stay handed out before pg-boss fails it (and retries it): longer than
   * any run, since the job completes when the run ends (default 4 hours). A worker that died
   * holding a job loses its task to the lease sweep long before; the late retry finds the
   * task no longer queued and completes at once.
   */
  expireInSeconds?: number;
}

/** Everything {@link startPgBossJobQueue} needs. */
export interface PgBossJobQueueOptions extends TaskRunRetries {
  /** The DATABASE_URL the rest of Patchboard uses. */
  url: string;
  logger: Logger;
  /** How often a worker looks for jobs when not woken (default 1 s; pg-boss's minimum is 0.5 s). */
  pollMs?: number;
  /** pg-boss's own connections (default 3: fetching, completing, maintenance). */
  poolSize?: number;
}

const DEFAULT_RETRY_LIMIT = 3;
const DEFAULT_RETRY_DELAY_SECONDS = 10;
const DEFAULT_EXPIRE_SECONDS = 4 * 60 * 60;
const DEFAULT_POLL_MS = 1000;
/** A review run may take hours; one that fails is not retried (the next tick runs again). */
const REVIEW_EXPIRE_SECONDS = 6 * 60 * 60;

/**
 * Starts one pg-boss instance on the database (installing or upgrading its schema under its
 * own lock) and creates Patchboard's queues: task runs (`short` policy, singleton key the
 * task id, retried with backoff, then dead-lettered), their dead letters, and review runs.
 * This folder is the only one that imports pg-boss.
 */
export async function startPgBossJobQueue(options: PgBossJobQueueOptions): Promise<JobQueue> {
  const { logger } = options;
  const pollSeconds = (options.pollMs ?? DEFAULT_POLL_MS) / 1000;
  const boss = new PgBoss({
    connectionString: options.url,
    schema: PG_BOSS_SCHEMA,
    max: options.poolSize ?? 3,
    application_name: "patchboard-pg-boss",
  });
  // pg-boss reports background failures (maintenance, a lost connection) as events; an
  // unheard `error` event would crash the process.
  boss.on("error", (error) => logger.error({ err: error }, "job queue error"));
  await boss.start();
  // `short`, not `stately`: stately lets one job wait while one of the same task is active,
  // but fetching that waiting job fails pg-boss's unique index for as long as the active one
  // lives, and pg-boss answers a failed fetch with no jobs at all, so one busy task would
  // stall the whole queue. `short` keeps one waiting job per task; a second active one is
  // harmless, since the run's claim decides who runs a task.
  await ensureQueues(boss, [
    { name: QUEUES.deadTaskRun, policy: "standard", retryLimit: 0 },
    {
      name: QUEUES.taskRun,
      policy: "short",
      retryLimit: options.retryLimit ?? DEFAULT_RETRY_LIMIT,
      retryDelay: options.retryDelaySeconds ?? DEFAULT_RETRY_DELAY_SECONDS,
      retryBackoff: true,
      expireInSeconds: options.expireInSeconds ?? DEFAULT_EXPIRE_SECONDS,
      deadLetter: QUEUES.deadTaskRun,
    },
    {
      name: QUEUES.reviewRun,
      policy: "short",
      retryLimit: 0,
      expireInSeconds: REVIEW_EXPIRE_SECONDS,
    },
  ]);
  let fetcher: TaskRunFetcher | null = null;
  let closed: Promise<void> | undefined;
  return {
    async sendTaskRun(taskId) {
      await boss.send(QUEUES.taskRun, { taskId }, { singletonKey: taskId });
      fetcher?.wake();
    },
    async workTaskRuns(worker: TaskRunWorker) {
      if (fetcher !== null) return;
      fetcher = new TaskRunFetcher({
        boss,
        queue: QUEUES.taskRun,
        worker,
        logger,
        pollMs: pollSeconds * 1000,
      });
      fetcher.start();
      await boss.work<{ taskId?: unknown }>(
        QUEUES.deadTaskRun,
        { pollingIntervalSeconds: pollSeconds, includeMetadata: true },
        async ([job]) => {
          const taskId = job?.data.taskId;
          if (typeof taskId !== "string") return;
          await worker.handleDead(taskId, (job?.retryLimit ?? 0) + 1);
        },
      );
    },
    wake() {
      fetcher?.wake();
    },
    async workReviewSchedule(cron, timeZone, run) {
      // One schedule row per name: every process that calls this upserts the same one, and
      // pg-boss's clock sends one job per tick for the whole cluster.
      await boss.schedule(QUEUES.reviewRun, cron, {}, { tz: timeZone });
      await boss.work(QUEUES.reviewRun, { pollingIntervalSeconds: Math.max(pollSeconds, 5) }, run);
    },
    async stats(): Promise<JobQueueStats> {
      const { rows } = await boss.getDb().executeSql(
        `SELECT name, state::text AS state, count(*)::int AS n FROM ${PG_BOSS_SCHEMA}.job
            WHERE name = ANY($1) AND state < 'completed' GROUP BY name, state`,
        [Object.values(QUEUES)],
      );
      const counts = (name: string): QueueCounts => {
        const of = (state: string) =>
          (rows as { name: string; state: string; n: number }[]).find(
            (row) => row.name === name && row.state === state,
          )?.n ?? 0;
        return { waiting: of("created"), active: of("active"), retrying: of("retry") };
      };
      return {
        taskRuns: counts(QUEUES.taskRun),
        deadTaskRuns: counts(QUEUES.deadTaskRun),
        reviewRuns: counts(QUEUES.reviewRun),
      };
    },
    async stopWork() {
      await fetcher?.stop();
      await boss.offWork(QUEUES.deadTaskRun);
      await boss.offWork(QUEUES.reviewRun);
    },
    close() {
      closed ??= (async () => {
        await fetcher?.stop();
        // Jobs still in a handler (a review run) are failed by pg-boss, to be retried elsewhere.
        await boss.stop({ graceful: false, close: true });
      })();
      return closed;
    },
  };
}

/**
 * Creates the queues (pg-boss ignores a second create) and applies the current settings.
 * Processes starting together would deadlock in pg-boss's `create_queue` (each attaches a
 * partition to the job table), so the creates run in one transaction under a lock of ours.
 */
async function ensureQueues(boss: PgBoss, queues: PgBoss.Queue[]): Promise<void> {
  const creates = queues.map(
    ({ name, ...settings }) =>
      `SELECT ${PG_BOSS_SCHEMA}.create_queue(${literal(name)}, ${literal(JSON.stringify(settings))}::json)`,
  );
  // Several statements in one simple query are one implicit transaction: the lock holds to its end.
  await boss
    .getDb()
    .executeSql(
      [`SELECT pg_advisory_xact_lock(hashtext('patchboard-pg-boss-queues'))`, ...creates].join(
        ";\n",
      ),
      [],
    );
  for (const queue of queues) await boss.updateQueue(queue.name, queue);
}

/** A SQL string literal of our own constants (queue names, their JSON settings). */
function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

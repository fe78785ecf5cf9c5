import type { Selectable } from "kysely";
import type {
  FollowUpRound,
  PullRequestState,
  PullRequestStore,
  RoundTrigger,
  TrackedPullRequest,
  WebhookDeliveryStore,
} from "../../domain/ports/pull-request-store.js";
import type { Database } from "./database.js";

/** The `pull_requests` table (migration 0006): one row per task that opened one. */
export interface PullRequestsTable {
  task_id: string;
  /** Lower-cased `owner/name`: GitHub's names are case-insensitive. */
  repo: string;
  number: number;
  url: string;
  branch: string;
  state: PullRequestState;
  draft: number;
  head_sha: string | null;
  opened_at: string;
  merged_at: string | null;
  closed_at: string | null;
  ci_rounds: number;
  review_rounds: number;
  automation_stopped: string | null;
  first_ci_green: number | null;
}

/** The `follow_up_rounds` table (migration 0006). */
export interface FollowUpRoundsTable {
  task_id: string;
  round_key: string;
  trigger: RoundTrigger;
  actor: string | null;
  head_sha: string | null;
  at: string;
}

/** The `webhook_deliveries` table (migration 0006). */
export interface WebhookDeliveriesTable {
  source: string;
  delivery_id: string;
  event: string;
  received_at: string;
}

/** The tables of migration 0006, added to the task schema's kysely with `withTables`. */
export type PullRequestTables = {
  pull_requests: PullRequestsTable;
  follow_up_rounds: FollowUpRoundsTable;
  webhook_deliveries: WebhookDeliveriesTable;
};

const bit = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

function toTracked(row: Selectable<PullRequestsTable>): TrackedPullRequest {
  return {
    taskId: row.task_id,
    repo: row.repo,
    number: Number(row.number),
    url: row.url,
    branch: row.branch,
    state: row.state,
    draft: Number(row.draft) === 1,
    headSha: row.head_sha,
    openedAt: row.opened_at,
    mergedAt: row.merged_at,
    closedAt: row.closed_at,
    ciRounds: Number(row.ci_rounds),
    reviewRounds: Number(row.review_rounds),
    automationStopped: row.automation_stopped,
    firstCiGreen: row.first_ci_green === null ? null : Number(row.first_ci_green) === 1,
  };
}

/** The PullRequestStore over a {@link Database}. */
export function createPullRequestStore(db: Database): PullRequestStore {
  const kysely = db.kysely.withTables<PullRequestTables>();
  const one = async (
    where: (q: ReturnType<typeof select>) => ReturnType<typeof select>,
  ): Promise<TrackedPullRequest | null> => {
    const row = await where(select()).orderBy("opened_at", "desc").executeTakeFirst();
    return row === undefined ? null : toTracked(row);
  };
  const select = () => kysely.selectFrom("pull_requests").selectAll();

  return {
    async recordPush(input) {
      const values = {
        repo: input.repo.toLowerCase(),
        number: input.number,
        url: input.url,
        branch: input.branch,
        draft: input.draft ? 1 : 0,
      };
      await kysely.transaction().execute(async (trx) => {
        const found = await trx
          .selectFrom("pull_requests")
          .select("task_id")
          .where("task_id", "=", input.taskId)
          .executeTakeFirst();
        if (found === undefined) {
          await trx
            .insertInto("pull_requests")
            .values({
              task_id: input.taskId,
              ...values,
              state: "open",
              head_sha: input.headSha,
              opened_at: input.at,
              merged_at: null,
              closed_at: null,
              ci_rounds: 0,
              review_rounds: 0,
              automation_stopped: null,
              first_ci_green: null,
            })
            .execute();
        } else {
          await trx
            .updateTable("pull_requests")
            .set({ ...values, ...(input.headSha === null ? {} : { head_sha: input.headSha }) })
            .where("task_id", "=", input.taskId)
            .execute();
        }
      });
      const tracked = await one((q) => q.where("task_id", "=", input.taskId));
      if (tracked === null) throw new Error(`pull request of ${input.taskId} not recorded`);
      return tracked;
    },

    find: (repo, number) =>
      one((q) => q.where("repo", "=", repo.toLowerCase()).where("number", "=", number)),

    findByBranch: (repo, branch) =>
      one((q) => q.where("repo", "=", repo.toLowerCase()).where("branch", "=", branch)),

    findByHeadSha: (repo, sha) =>
      one((q) => q.where("repo", "=", repo.toLowerCase()).where("head_sha", "=", sha)),

    forTask: (taskId) => one((q) => q.where("task_id", "=", taskId)),

    async listOpen() {
      const rows = await select().where("state", "=", "open").orderBy("opened_at").execute();
      return rows.map(toTracked);
    },

    async update(taskId, patch) {
      const set: Partial<PullRequestsTable> = {};
      if (patch.state !== undefined) set.state = patch.state;
      if (patch.draft !== undefined) set.draft = patch.draft ? 1 : 0;
      if (patch.mergedAt !== undefined) set.merged_at = patch.mergedAt;
      if (patch.closedAt !== undefined) set.closed_at = patch.closedAt;
      if (patch.automationStopped !== undefined) set.automation_stopped = patch.automationStopped;
      if (patch.firstCiGreen !== undefined) set.first_ci_green = bit(patch.firstCiGreen);
      if (Object.keys(set).length === 0) return;
      await kysely.updateTable("pull_requests").set(set).where("task_id", "=", taskId).execute();
    },

    async claimRound(round: FollowUpRound) {
      try {
        await kysely.transaction().execute(async (trx) => {
          await trx
            .insertInto("follow_up_rounds")
            .values({
              task_id: round.taskId,
              round_key: round.key,
              trigger: round.trigger,
              actor: round.actor,
              head_sha: round.headSha,
              at: round.at,
            })
            .execute();
          const counter = round.trigger === "ci" ? "ci_rounds" : "review_rounds";
          await trx
            .updateTable("pull_requests")
            .set((eb) => ({ [counter]: eb(counter, "+", 1) }))
            .where("task_id", "=", round.taskId)
            .execute();
        });
        return true;
      } catch (error) {
        if (db.dialect.isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async rounds(taskId) {
      const rows = await kysely
        .selectFrom("follow_up_rounds")
        .selectAll()
        .where("task_id", "=", taskId)
        .orderBy("at")
        .execute();
      return rows.map((row) => ({
        taskId: row.task_id,
        trigger: row.trigger,
        actor: row.actor,
        headSha: row.head_sha,
        key: row.round_key,
        at: row.at,
      }));
    },
  };
}

/** The WebhookDeliveryStore over a {@link Database}: the primary key refuses a replay. */
export function createWebhookDeliveryStore(db: Database): WebhookDeliveryStore {
  const kysely = db.kysely.withTables<PullRequestTables>();
  return {
    async claim(input) {
      try {
        await kysely
          .insertInto("webhook_deliveries")
          .values({
            source: input.source,
            delivery_id: input.id,
            event: input.event,
            received_at: input.at,
          })
          .execute();
        return true;
      } catch (error) {
        if (db.dialect.isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async release(source, id) {
      await kysely
        .deleteFrom("webhook_deliveries")
        .where("source", "=", source)
        .where("delivery_id", "=", id)
        .execute();
    },
  };
}

import { sql } from "kysely";
import type { PullRequestFigures } from "../../shared/stats.js";
import type { Database, TaskFilters } from "../../server/adapters/storage/index.js";
import type { PullRequestStats } from "../../server/adapters/storage/database.js";
import { pullRequestRollupsMigration } from "../../server/adapters/storage/migrations/0016-pull-request-rollups.js";
import { postgresStorageDialect } from "../../server/adapters/storage/postgres/postgres-dialect.js";
import { pullRequestRollupsAnswer } from "../../server/adapters/storage/postgres/postgres-pull-request-rollups.js";
import {
  summarizePostgresPullRequests,
  summarizePullRequestsExactly,
} from "../../server/adapters/storage/postgres/postgres-pull-request-stats.js";
import { openTestPostgres } from "../support/postgres-database.js";
import { afterMigrating, generator, rowVersions } from "../support/rollup-fixtures.js";

/** Tasks' repositories; the pull request's is lower-cased, so `Acme/Calc` differs. */
const REPOS = ["acme/web", "acme/api", "Acme/Calc"];
const DAY = 86_400_000;
/** Ten days from Wednesday 2026-02-25: across February/March and the ISO week of 03-02. */
const FIRST_DAY = Date.parse("2026-02-25T00:00:00.000Z");

/** The repository filters the rollups answer, and one matching nothing. */
const FILTERS: TaskFilters[] = [
  {},
  { repo: "acme/api" },
  { repo: "Acme/Calc" },
  { repo: "acme/calc" },
  { repo: "nobody/none" },
];

/** An ISO time with microseconds, as seeded or imported rows may carry. */
const iso = (ms: number, micros = 0) =>
  new Date(ms)
    .toISOString()
    .replace("Z", micros === 0 ? "Z" : `${String(micros).padStart(3, "0")}Z`);

/**
 * Inserts `count` tasks and, for about 70 % of them, a pull request, each in one
 * statement: open, merged (some without `merged_at`) or closed, CI verdicts or none,
 * durations from 0 ms to hours, some opened "before" their task (clamped to 0 ms).
 */
async function insertPullRequests(db: Database, random: () => number, count: number, from: number) {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const duration = () =>
    random() < 0.15 ? pick([0, 1, 2, 250, 1000, -5000]) : Math.floor(Math.exp(random() * 16));
  const tasks = [];
  const prs = [];
  for (let k = 0; k < count; k += 1) {
    const id = `task-${from + k}`;
    const created = FIRST_DAY + Math.floor(random() * 10 * DAY);
    const repo = pick(REPOS);
    tasks.push(sql`(${id}, 'fix', ${repo}, 'completed', 'done', 'main', 'pr_opened',
      'ann@x.test', ${iso(created, Math.floor(random() * 1000))}::timestamptz,
      ${iso(created)}::timestamptz, ${Math.floor(random() * 100_000)},
      ${Math.floor(random() * 50_000)}, ${Math.floor(random() * 20_000)})`);
    if (random() < 0.3) continue;
    const opened = created + duration();
    const state = pick(["open", "merged", "merged", "closed"]);
    const merged = state === "merged" && random() < 0.9 ? iso(opened + duration()) : null;
    prs.push(sql`(${id}, ${repo.toLowerCase()}, ${from + k}, 'https://github.test/pr',
      ${`codex/${id}`}, ${state}, 0, ${iso(opened, random() < 0.3 ? 417 : 0)}, ${merged},
      ${state === "closed" ? iso(opened + DAY) : null}, ${Math.floor(random() * 4)},
      ${Math.floor(random() * 3)}, ${pick([null, 0, 1, 1])})`);
  }
  await sql`insert into tasks (id, kind, repo, status, phase, base_branch, outcome, created_by,
    created_at, updated_at, input_tokens, cached_input_tokens, output_tokens)
    values ${sql.join(tasks)}`.execute(db.kysely);
  await sql`insert into pull_requests (task_id, repo, number, url, branch, state, draft,
    opened_at, merged_at, closed_at, ci_rounds, review_rounds, first_ci_green)
    values ${sql.join(prs)}`.execute(db.kysely);
}

/** Every group of the figures, with its kind in the key. */
const groupsOf = (stats: PullRequestStats): Array<[string, PullRequestFigures]> => [
  ["total", stats.total],
  ...(["days", "weeks", "months", "repos"] as const).flatMap((kind) =>
    stats[kind].map((g): [string, PullRequestFigures] => [`${kind}/${g.key}`, g]),
  ),
];

/** Within the histogram's bucket width (e^0.1 - 1 ≈ 10.5 %) of the exact median. */
function expectNear(estimate: number | null, exact: number | null, what: string): void {
  if (exact === null) {
    expect(estimate, what).toBeNull();
    return;
  }
  expect(estimate, what).not.toBeNull();
  expect(Math.abs(estimate! - exact), `${what}: ${estimate} vs ${exact}`).toBeLessThanOrEqual(
    0.11 * exact,
  );
}

/**
 * Holds the rollups' figures (forced: no exact threshold) to the exact query's for every
 * filter: counts, rates and sums equal, medians within a bucket. Returns how many
 * medians differed at all, so a test can tell the rollups really answered.
 */
async function expectRollupsAgree(db: Database): Promise<number> {
  let estimated = 0;
  for (const filters of FILTERS) {
    const exact = await db.kysely
      .transaction()
      .execute((trx) => summarizePullRequestsExactly(trx, filters));
    const rolled = await summarizePostgresPullRequests(db.kysely, filters, { exactUpTo: 0 });
    const withoutMedians = (stats: PullRequestStats) =>
      groupsOf(stats).map(([key, g]) => [
        key,
        {
          ...g,
          medianClickToPrMs: g.medianClickToPrMs !== null,
          medianPrToMergeMs: g.medianPrToMergeMs !== null,
        },
      ]);
    expect(withoutMedians(rolled), JSON.stringify(filters)).toEqual(withoutMedians(exact));
    const exactGroups = new Map(groupsOf(exact));
    for (const [key, figures] of groupsOf(rolled)) {
      const truth = exactGroups.get(key)!;
      const what = `${JSON.stringify(filters)} ${key}`;
      expectNear(figures.medianClickToPrMs, truth.medianClickToPrMs, `${what} click`);
      expectNear(figures.medianPrToMergeMs, truth.medianPrToMergeMs, `${what} merge`);
      if (figures.medianClickToPrMs !== truth.medianClickToPrMs) estimated += 1;
    }
  }
  return estimated;
}

/** The rollup rows that count something, in key order. */
async function rollupRows(db: Database | { kysely: Database["kysely"] }) {
  const { rows: counts } = await sql`select * from pull_request_rollups
    where (pull_requests, merged, closed, verdicts, green, rounds, input_tokens,
      cached_input_tokens, output_tokens) <> (0, 0, 0, 0, 0, 0, 0, 0, 0)
    order by day, repo, task_repo`.execute(db.kysely);
  const histogram = async (table: string, keys: string) =>
    (
      await sql`select * from ${sql.table(table)} where pull_requests <> 0
        order by ${sql.raw(keys)}`.execute(db.kysely)
    ).rows;
  return {
    counts,
    durations: await histogram(
      "pull_request_duration_rollups",
      "day, repo, task_repo, kind, bucket",
    ),
    days: await histogram("pull_request_day_durations", "day, kind, bucket"),
    repos: await histogram("pull_request_repo_durations", "repo, task_repo, kind, bucket"),
  };
}

/**
 * Holds the trigger-kept rollups to a fresh backfill of the same rows: the migration
 * undone and redone (its backfill included), in a transaction rolled back afterwards.
 */
async function expectBackfillAgrees(db: Database): Promise<void> {
  const kept = await rollupRows(db);
  expect(kept.counts.length).toBeGreaterThan(0);
  const fresh = await db.kysely.connection().execute(async (conn) => {
    await sql`begin`.execute(conn);
    try {
      const migration = pullRequestRollupsMigration(postgresStorageDialect);
      await migration.down!(conn);
      await migration.up(conn);
      return await rollupRows({ kysely: conn });
    } finally {
      await sql`rollback`.execute(conn);
    }
  });
  expect(kept).toEqual(fresh);
}

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe("History's pull request figures from the PostgreSQL rollups", () => {
  it("agree with the exact query after inserts, state, round, token and task changes, and deletes", async () => {
    db = await openTestPostgres();
    const random = generator(16);
    await insertPullRequests(db, random, 400, 0);
    const all = await summarizePostgresPullRequests(db.kysely, {}, { exactUpTo: 0 });
    expect(all.total.opened).toBeGreaterThan(250);
    expect(all.months.map((m) => m.key)).toEqual(["2026-02", "2026-03"]);
    expect(all.weeks.map((w) => w.key)).toContain("2026-03-02");
    expect(all.repos.map((r) => r.key)).toEqual(["acme/api", "acme/calc", "acme/web"]);
    expect(await expectRollupsAgree(db)).toBeGreaterThan(0);
    await expectBackfillAgrees(db);

    // Open ones merging (some without a time), CI verdicts arriving, rounds counted.
    await sql`update pull_requests set state = 'merged',
      merged_at = case when number % 5 = 0 then null
        else to_char(opened_at::timestamptz + interval '3 hours', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      end
      where state = 'open' and number % 2 = 0`.execute(db.kysely);
    await sql`update pull_requests set first_ci_green = 0, ci_rounds = ci_rounds + 1
      where first_ci_green is null and repo = 'acme/web'`.execute(db.kysely);
    await sql`update pull_requests set review_rounds = review_rounds + 2
      where number % 7 = 0`.execute(db.kysely);
    // Merged pull requests' tasks using more tokens; tasks created earlier and moved.
    await sql`update tasks set input_tokens = input_tokens + 11, output_tokens = 3
      where id in (select task_id from pull_requests where state = 'merged' and number % 3 = 0)`.execute(
      db.kysely,
    );
    await sql`update tasks set cached_input_tokens = cached_input_tokens + 5
      where id in (select task_id from pull_requests where state = 'merged' and number % 3 = 1)`.execute(
      db.kysely,
    );
    await sql`update tasks set created_at = created_at - interval '5 hours'
      where repo = 'acme/api'`.execute(db.kysely);
    await sql`update tasks set repo = 'acme/web' where id = 'task-7'`.execute(db.kysely);
    expect(await expectRollupsAgree(db)).toBeGreaterThan(0);
    await expectBackfillAgrees(db);

    // A pull request deleted; tasks deleted with and without theirs (the cascade).
    await sql`delete from pull_requests where number in (1, 2, 3)`.execute(db.kysely);
    await sql`delete from tasks where id in (select task_id from pull_requests
      where state = 'merged' and number % 4 = 0)`.execute(db.kysely);
    await sql`delete from tasks where id not in (select task_id from pull_requests)
      and id < 'task-2'`.execute(db.kysely);
    await insertPullRequests(db, random, 120, 400);
    expect(await expectRollupsAgree(db)).toBeGreaterThan(0);
    await expectBackfillAgrees(db);
  });

  it("stay right when writers on several connections hit the same rollup rows at once", async () => {
    db = await openTestPostgres({ poolSize: 4 });
    const random = generator(5);
    await Promise.all(
      Array.from({ length: 8 }, (_, batch) => insertPullRequests(db!, random, 40, batch * 40)),
    );
    await Promise.all(
      ["acme/web", "acme/api", "acme/calc"].map((repo) =>
        sql`update pull_requests set state = 'closed', ci_rounds = ci_rounds + 1
          where repo = ${repo} and state = 'open'`.execute(db!.kysely),
      ),
    );
    await expectRollupsAgree(db);
    await expectBackfillAgrees(db);
  });

  it("writes nothing to the rollups for task updates that change no rolled-up field", async () => {
    db = await openTestPostgres();
    await insertPullRequests(db, generator(8), 60, 0);
    const snapshot = () =>
      rowVersions(db!.kysely, [
        "pull_request_rollups",
        "pull_request_duration_rollups",
        "pull_request_day_durations",
        "pull_request_repo_durations",
      ]);
    const before = await snapshot();
    await sql`update tasks set last_event_seq = last_event_seq + 1, phase = 'x'`.execute(db.kysely);
    await sql`update pull_requests set head_sha = 'b', automation_stopped = 'x'`.execute(db.kysely);
    expect(await snapshot()).toEqual(before);
  });

  it("backfills the pull requests already there when the migration runs", async () => {
    const old = await openTestPostgres({ migrateTo: "0015-agent-slot-leases" });
    db = old;
    await insertPullRequests(db, generator(99), 200, 0);
    await afterMigrating(old, async (upgraded) => {
      await expectRollupsAgree(upgraded);
      await expectBackfillAgrees(upgraded);
    });
  });

  it("are exact up to the threshold, and leave every filter but the repository to the exact query", async () => {
    db = await openTestPostgres();
    await insertPullRequests(db, generator(3), 100, 0);
    const exact = await db.kysely
      .transaction()
      .execute((trx) => summarizePullRequestsExactly(trx, {}));
    expect(await summarizePostgresPullRequests(db.kysely, {})).toEqual(exact);
    expect(await summarizePostgresPullRequests(db.kysely, {}, { exactUpTo: 0 })).not.toEqual(exact);
    expect(pullRequestRollupsAnswer({})).toBe(true);
    expect(pullRequestRollupsAnswer({ repo: "acme/web", status: undefined })).toBe(true);
    for (const filters of [
      { status: "completed" as const },
      { createdBy: "ann@x.test" },
      { outcome: "pr_opened" as const },
      { ticketKey: "X-1" },
      { from: "2026-03-01T00:00:00.000Z" },
      { to: "2026-03-01T00:00:00.000Z" },
    ]) {
      expect(pullRequestRollupsAnswer(filters), JSON.stringify(filters)).toBe(false);
    }
  });
});

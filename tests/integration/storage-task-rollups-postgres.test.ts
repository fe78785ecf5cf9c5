import { sql } from "kysely";
import type { Database, TaskFilters } from "../../server/adapters/storage/index.js";
import { rollupFilters } from "../../server/adapters/storage/postgres/postgres-task-rollups.js";
import {
  assembleTaskStats,
  summarizePostgresTasks,
  summarizeTasksExactly,
} from "../../server/adapters/storage/postgres/postgres-task-stats.js";
import { openTestPostgres } from "../support/postgres-database.js";
import { afterMigrating, generator, rowVersions } from "../support/rollup-fixtures.js";

const REPOS = ["acme/web", "acme/api", "acme/calc"];
const PEOPLE = ["ann@x.test", "bob@x.test", "cy@x.test", "dee@x.test"];
const STATUSES = ["queued", "running", "completed", "completed", "failed", "cancelled"];
const OUTCOMES = ["pr_opened", "no_changes", "answered", null];
const DAY = 86_400_000;
const FIRST_DAY = Date.parse("2026-03-01T00:00:00.000Z");

/** Every filter the rollups answer, alone and combined. */
const FILTERS: TaskFilters[] = [
  {},
  { status: "completed" },
  { status: "failed" },
  { status: "queued" },
  { outcome: "pr_opened" },
  { repo: "acme/api" },
  { createdBy: "bob@x.test" },
  { from: "2026-03-03T00:00:00.000Z", to: "2026-03-07T00:00:00.000Z" },
  { from: "2026-03-05T00:00:00.000Z", status: "cancelled" },
  { to: "2026-03-04T00:00:00.000Z", status: "completed" },
  { repo: "acme/web", createdBy: "ann@x.test", from: "2026-03-02T00:00:00.000Z" },
  { repo: "nobody/none" },
];

/** Inserts `count` tasks over ten days in one statement, drawn from `random`. */
async function insertTasks(db: Database, random: () => number, count: number, from: number) {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const rows = Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const created = FIRST_DAY + Math.floor(random() * 10 * DAY);
    const status = pick(STATUSES);
    const ended = !["queued", "running"].includes(status);
    // Durations from 0 ms to an hour, some repeated (ties), some never started.
    const duration =
      random() < 0.2 ? pick([0, 250, 1000, 60_000]) : Math.floor(Math.exp(random() * 15));
    const started = random() < 0.1 || status === "queued" ? null : created + 1000;
    const finished = ended && started !== null ? started + duration : null;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return sql`(${`task-${i}`}, 'fix', ${pick(REPOS)}, ${status}, 'done', 'main',
      ${status === "completed" ? pick(OUTCOMES) : null}, ${pick(PEOPLE)},
      ${iso(created)}::timestamptz, ${iso(started)}::timestamptz, ${iso(finished)}::timestamptz,
      ${iso(created)}::timestamptz, ${Math.floor(random() * 100_000)},
      ${Math.floor(random() * 50_000)}, ${Math.floor(random() * 20_000)})`;
  });
  await sql`insert into tasks (id, kind, repo, status, phase, base_branch, outcome, created_by,
    created_at, started_at, finished_at, updated_at, input_tokens, cached_input_tokens,
    output_tokens) values ${sql.join(rows)}`.execute(db.kysely);
}

/** Holds the rollups' summary to the exact one over `tasks`, for every filter. */
async function expectRollupsAgree(db: Database): Promise<void> {
  for (const filters of FILTERS) {
    expect(rollupFilters(filters), JSON.stringify(filters)).not.toBeNull();
    const exact = assembleTaskStats(await summarizeTasksExactly(db.kysely, filters));
    expect(await summarizePostgresTasks(db.kysely, filters), JSON.stringify(filters)).toEqual(
      exact,
    );
  }
}

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe("History's summary from the PostgreSQL rollups", () => {
  it("agrees with the exact query after inserts, status and token updates, and deletes", async () => {
    db = await openTestPostgres();
    const random = generator(15);
    await insertTasks(db, random, 300, 0);
    await insertTasks(db, random, 1, 300);
    const all = await summarizePostgresTasks(db.kysely, {});
    expect(all.total).toBe(301);
    expect(all.days).toHaveLength(10);
    expect(all.medianDurationMs).not.toBeNull();
    await expectRollupsAgree(db);

    // Tasks finishing, and finished ones changing their minds (one statement each).
    await sql`update tasks set status = 'completed', outcome = 'no_changes',
      started_at = created_at, finished_at = created_at + interval '42 seconds'
      where status = 'running'`.execute(db.kysely);
    await sql`update tasks set status = 'failed', outcome = null
      where id in ('task-3', 'task-10', 'task-11', 'task-12')`.execute(db.kysely);
    await sql`update tasks set input_tokens = input_tokens + 7, output_tokens = 0
      where repo = 'acme/calc'`.execute(db.kysely);
    await sql`update tasks set created_at = created_at - interval '1 day'
      where id = 'task-40'`.execute(db.kysely);
    await expectRollupsAgree(db);

    await sql`delete from tasks where created_by = 'dee@x.test' and status = 'failed'`.execute(
      db.kysely,
    );
    await sql`delete from tasks where id = 'task-5'`.execute(db.kysely);
    await expectRollupsAgree(db);
  });

  it("stays right when writers on several connections hit the same rollup rows at once", async () => {
    db = await openTestPostgres({ poolSize: 4 });
    const random = generator(3);
    // Each batch on its own pooled connection; three repositories and four people over
    // ten days make them share keys.
    await Promise.all(
      Array.from({ length: 12 }, (_, batch) => insertTasks(db!, random, 40, batch * 40)),
    );
    await Promise.all(
      ["acme/web", "acme/api", "acme/calc"].map((repo) =>
        sql`update tasks set status = 'cancelled', outcome = null, input_tokens = 1
          where repo = ${repo} and status in ('queued', 'running')`.execute(db!.kysely),
      ),
    );
    expect((await summarizePostgresTasks(db.kysely, {})).total).toBe(480);
    await expectRollupsAgree(db);
  });

  it("writes nothing to the rollups for updates that change no rolled-up field", async () => {
    db = await openTestPostgres();
    await insertTasks(db, generator(7), 50, 0);
    const snapshot = () =>
      rowVersions(db!.kysely, ["task_rollups", "task_duration_rollups", "task_day_rollups"]);
    const before = await snapshot();
    await sql`update tasks set last_event_seq = last_event_seq + 1, phase = 'x'`.execute(db.kysely);
    expect(await snapshot()).toEqual(before);
  });

  it("backfills the rows already there when the migration runs", async () => {
    const old = await openTestPostgres({ migrateTo: "0013-turn-checkpoints" });
    db = old;
    await insertTasks(db, generator(99), 200, 0);
    await afterMigrating(old, expectRollupsAgree);
  });

  it("leaves a ticket or a time inside a day to the exact query", () => {
    expect(rollupFilters({ ticketKey: "X-1" })).toBeNull();
    expect(rollupFilters({ from: "2026-03-03T12:00:00.000Z" })).toBeNull();
    expect(rollupFilters({ to: "2026-03-03T00:00:00.001Z" })).toBeNull();
    // A UTC midnight written in another offset is still a day boundary.
    expect(rollupFilters({ from: "2026-03-03T02:00:00+02:00" })).toEqual(
      expect.objectContaining({ fromDay: "2026-03-03" }),
    );
  });
});

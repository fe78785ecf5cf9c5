import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import {
  MIGRATION_NAMES,
  createSessionStore,
  createTaskStore,
  openSqliteDatabase,
} from "../../server/adapters/storage/index.js";
import type { SqliteDatabase } from "../../server/adapters/storage/index.js";
import { newFixTask } from "../support/task-store-contract.js";

const logger = pino({ level: "silent" });
const TASK_ID = "11111111-1111-4111-8111-111111111111";
const PROMPT_TASK_ID = "33333333-3333-4333-8333-333333333333";
/** The migration that added sessions' last-seen time, and the time its fixture stores. */
const LAST_SEEN_MIGRATION = "0012-session-last-seen";
const OLD_SESSION_SEEN = "2024-01-02T00:00:00.000Z";
const OLD_SNAPSHOT = {
  key: "OLD-1",
  url: "https://jira.example/browse/OLD-1",
  summary: "Totals are off by one cent",
  description: "d",
  status: "Done",
  priority: null,
  reporter: null,
  labels: [],
  comments: [],
};

/**
 * Rows written with the raw SQL of each schema version, the way a real database of
 * that version would hold them. Adding migration N means adding the fixture for
 * schema N here; the loop below then upgrades a database made by each older schema.
 */
const FIXTURES: Record<string, (db: SqliteDatabase) => void> = {
  "0001-initial": ({ connection }) => {
    connection
      .prepare(
        `INSERT INTO tasks (id, kind, ticket_key, repo, status, phase, outcome, base_branch,
          pull_request, tests_passed, input_tokens, cached_input_tokens, output_tokens,
          created_by, created_at, started_at, finished_at, updated_at, last_event_seq,
          ticket_snapshot)
         VALUES (?, 'fix', 'OLD-1', 'acme/calc', 'completed', 'done', 'pr_opened', 'main',
          '{"url":"https://x/pull/1","number":1,"draft":true}', 1, 5, 1, 2,
          'pm@example.com', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:01.000Z',
          '2024-01-01T00:01:00.000Z', '2024-01-01T00:01:00.000Z', 1, ?)`,
      )
      .run(TASK_ID, JSON.stringify(OLD_SNAPSHOT));
    connection
      .prepare(
        `INSERT INTO tasks (id, kind, ticket_key, repo, status, phase, base_branch, prompt,
          created_by, created_at, updated_at, last_event_seq)
         VALUES (?, 'prompt', NULL, 'acme/calc', 'cancelled', 'done', 'main', ?,
          'pm@example.com', '2024-01-01T00:00:00.000Z', '2024-01-01T00:01:00.000Z', 0)`,
      )
      .run(PROMPT_TASK_ID, "\n  Explain   the build\nin detail");
    connection
      .prepare(
        `INSERT INTO task_events (task_id, seq, type, payload, at)
         VALUES (?, 1, 'task.log', '{"level":"info","message":"old"}', '2024-01-01T00:00:02.000Z')`,
      )
      .run(TASK_ID);
    connection
      .prepare(`INSERT INTO sessions (id_hash, user, created_at, expires_at) VALUES (?, ?, ?, ?)`)
      .run(
        "old-session",
        '{"email":"pm@example.com","name":"Pat","role":"pm"}',
        "2024-01-01T00:00:00.000Z",
        "2999-01-01T00:00:00.000Z",
      );
  },
  "0002-reviews": (db) => {
    FIXTURES["0001-initial"]?.(db);
    db.connection
      .prepare(
        `INSERT INTO review_runs (id, status, trigger, triggered_by, window_start, started_at,
          finished_at, heartbeat_at, reviewed_count, failed_count, input_tokens,
          cached_input_tokens, output_tokens, slack, errors)
         VALUES ('22222222-2222-4222-8222-222222222222', 'completed', 'schedule', NULL,
          '2024-01-01T02:00:00.000Z', '2024-01-02T02:00:00.000Z', '2024-01-02T02:05:00.000Z',
          '2024-01-02T02:05:00.000Z', 1, 0, 10, 2, 3, 'posted', '[]')`,
      )
      .run();
    db.connection
      .prepare(
        `INSERT INTO review_results (run_id, repo, pr_number, title, url, author, head_ref,
          head_sha, base_ref, status, risk_level, review, error, ticket, input_tokens,
          cached_input_tokens, output_tokens, started_at, finished_at)
         VALUES ('22222222-2222-4222-8222-222222222222', 'acme/calc', 3, 'Old PR',
          'https://x/pull/3', 'ada', 'feature', 'abc', 'main', 'reviewed', 'low',
          '{"pr_number":3,"title":"Old PR","summary":"s","risk_level":"low","security_concerns":[],"test_notes":null}',
          NULL, NULL, 10, 2, 3, '2024-01-02T02:00:00.000Z', '2024-01-02T02:05:00.000Z')`,
      )
      .run();
  },
  "0003-task-titles": (db) => {
    FIXTURES["0002-reviews"]?.(db);
    db.connection
      .prepare("UPDATE tasks SET title = ? WHERE id = ?")
      .run(OLD_SNAPSHOT.summary, TASK_ID);
    db.connection
      .prepare("UPDATE tasks SET title = ? WHERE id = ?")
      .run("Explain the build", PROMPT_TASK_ID);
  },
  // Indexes only: the rows of 0003 are the rows of 0004.
  "0004-filter-pairs": (db) => FIXTURES["0003-task-titles"]?.(db),
  // New tables only: the rows of 0004 are the rows of 0006.
  "0006-pull-request-outcomes": (db) => FIXTURES["0004-filter-pairs"]?.(db),
  // The ledger starts empty: the rows of 0004, plus one metered request of the old task.
  "0007-model-usage": (db) => {
    FIXTURES["0004-filter-pairs"]?.(db);
    db.connection
      .prepare(
        `INSERT INTO model_requests (id, owner_kind, owner_id, person, repo, day, at, input_tokens, cost)
         VALUES ('req-1', 'task', ?, 'old@acme.test', 'acme/old', '2024-01-01', '2024-01-01T00:00:00.000Z', 5, 0.5)`,
      )
      .run(TASK_ID);
  },
  // The requests of 0009 are copied from the logs; the other-migration numbers between
  // are other people's and arrive with their own fixtures.
  "0009-task-requests": (db) => FIXTURES["0004-filter-pairs"]?.(db),
  // A new table only (the run gate's counters start empty): the rows of 0009.
  "0010-run-gate-windows": (db) => FIXTURES["0009-task-requests"]?.(db),
  // Indexes only: the rows of 0009 are the rows of 0011.
  "0011-task-leases": (db) => FIXTURES["0009-task-requests"]?.(db),
  // The rows of 0011, the old session now seen once.
  [LAST_SEEN_MIGRATION]: (db) => {
    FIXTURES["0011-task-leases"]?.(db);
    db.connection
      .prepare("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?")
      .run(OLD_SESSION_SEEN, "old-session");
  },
  // A new table only (checkpoints start empty): the rows of 0012.
  "0013-turn-checkpoints": (db) => FIXTURES[LAST_SEEN_MIGRATION]?.(db),
  // PostgreSQL's rollups only (nothing on SQLite): the rows of 0013.
  "0014-task-rollups": (db) => FIXTURES["0013-turn-checkpoints"]?.(db),
  // New tables only (slot requests live as long as their process): the rows of 0014.
  "0015-agent-slot-leases": (db) => FIXTURES["0014-task-rollups"]?.(db),
  // PostgreSQL's pull request rollups only (nothing on SQLite): the rows of 0015.
  "0016-pull-request-rollups": (db) => FIXTURES["0015-agent-slot-leases"]?.(db),
  // PostgreSQL's per-day task rollups only (nothing on SQLite): the rows of 0016.
  "0017-task-day-rollups": (db) => FIXTURES["0016-pull-request-rollups"]?.(db),
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "patchboard-migrate-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("has a fixture for every schema version", () => {
  expect(Object.keys(FIXTURES).sort()).toEqual([...MIGRATION_NAMES]);
});

describe.each(MIGRATION_NAMES.map((name) => [name]))("a database made at schema %s", (version) => {
  it("upgrades to the latest schema on open and keeps its data usable", async () => {
    const file = join(dir, `${version}.db`);
    const old = await openSqliteDatabase({ file, logger, migrateTo: version });
    FIXTURES[version]?.(old);
    await old.close();

    const db = await openSqliteDatabase({ file, logger });
    const tasks = createTaskStore(db);
    const sessions = createSessionStore(db);
    expect(await tasks.get(TASK_ID)).toMatchObject({
      ticketKey: "OLD-1",
      status: "completed",
      testsPassed: true,
      pullRequest: { number: 1, draft: true },
      usage: { inputTokens: 5, cachedInputTokens: 1, outputTokens: 2 },
    });
    expect((await tasks.listEvents(TASK_ID)).map((e) => e.seq)).toEqual([1]);
    // Lists show a title for every task, filled in for rows older than the column.
    expect((await tasks.list({ limit: 10 })).tasks.map((t) => [t.id, t.title] as const)).toEqual([
      [PROMPT_TASK_ID, "Explain the build"],
      [TASK_ID, "Totals are off by one cent"],
    ]);
    expect(
      (
        await tasks.appendEvent(TASK_ID, {
          type: "task.log",
          payload: { level: "info", message: "new" },
        })
      ).seq,
    ).toBe(2);
    const oldSession = await sessions.get("old-session");
    expect(oldSession?.user.email).toBe("pm@example.com");
    // Sessions from before the column was added were never seen: null, not a guess.
    const hasLastSeen =
      MIGRATION_NAMES.indexOf(version) >= MIGRATION_NAMES.indexOf(LAST_SEEN_MIGRATION);
    expect(oldSession?.lastSeenAt).toBe(hasLastSeen ? OLD_SESSION_SEEN : null);

    const created = await tasks.create(newFixTask("OLD-1"));
    expect(created.created).toBe(true);
    expect((await tasks.create(newFixTask("OLD-1"))).created).toBe(false);
    await tasks.close();

    // Reopening an up-to-date database applies nothing and fails nothing.
    const lines: Array<{ msg: string; applied?: string[] }> = [];
    const capture = pino(
      { level: "info" },
      { write: (l: string) => lines.push(JSON.parse(l) as { msg: string; applied?: string[] }) },
    );
    const again = await openSqliteDatabase({ file, logger: capture });
    expect(lines).toEqual([expect.objectContaining({ msg: "storage opened", applied: [] })]);
    await again.close();
  });
});

it("copies the requests out of existing logs, each with how the run before it ended", async () => {
  const file = join(dir, "requests.db");
  const old = await openSqliteDatabase({ file, logger, migrateTo: "0004-filter-pairs" });
  FIXTURES["0004-filter-pairs"]?.(old);
  const event = old.connection.prepare(
    "INSERT INTO task_events (task_id, seq, type, payload, at) VALUES (?, ?, ?, ?, ?)",
  );
  const at = (minute: number) => `2024-01-01T00:0${minute}:00.000Z`;
  const logged: Array<[string, unknown]> = [
    ["task.request", { action: "create", message: "Fix it", by: "pm@example.com" }],
    ["task.status", { status: "running", phase: "analyzing", outcome: null, error: null }],
    [
      "task.status",
      {
        status: "failed",
        phase: "fixing",
        outcome: null,
        error: { code: "codex_failed", message: "boom" },
      },
    ],
    ["task.request", { action: "retry", message: null, by: "dev@example.com" }],
    ["task.request", { action: "cancel", message: null, by: "pm@example.com" }],
  ];
  logged.forEach(([type, payload], i) =>
    event.run(PROMPT_TASK_ID, i + 1, type, JSON.stringify(payload), at(i + 1)),
  );
  await old.close();
  const db = await openSqliteDatabase({ file, logger });
  const tasks = createTaskStore(db);
  expect(await tasks.listRequests(PROMPT_TASK_ID)).toEqual([
    { action: "create", message: "Fix it", by: "pm@example.com", at: at(1), previous: null },
    {
      action: "retry",
      message: null,
      by: "dev@example.com",
      at: at(4),
      previous: { phase: "fixing", error: { code: "codex_failed", message: "boom" } },
    },
    { action: "cancel", message: null, by: "pm@example.com", at: at(5), previous: null },
  ]);
  expect(await tasks.listRequests(TASK_ID)).toEqual([]);
  await tasks.close();
});

it("serves a page filtered by repository or person and status from one index", async () => {
  const db = await openSqliteDatabase({ file: ":memory:", logger });
  const plan = (where: string) =>
    (
      db.connection
        .prepare(
          `EXPLAIN QUERY PLAN SELECT seq FROM tasks WHERE ${where} ORDER BY seq DESC LIMIT 51`,
        )
        .all("a", "failed") as { detail: string }[]
    )
      .map((row) => row.detail)
      .join(" | ");
  expect(plan("repo = ? AND status = ?")).toContain("tasks_repo_status_seq (repo=? AND status=?)");
  expect(plan("created_by = ? AND status = ?")).toContain(
    "tasks_created_by_status_seq (created_by=? AND status=?)",
  );
  await db.close();
});

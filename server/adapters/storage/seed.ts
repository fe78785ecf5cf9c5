import { randomUUID } from "node:crypto";
import type { Task } from "../../../shared/task.js";
import type { SqliteDatabase } from "./sqlite/open-sqlite-database.js";

/** What {@link seedTasks} inserted and how long it took. */
export interface SeedResult {
  tasks: number;
  events: number;
  durationMs: number;
}

const DAY_MS = 86_400_000;
/** Seeded tasks spread over this many days before now, so stats have many days. */
const SPREAD_DAYS = 90;
/** The newest share of seeded tasks are left queued or running. */
const ACTIVE_SHARE = 0.01;
const REPOS = ["acme/calc", "acme/web", "acme/api", "acme/mobile", "acme/infra"];
/** Page cache while seeding, in KiB as a negative cache_size (256 MiB). */
const SEED_CACHE_KIB = -262_144;
const USERS = Array.from({ length: 20 }, (_, i) => `user${i + 1}@example.com`);

const PROMPT = "Explain how the build works and why the release job takes 20 minutes";
const SUBJECTS = [
  "a coupon and a gift card are combined",
  "the cart holds more than 99 items",
  "the currency is switched mid-checkout",
  "a discount ends at midnight UTC",
];
const PARAGRAPH =
  "Steps to reproduce: add two items to the cart, apply the SPRING coupon, then pay with a gift card. " +
  "Expected: the total is the sum minus the discount. Actual: the discount is applied twice and the " +
  "gift card balance goes negative. Seen in production since the last release; support has 14 tickets. ";
const ANALYSIS = JSON.stringify({
  fixable: true,
  rootCause: "applyDiscount() runs once per payment method instead of once per order.",
  plan: [
    "Apply discounts once in computeTotal()",
    "Add a regression test for coupon plus gift card",
    "Run the test suite",
  ],
  files: ["src/cart/total.ts", "test/cart/total.test.ts"],
  confidence: "high",
  notFixableReason: null,
});

/** A ticket snapshot the size of a real one: a few paragraphs and two comments (~2 KB). */
function ticketSnapshot(key: string, summary: string): string {
  return JSON.stringify({
    key,
    url: `https://jira.example.com/browse/${key}`,
    summary,
    description: PARAGRAPH.repeat(4),
    status: "In Progress",
    priority: "High",
    reporter: "Pat Product",
    labels: ["checkout", "regression"],
    comments: [
      { id: "1", author: "Sam Support", body: PARAGRAPH, created: "2026-10-01T10:00:00.000Z" },
      { id: "2", author: "Erin Engineer", body: PARAGRAPH, created: "2026-10-02T10:00:00.000Z" },
    ],
  });
}

/** A small deterministic PRNG (mulberry32), so benchmarks are repeatable. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Bulk-inserts `count` plausible tasks (mostly finished, the newest 1% active, spread
 * over 90 days) with `eventsPerTask` log events each, for benchmarks. One transaction
 * and prepared statements on the raw connection: kysely's per-query compilation would
 * dominate at 2,000,000 rows. SQLite only; appends to whatever is already stored.
 */
export function seedTasks(
  db: SqliteDatabase,
  count: number,
  eventsPerTask: number,
): Promise<SeedResult> {
  const started = performance.now();
  const { connection } = db;
  const insertTask = connection.prepare(`
    INSERT INTO tasks (id, kind, ticket_key, repo, status, phase, outcome, thread_id, branch,
      base_branch, pull_request, analysis, summary, tests_passed, error, input_tokens,
      cached_input_tokens, output_tokens, prompt, instructions, created_by, created_at,
      started_at, finished_at, ticket_snapshot, title, updated_at, last_event_seq)
    VALUES (@id, @kind, @ticket_key, @repo, @status, @phase, @outcome, @thread_id, @branch,
      @base_branch, @pull_request, @analysis, @summary, @tests_passed, @error, @input_tokens,
      @cached_input_tokens, @output_tokens, @prompt, NULL, @created_by, @created_at,
      @started_at, @finished_at, @ticket_snapshot, @title, @updated_at, @last_event_seq)`);
  const insertEvent = connection.prepare(
    "INSERT INTO task_events (task_id, seq, type, payload, at) VALUES (?, ?, 'task.log', ?, ?)",
  );
  const maxSeq = connection.prepare("SELECT COALESCE(MAX(seq), 0) AS n FROM tasks");
  const next = random(count * 31 + eventsPerTask);

  const run = connection.transaction(() => {
    const offset = (maxSeq.get() as { n: number }).n;
    const firstActive = Math.floor(count * (1 - ACTIVE_SHARE));
    const start = Date.now() - SPREAD_DAYS * DAY_MS;
    const step = (SPREAD_DAYS * DAY_MS) / Math.max(count, 1);
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      const createdMs = start + i * step;
      const active = i >= firstActive;
      const fix = next() < 0.8;
      const roll = next();
      const status: Task["status"] = active
        ? roll < 0.5
          ? "queued"
          : "running"
        : roll < 0.7
          ? "completed"
          : roll < 0.9
            ? "failed"
            : "cancelled";
      const startedMs = status === "queued" ? null : createdMs + 1000 + next() * 10_000;
      const finishedMs =
        active || startedMs === null ? null : startedMs + 30_000 + next() * 1_800_000;
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      const ticketKey = !fix
        ? null
        : active
          ? `SEEDACT-${offset + i + 1}`
          : `SEED-${(i % 5000) + 1}`;
      const outcome =
        status !== "completed"
          ? null
          : fix
            ? next() < 0.7
              ? "pr_opened"
              : "no_changes"
            : "answered";
      const title = fix ? `Checkout total is wrong when ${SUBJECTS[i % SUBJECTS.length]}` : PROMPT;
      insertTask.run({
        id,
        kind: fix ? "fix" : "prompt",
        // Active tasks get a ticket of their own so the one-active-per-ticket index holds.
        ticket_key: ticketKey,
        repo: REPOS[i % REPOS.length],
        status,
        phase: status === "queued" ? "queued" : active ? "analyzing" : "done",
        outcome,
        thread_id: startedMs === null ? null : `thread-${id}`,
        branch: fix ? `patchboard/seed-${i}` : null,
        base_branch: "main",
        summary: status === "completed" ? "Seeded task" : null,
        tests_passed: status === "completed" ? 1 : null,
        error: status === "failed" ? '{"code":"codex_failed","message":"Seeded failure"}' : null,
        input_tokens: Math.floor(next() * 100_000),
        cached_input_tokens: Math.floor(next() * 50_000),
        output_tokens: Math.floor(next() * 20_000),
        prompt: fix ? null : PROMPT,
        // Rows as heavy as real ones: a ticket's text and comments, an analysis, a PR.
        ticket_snapshot: ticketKey === null ? null : ticketSnapshot(ticketKey, title),
        analysis: fix && startedMs !== null ? ANALYSIS : null,
        pull_request:
          outcome === "pr_opened"
            ? JSON.stringify({
                url: `https://github.com/acme/app/pull/${i + 1}`,
                number: i + 1,
                draft: false,
              })
            : null,
        title,
        created_by: USERS[i % USERS.length],
        created_at: iso(createdMs),
        started_at: iso(startedMs),
        finished_at: iso(finishedMs),
        updated_at: iso(finishedMs ?? startedMs ?? createdMs),
        last_event_seq: eventsPerTask,
      });
      for (let seq = 1; seq <= eventsPerTask; seq++) {
        const payload = `{"level":"info","message":"Seeded event ${seq}"}`;
        insertEvent.run(id, seq, payload, iso(createdMs + seq * 100));
      }
    }
  });
  // Random task ids scatter the events' (task_id, seq) keys over the whole index; a
  // large page cache for the duration keeps those pages in memory instead of spilling.
  const cacheSize = connection.pragma("cache_size", { simple: true }) as number;
  connection.pragma(`cache_size = ${SEED_CACHE_KIB}`);
  try {
    run();
  } finally {
    connection.pragma(`cache_size = ${cacheSize}`);
  }
  // Fresh statistics so the planner picks the same plans as on an organically grown
  // database (PRAGMA optimize would do this at the next open).
  connection.exec("ANALYZE tasks");
  return Promise.resolve({
    tasks: count,
    events: count * eventsPerTask,
    durationMs: performance.now() - started,
  });
}

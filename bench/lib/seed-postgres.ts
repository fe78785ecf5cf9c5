import pg from "pg";

/**
 * A million tasks in a few statements: `generate_series` builds the rows inside
 * PostgreSQL, so nothing crosses the socket row by row. The spread is History's: over a
 * year, 80% fixes and 20% prompts, 70% completed, 20% failed, 10% cancelled, five
 * repositories, twenty people of whom a few make most tasks, token counts (costs) of
 * a real turn's size, an analysis and a short ticket snapshot on fixes (a full-size one
 * doubled the seeding time; lists do not read it), and a pull request row for every fix
 * that opened one. No events: History does not read them. Nothing is
 * left queued or running: a worker would otherwise pick the seeded tasks up. `setseed`
 * makes the spread the same on every run.
 */
const SEED_TASKS_SQL = `
INSERT INTO tasks (id, kind, ticket_key, repo, status, phase, outcome, thread_id, branch,
  base_branch, pull_request, analysis, summary, tests_passed, error, input_tokens,
  cached_input_tokens, output_tokens, prompt, created_by, created_at, started_at,
  finished_at, ticket_snapshot, updated_at, last_event_seq, title)
SELECT id, kind, ticket_key, repo, status, 'done', outcome, 'thread-' || id, branch, 'main',
  CASE WHEN outcome = 'pr_opened' THEN json_build_object(
    'url', 'https://github.com/' || repo || '/pull/' || i, 'number', i, 'draft', false)::text END,
  CASE WHEN kind = 'fix' THEN $1::text END,
  CASE WHEN status = 'completed' THEN 'Seeded task' END,
  CASE WHEN status = 'completed' THEN 1 END,
  CASE WHEN status = 'failed' THEN '{"code":"codex_failed","message":"Seeded failure"}' END,
  floor(r_in * 120000), floor(r_in * r_cache * 60000), floor(r_out * 20000),
  CASE WHEN kind = 'prompt' THEN $2 END,
  created_by, created_at, started_at, finished_at,
  CASE WHEN kind = 'fix' THEN json_build_object('key', ticket_key, 'summary', title,
    'description', $3::text, 'status', 'In Progress', 'priority', 'High')::text END,
  finished_at, 20, title
FROM (
  SELECT i, id, kind, repo, status, created_by, created_at, started_at, r_in, r_cache, r_out,
    started_at + (30 + r_dur * r_dur * 1800) * interval '1 second' AS finished_at,
    CASE WHEN kind = 'fix' THEN 'SEED-' || (1 + i % 50000) END AS ticket_key,
    CASE WHEN kind = 'fix' THEN 'patchboard/seed-' || i END AS branch,
    CASE WHEN status <> 'completed' THEN NULL WHEN kind = 'prompt' THEN 'answered'
      WHEN r_outcome < 0.7 THEN 'pr_opened' ELSE 'no_changes' END AS outcome,
    CASE WHEN kind = 'fix' THEN 'Checkout total is wrong when case ' || (i % 97) || ' happens'
      ELSE $2 END AS title
  FROM (
    SELECT i, md5('bench-task-' || i)::uuid::text AS id,
      CASE WHEN random() < 0.8 THEN 'fix' ELSE 'prompt' END AS kind,
      (ARRAY['acme/calc','acme/web','acme/api','acme/mobile','acme/infra'])[1 + floor(random() * random() * 5)::int] AS repo,
      (ARRAY['completed','failed','cancelled'])[CASE WHEN r_status < 0.7 THEN 1 WHEN r_status < 0.9 THEN 2 ELSE 3 END] AS status,
      'user' || (1 + floor(power(random(), 2) * 20)::int) || '@example.com' AS created_by,
      created_at, created_at + (1 + random() * 10) * interval '1 second' AS started_at,
      random() AS r_in, random() AS r_cache, random() AS r_out, random() AS r_dur,
      random() AS r_outcome
    FROM (
      SELECT i, random() AS r_status,
        now() - interval '365 days' + (i * interval '365 days' / $4::int) AS created_at
      FROM generate_series(1, $4::int) AS i
    ) AS base
  ) AS drawn
) AS shaped`;

const SEED_PULL_REQUESTS_SQL = `
INSERT INTO pull_requests (task_id, repo, number, url, branch, state, draft, opened_at,
  merged_at, closed_at, ci_rounds, review_rounds, first_ci_green)
SELECT id, repo, seq::int, 'https://github.com/' || repo || '/pull/' || seq, branch, state, 0,
  to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  CASE WHEN state = 'merged' THEN to_char((finished_at + interval '1 day') at time zone 'UTC',
    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END,
  CASE WHEN state = 'closed' THEN to_char((finished_at + interval '2 days') at time zone 'UTC',
    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END,
  floor(random() * 4)::int, floor(random() * 3)::int, (random() < 0.8)::int
FROM (
  SELECT id, repo, seq, branch, finished_at,
    CASE WHEN random() < 0.6 THEN 'merged' WHEN random() < 0.6 THEN 'open' ELSE 'closed' END AS state
  FROM tasks WHERE outcome = 'pr_opened'
) AS opened`;

const ANALYSIS = JSON.stringify({
  fixable: true,
  rootCause: "applyDiscount() runs once per payment method instead of once per order.",
  plan: ["Apply discounts once in computeTotal()", "Add a regression test", "Run the tests"],
  files: ["src/cart/total.ts", "test/cart/total.test.ts"],
  confidence: "high",
  notFixableReason: null,
});
const PROMPT = "Explain how the build works and why the release job takes 20 minutes";
const PARAGRAPH =
  "Steps to reproduce: add two items to the cart, apply the SPRING coupon, then pay with a gift card. " +
  "Expected: the total is the sum minus the discount. Actual: the discount is applied twice. ";

/** What {@link seedPostgresTasks} inserted and how long it took. */
export interface PgSeedResult {
  tasks: number;
  pullRequests: number;
  durationMs: number;
}

/** Inserts `count` finished tasks (and their pull requests) into a migrated database, then ANALYZE. */
export async function seedPostgresTasks(url: string, count: number): Promise<PgSeedResult> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // A bulk load then one index build is several times faster than maintaining a dozen
    // indexes row by row; the primary key and the unique id (foreign keys need it) stay.
    const indexes = await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
       WHERE tablename = 'tasks' AND indexname NOT IN ('tasks_pkey', 'tasks_id_key')`,
    );
    for (const index of indexes.rows) await client.query(`DROP INDEX ${index.name}`);
    await client.query("SET synchronous_commit = off");
    await client.query("SET maintenance_work_mem = '256MB'");
    await client.query("SELECT setseed(0.42)");
    const tasks = await client.query(SEED_TASKS_SQL, [ANALYSIS, PROMPT, PARAGRAPH, count]);
    const prs = await client.query(SEED_PULL_REQUESTS_SQL);
    for (const index of indexes.rows) await client.query(index.definition);
    // Fresh statistics, as autovacuum would have them on a database that grew to this size.
    await client.query("VACUUM ANALYZE tasks");
    await client.query("VACUUM ANALYZE pull_requests");
    return {
      tasks: tasks.rowCount ?? 0,
      pullRequests: prs.rowCount ?? 0,
      durationMs: performance.now() - started,
    };
  } finally {
    await client.end();
  }
}

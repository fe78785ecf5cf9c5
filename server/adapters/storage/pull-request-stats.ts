import type { PullRequestFigures } from "../../../shared/stats.js";
import type { ExportPullRequest } from "../../domain/ports/task-stats.js";
import type { Database } from "./database.js";
import type { PullRequestTables } from "./pull-request-store.js";
import { median } from "./stats-query.js";
import { taskFilterCondition, type TaskFilters } from "./task-filters.js";

/** One pull request with what the figures need of its task. */
interface Row {
  repo: string;
  state: string;
  opened_at: string;
  merged_at: string | null;
  first_ci_green: number | null;
  rounds: number;
  created_at: string;
  input: number;
  cached: number;
  output: number;
}

const ms = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));

/** The figures of a group of pull requests. */
export function pullRequestFigures(key: string, rows: readonly Row[]): PullRequestFigures {
  const merged = rows.filter((r) => r.state === "merged");
  const closed = rows.filter((r) => r.state === "closed");
  const ended = merged.length + closed.length;
  const verdicts = rows.filter((r) => r.first_ci_green !== null);
  const sum = (pick: (r: Row) => number) => merged.reduce((t, r) => t + pick(r), 0);
  return {
    key,
    opened: rows.length,
    merged: merged.length,
    closed: closed.length,
    mergeRate: ended === 0 ? null : merged.length / ended,
    medianClickToPrMs: median(rows.map((r) => ms(r.created_at, r.opened_at))),
    medianPrToMergeMs: median(merged.map((r) => ms(r.opened_at, r.merged_at ?? r.opened_at))),
    firstPushGreenRate:
      verdicts.length === 0
        ? null
        : verdicts.filter((r) => Number(r.first_ci_green) === 1).length / verdicts.length,
    roundsPerPr: rows.length === 0 ? null : rows.reduce((t, r) => t + r.rounds, 0) / rows.length,
    mergedUsage: {
      inputTokens: sum((r) => r.input),
      cachedInputTokens: sum((r) => r.cached),
      outputTokens: sum((r) => r.output),
    },
  };
}

/** The Monday (UTC, `YYYY-MM-DD`) of the ISO week an ISO 8601 time falls in. */
export function weekOf(iso: string): string {
  const day = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  day.setUTCDate(day.getUTCDate() - sinceMonday);
  return day.toISOString().slice(0, 10);
}

function grouped(rows: readonly Row[], keyOf: (r: Row) => string): PullRequestFigures[] {
  const groups = new Map<string, Row[]>();
  // Pushed in place: copying the group on every row made this quadratic, minutes of
  // blocked event loop for the 390,000 pull requests of a million tasks (bench figure 11).
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, group]) => pullRequestFigures(key, group));
}

/**
 * History's pull request figures for the tasks the filters select: opened, merged,
 * closed, merge rate, click → pull request and pull request → merge medians, CI green on
 * the first push, rounds per pull request and the tokens of merged ones — in total, per
 * day, ISO week and month opened, and per repository. Pull requests are far fewer than
 * tasks: one query, grouped here.
 */
export async function queryPullRequestStats(db: Database, filters: TaskFilters) {
  const kysely = db.kysely.withTables<PullRequestTables>();
  const rows = await kysely
    .selectFrom("pull_requests as p")
    .innerJoin("tasks as t", "t.id", "p.task_id")
    .where("p.task_id", "in", (eb) =>
      eb
        .selectFrom("tasks")
        .select("id")
        .where((inner) => taskFilterCondition(inner, filters)),
    )
    .select([
      "p.repo as repo",
      "p.state as state",
      "p.opened_at as opened_at",
      "p.merged_at as merged_at",
      "p.first_ci_green as first_ci_green",
      (eb) => eb(eb.ref("p.ci_rounds"), "+", eb.ref("p.review_rounds")).as("rounds"),
      "t.created_at as created_at",
      "t.input_tokens as input",
      "t.cached_input_tokens as cached",
      "t.output_tokens as output",
    ])
    .execute();
  const typed: Row[] = rows.map((r) => ({
    ...r,
    rounds: Number(r.rounds),
    input: Number(r.input),
    cached: Number(r.cached),
    output: Number(r.output),
  }));
  return {
    total: pullRequestFigures("total", typed),
    days: grouped(typed, (r) => r.opened_at.slice(0, 10)),
    weeks: grouped(typed, (r) => weekOf(r.opened_at)),
    months: grouped(typed, (r) => r.opened_at.slice(0, 7)),
    repos: grouped(typed, (r) => r.repo),
  };
}

/** The CSV export's pull request columns for a page of tasks, by task id: one query. */
export async function exportPullRequests(
  db: Database,
  taskIds: readonly string[],
): Promise<Map<string, ExportPullRequest>> {
  if (taskIds.length === 0) return new Map();
  const rows = await db.kysely
    .withTables<PullRequestTables>()
    .selectFrom("pull_requests")
    .select([
      "task_id",
      "state",
      "opened_at",
      "merged_at",
      "ci_rounds",
      "review_rounds",
      "first_ci_green",
    ])
    .where("task_id", "in", [...taskIds])
    .execute();
  return new Map(
    rows.map((r) => [
      r.task_id,
      {
        state: r.state,
        openedAt: r.opened_at,
        mergedAt: r.merged_at,
        ciRounds: Number(r.ci_rounds),
        reviewRounds: Number(r.review_rounds),
        firstCiGreen: r.first_ci_green === null ? null : Number(r.first_ci_green) === 1,
      },
    ]),
  );
}

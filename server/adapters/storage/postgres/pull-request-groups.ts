import { sql } from "kysely";
import type { RawBuilder } from "kysely";
import type { PullRequestFigures } from "../../../../shared/stats.js";
import type { PullRequestStats } from "../database.js";
import { pullRequestFigures } from "../pull-request-stats.js";
import { num } from "../aggregate-number.js";

/** Which grouping a row of the grouping sets belongs to. */
export type Grouping = "total" | "day" | "week" | "month" | "repo";

/**
 * One group's figures as PostgreSQL returns them (bigint and numeric come back as
 * strings), whether summed from `pull_requests` or from its rollups.
 */
export interface GroupRow {
  grouping: Grouping;
  key: string | null;
  opened: unknown;
  merged: unknown;
  closed: unknown;
  verdicts: unknown;
  green: unknown;
  rounds: unknown;
  click_to_pr: unknown;
  pr_to_merge: unknown;
  input: unknown;
  cached: unknown;
  output: unknown;
}

/**
 * The grouping and key columns of {@link groupingSets} over columns named `day`, `week`,
 * `month` and `repo` (columns grouped in every set do not change which set a row is of).
 */
export const GROUPING_COLUMNS = sql`
  case
    when grouping(day) = 0 then 'day'
    when grouping(week) = 0 then 'week'
    when grouping(month) = 0 then 'month'
    when grouping(repo) = 0 then 'repo'
    else 'total'
  end as grouping,
  coalesce(day, week, month, repo) as key`;

/** The grouping sets themselves, each with the `extra` columns (trusted names) added. */
export function groupingSets(extra: readonly string[] = []): RawBuilder<unknown> {
  const sets = [[], ["day"], ["week"], ["month"], ["repo"]].map(
    (keys) => `(${[...keys, ...extra].join(", ")})`,
  );
  return sql.raw(`grouping sets (${sets.join(", ")})`);
}

/**
 * The ISO week (its Monday) and month of a `YYYY-MM-DD` day, as columns `week` and
 * `month`. A timestamp (not the session's time zone) so the Monday is the UTC one.
 */
export const WEEK_AND_MONTH = (day: RawBuilder<unknown>) => sql`
  to_char(date_trunc('week', ${day}::timestamp), 'YYYY-MM-DD') as week,
  left(${day}, 7) as month`;

/**
 * The API's figures from the grouped rows. Keys are sorted here with `localeCompare`, as
 * on SQLite, because the database's collation may order repositories differently.
 */
export function assemblePullRequestStats(rows: readonly GroupRow[]): PullRequestStats {
  const groups: Record<Grouping, PullRequestFigures[]> = {
    total: [],
    day: [],
    week: [],
    month: [],
    repo: [],
  };
  for (const row of rows) {
    const opened = num(row.opened);
    const mergedCount = num(row.merged);
    const closed = num(row.closed);
    const ended = mergedCount + closed;
    const verdicts = num(row.verdicts);
    groups[row.grouping].push({
      key: row.grouping === "total" ? "total" : (row.key ?? ""),
      opened,
      merged: mergedCount,
      closed,
      mergeRate: ended === 0 ? null : mergedCount / ended,
      medianClickToPrMs: row.click_to_pr === null ? null : Number(row.click_to_pr),
      medianPrToMergeMs: row.pr_to_merge === null ? null : Number(row.pr_to_merge),
      firstPushGreenRate: verdicts === 0 ? null : num(row.green) / verdicts,
      roundsPerPr: opened === 0 ? null : num(row.rounds) / opened,
      mergedUsage: {
        inputTokens: num(row.input),
        cachedInputTokens: num(row.cached),
        outputTokens: num(row.output),
      },
    });
  }
  const sorted = (figures: PullRequestFigures[]) =>
    figures.sort((a, b) => a.key.localeCompare(b.key));
  return {
    // The empty set's row is missing when no pull request matched (a HAVING drops it).
    total: groups.total[0] ?? pullRequestFigures("total", []),
    days: sorted(groups.day),
    weeks: sorted(groups.week),
    months: sorted(groups.month),
    repos: sorted(groups.repo),
  };
}

import { Router, type Response } from "express";
import type { TaskStatsResponse } from "../../../shared/stats.js";
import { TaskListQuerySchema } from "../../../shared/task.js";
import type { TaskExportRow, TaskStatsQuery } from "../../domain/ports/task-stats.js";
import { handle } from "../middleware/handler.js";
import type { Pricing } from "../../../shared/settings.js";
import { pricePullRequestFigures } from "../../domain/after-pr/price-pull-request-figures.js";

const FiltersSchema = TaskListQuerySchema.omit({ limit: true, cursor: true });

const CSV_COLUMNS = [
  "id",
  "kind",
  "ticketKey",
  "title",
  "repo",
  "status",
  "outcome",
  "createdBy",
  "createdAt",
  "startedAt",
  "finishedAt",
  "durationSeconds",
  "pullRequest",
  "inputTokens",
  "cachedInputTokens",
  "outputTokens",
  "errorCode",
  "pullRequestState",
  "pullRequestOpenedAt",
  "pullRequestMergedAt",
  "ciRounds",
  "reviewRounds",
  "firstCiGreen",
] as const;

/** The admins' history: summary figures and the CSV export. */
export function historyRoutes(deps: { stats: TaskStatsQuery; pricing: Pricing }): Router {
  const router = Router();
  router.get(
    "/tasks/stats",
    handle({ permission: "history:read", query: FiltersSchema }, async ({ query, res }) => {
      const body: TaskStatsResponse = pricePullRequestFigures(
        await deps.stats.taskStats(query),
        deps.pricing,
      );
      res.json(body);
    }),
  );
  router.get(
    "/tasks/export.csv",
    handle({ permission: "history:read", query: FiltersSchema }, async ({ query, res }) => {
      res.status(200);
      res.type("text/csv; charset=utf-8");
      res.attachment("patchboard-tasks.csv");
      res.write(`${CSV_COLUMNS.join(",")}\n`);
      for await (const task of deps.stats.exportRows(query)) {
        // A slow or gone reader must not make the rows pile up in memory: wait for the
        // socket to drain, and stop (closing the database cursor) when it has closed.
        if (res.destroyed) return;
        if (!res.write(`${csvRow(task).map(csvCell).join(",")}\n`)) {
          await drained(res);
          if (res.destroyed) return;
        }
      }
      res.end();
    }),
  );
  return router;
}

function csvRow(task: TaskExportRow): (string | number | null)[] {
  const duration =
    task.startedAt && task.finishedAt
      ? Math.round((Date.parse(task.finishedAt) - Date.parse(task.startedAt)) / 1000)
      : null;
  return [
    task.id,
    task.kind,
    task.ticketKey,
    task.title,
    task.repo,
    task.status,
    task.outcome,
    task.createdBy,
    task.createdAt,
    task.startedAt,
    task.finishedAt,
    duration,
    task.pullRequest?.url ?? null,
    task.usage.inputTokens,
    task.usage.cachedInputTokens,
    task.usage.outputTokens,
    task.error?.code ?? null,
    ...afterPrCells(task),
  ];
}

/** The pull request's outcome and rounds; empty for a task that opened none. */
function afterPrCells(task: TaskExportRow): (string | number | null)[] {
  const pr = task.afterPr;
  if (pr === undefined || pr === null) {
    // A task whose pull request predates tracking still has a state on its record.
    return [task.pullRequest?.state ?? null, null, null, null, null, null];
  }
  const green = pr.firstCiGreen === null ? null : String(pr.firstCiGreen);
  return [pr.state, pr.openedAt, pr.mergedAt, pr.ciRounds, pr.reviewRounds, green];
}

/**
 * Quotes a CSV cell and defuses spreadsheet formulas (`=`, `+`, `-`, `@` at the start).
 * `;` is quoted too: spreadsheets in many locales split on it.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Resolves when the response can take more, or has closed. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

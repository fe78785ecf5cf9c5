import { Router } from "express";
import type { TaskStatsResponse } from "../../../shared/stats.js";
import { TaskListQuerySchema, type TaskSummary } from "../../../shared/task.js";
import type { TaskStatsQuery } from "../../domain/ports/task-stats.js";
import { handle } from "../middleware/handler.js";

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
] as const;

/** The admins' history: summary figures and the CSV export. */
export function historyRoutes(deps: { stats: TaskStatsQuery }): Router {
  const router = Router();
  router.get(
    "/tasks/stats",
    handle({ permission: "history:read", query: FiltersSchema }, async ({ query, res }) => {
      const body: TaskStatsResponse = await deps.stats.taskStats(query);
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
        res.write(`${csvRow(task).map(csvCell).join(",")}\n`);
      }
      res.end();
    }),
  );
  return router;
}

function csvRow(task: TaskSummary): (string | number | null)[] {
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
  ];
}

/** Quotes a CSV cell and defuses spreadsheet formulas (`=`, `+`, `-`, `@` at the start). */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

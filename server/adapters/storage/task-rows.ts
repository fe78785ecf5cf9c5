import type { Insertable, Selectable, Updateable } from "kysely";
import type { ZodType } from "zod";
import { PullRequestSchema, TaskErrorSchema, TaskSchema } from "../../../shared/task.js";
import type { Task, TaskSummary } from "../../../shared/task.js";
import { AppError } from "../../domain/app-error.js";
import type { NewTask, TaskPatch } from "../../domain/ports/task-store.js";
import { taskTitle } from "../../domain/tasks/task-title.js";
import type { TasksTable } from "./schema.js";
import { toIsoUtcOrNull } from "./timestamps.js";

/** A stored task row. */
export type TaskRow = Selectable<TasksTable>;

/**
 * The fields a patch may carry, validated before they are written so that a bad value
 * fails the write instead of every later read.
 */
export const TaskPatchSchema = TaskSchema.omit({
  id: true,
  kind: true,
  ticketKey: true,
  repo: true,
  createdBy: true,
  createdAt: true,
  prompt: true,
  ticketSnapshot: true,
})
  .partial()
  .strict();

/** Validates a patch and normalizes its timestamps to ISO UTC. */
export function parseTaskPatch(patch: TaskPatch): TaskPatch {
  const result = TaskPatchSchema.safeParse(patch);
  if (!result.success) {
    throw new AppError("internal", "Invalid task patch", {
      details: result.error.issues,
      cause: result.error,
    });
  }
  const parsed = result.data;
  if (parsed.startedAt !== undefined) parsed.startedAt = toIsoUtcOrNull(parsed.startedAt);
  if (parsed.finishedAt !== undefined) parsed.finishedAt = toIsoUtcOrNull(parsed.finishedAt);
  return parsed;
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/**
 * The one place a row becomes a Task. JSON columns may arrive as text (SQLite) or
 * already parsed (a PostgreSQL json column); big integers may arrive as strings.
 */
export function rowToTask(row: TaskRow): Task {
  const parseJson = (value: unknown): unknown =>
    typeof value === "string" ? (JSON.parse(value) as unknown) : (value ?? null);
  const candidate = {
    ...plainColumns(row),
    threadId: row.thread_id,
    pullRequest: parseJson(row.pull_request),
    analysis: parseJson(row.analysis),
    summary: row.summary,
    error: parseJson(row.error),
    prompt: row.prompt,
    instructions: row.instructions,
    ticketSnapshot: parseJson(row.ticket_snapshot),
  };
  const result = TaskSchema.safeParse(candidate);
  if (!result.success) {
    throw new AppError("internal", "A stored task does not match the contract", {
      details: { id: row.id },
      cause: result.error,
    });
  }
  return result.data;
}

/** The columns a list reads: no long texts (see TaskSummarySchema). */
export const SUMMARY_COLUMNS = [
  "seq",
  "id",
  "kind",
  "ticket_key",
  "repo",
  "status",
  "phase",
  "outcome",
  "branch",
  "base_branch",
  "pull_request",
  "tests_passed",
  "error",
  "input_tokens",
  "cached_input_tokens",
  "output_tokens",
  "created_by",
  "created_at",
  "started_at",
  "finished_at",
  "title",
] as const satisfies readonly (keyof TaskRow)[];

/** A stored row as a list reads it. */
export type TaskSummaryRow = Pick<TaskRow, (typeof SUMMARY_COLUMNS)[number]>;

/**
 * A list row becomes a TaskSummary. Lists read up to 200 rows per request, so this maps
 * by hand and checks only what arrives as JSON text: every other column was validated by
 * the contract when it was written (parseTaskPatch, newTaskToRow's inputs), and the
 * database's types and NOT NULLs keep it so.
 */
export function rowToTaskSummary(row: TaskSummaryRow): TaskSummary {
  return {
    ...plainColumns(row),
    pullRequest: parseColumn(row, "pull_request", PullRequestSchema),
    error: parseColumn(row, "error", TaskErrorSchema),
    title: row.title,
  };
}

/** The fields a whole task and a summary share that need no parsing, only renaming. */
function plainColumns(row: Omit<TaskSummaryRow, "title" | "pull_request" | "error">) {
  return {
    id: row.id,
    kind: row.kind,
    ticketKey: row.ticket_key,
    repo: row.repo,
    status: row.status,
    phase: row.phase,
    outcome: row.outcome,
    branch: row.branch,
    baseBranch: row.base_branch,
    testsPassed: row.tests_passed === null ? null : Boolean(row.tests_passed),
    usage: {
      inputTokens: Number(row.input_tokens),
      cachedInputTokens: Number(row.cached_input_tokens),
      outputTokens: Number(row.output_tokens),
    },
    createdBy: row.created_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

function parseColumn<T>(
  row: TaskSummaryRow,
  column: "pull_request" | "error",
  schema: ZodType<T>,
): T | null {
  const value: unknown = row[column];
  if (value === null || value === undefined) return null;
  const result = schema.safeParse(typeof value === "string" ? JSON.parse(value) : value);
  if (!result.success) {
    throw new AppError("internal", "A stored task does not match the contract", {
      details: { id: row.id, column },
      cause: result.error,
    });
  }
  return result.data;
}

/** The row inserted for a new queued task. */
export function newTaskToRow(task: NewTask, id: string, now: string): Insertable<TasksTable> {
  return {
    id,
    kind: task.kind,
    ticket_key: task.ticketKey,
    repo: task.repo,
    status: "queued",
    phase: "queued",
    outcome: null,
    thread_id: null,
    branch: task.branch,
    base_branch: task.baseBranch,
    pull_request: null,
    analysis: null,
    summary: null,
    tests_passed: null,
    error: null,
    input_tokens: 0,
    cached_input_tokens: 0,
    output_tokens: 0,
    prompt: task.prompt,
    instructions: task.instructions,
    created_by: task.createdBy,
    created_at: now,
    started_at: null,
    finished_at: null,
    ticket_snapshot: json(task.ticketSnapshot),
    title: taskTitle(task),
    updated_at: now,
    last_event_seq: 0,
  };
}

/** The columns a validated patch sets; keys absent from the patch are left alone. */
export function patchToColumns(patch: TaskPatch, now: string): Updateable<TasksTable> {
  const columns: Updateable<TasksTable> = { updated_at: now };
  if (patch.status !== undefined) columns.status = patch.status;
  if (patch.phase !== undefined) columns.phase = patch.phase;
  if (patch.outcome !== undefined) columns.outcome = patch.outcome;
  if (patch.threadId !== undefined) columns.thread_id = patch.threadId;
  if (patch.branch !== undefined) columns.branch = patch.branch;
  if (patch.baseBranch !== undefined) columns.base_branch = patch.baseBranch;
  if (patch.pullRequest !== undefined) columns.pull_request = json(patch.pullRequest);
  if (patch.analysis !== undefined) columns.analysis = json(patch.analysis);
  if (patch.summary !== undefined) columns.summary = patch.summary;
  if (patch.testsPassed !== undefined) {
    columns.tests_passed = patch.testsPassed === null ? null : Number(patch.testsPassed);
  }
  if (patch.error !== undefined) columns.error = json(patch.error);
  if (patch.usage !== undefined) {
    columns.input_tokens = patch.usage.inputTokens;
    columns.cached_input_tokens = patch.usage.cachedInputTokens;
    columns.output_tokens = patch.usage.outputTokens;
  }
  if (patch.instructions !== undefined) columns.instructions = patch.instructions;
  if (patch.startedAt !== undefined) columns.started_at = patch.startedAt;
  if (patch.finishedAt !== undefined) columns.finished_at = patch.finishedAt;
  return columns;
}

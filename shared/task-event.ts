import { z } from "zod";
import { AnalysisSchema } from "./analysis.js";
import { AgentEventSchema } from "./agent-event.js";
import { PullRequestSchema, TaskErrorSchema } from "./task.js";
import { TaskOutcomeSchema, TaskPhaseSchema, TaskStatusSchema } from "./task-state.js";

/** The status or phase of a task changed. */
const StatusEvent = z.object({
  type: z.literal("task.status"),
  payload: z.object({
    status: TaskStatusSchema,
    phase: TaskPhaseSchema,
    outcome: TaskOutcomeSchema.nullable(),
    error: TaskErrorSchema.nullable(),
  }),
});

/** A new turn was sent to the agent; `prompt` is exactly what it was given. */
const TurnEvent = z.object({
  type: z.literal("task.turn"),
  payload: z.object({
    kind: z.enum(["analyze", "fix", "follow_up", "prompt", "resume"]),
    prompt: z.string(),
    requestedBy: z.string().nullable(),
  }),
});

/**
 * Someone asked for work on the task: created it, followed up, retried or cancelled.
 * Stored before the work is queued, so an acknowledged request survives a crash, and
 * kept as the task's audit trail.
 */
const RequestEvent = z.object({
  type: z.literal("task.request"),
  payload: z.object({
    action: z.enum(["create", "follow_up", "retry", "cancel"]),
    message: z.string().nullable(),
    by: z.string(),
  }),
});

/** The agent's analysis arrived. */
const AnalysisEvent = z.object({
  type: z.literal("task.analysis"),
  payload: z.object({ analysis: AnalysisSchema }),
});

/** The pull request was opened or updated. */
const PullRequestEvent = z.object({
  type: z.literal("task.pull_request"),
  payload: z.object({ pullRequest: PullRequestSchema, created: z.boolean() }),
});

/** Something the server did around the agent (fetched, pushed, commented…). */
const LogEvent = z.object({
  type: z.literal("task.log"),
  payload: z.object({ level: z.enum(["info", "warn", "error"]), message: z.string() }),
});

/** An event from the Codex agent. */
const AgentStreamEvent = z.object({
  type: z.literal("agent"),
  payload: AgentEventSchema,
});

/** What can be appended to a task's event log (without its sequence number and time). */
export const TaskEventInputSchema = z.discriminatedUnion("type", [
  StatusEvent,
  RequestEvent,
  TurnEvent,
  AnalysisEvent,
  PullRequestEvent,
  LogEvent,
  AgentStreamEvent,
]);
/** What can be appended to a task's event log. */
export type TaskEventInput = z.infer<typeof TaskEventInputSchema>;

const EventMeta = z.object({
  seq: z.number().int().positive(),
  taskId: z.string(),
  at: z.string(),
});

/**
 * One stored event of a task's log. `seq` increases by one per task and is the SSE `id:`,
 * so a client resumes with `Last-Event-ID`.
 */
export const TaskEventSchema = z.discriminatedUnion("type", [
  StatusEvent.extend(EventMeta.shape),
  RequestEvent.extend(EventMeta.shape),
  TurnEvent.extend(EventMeta.shape),
  AnalysisEvent.extend(EventMeta.shape),
  PullRequestEvent.extend(EventMeta.shape),
  LogEvent.extend(EventMeta.shape),
  AgentStreamEvent.extend(EventMeta.shape),
]);
/** One stored event of a task's log. */
export type TaskEvent = z.infer<typeof TaskEventSchema>;

/** `GET /api/tasks/:id/events` with `Accept: application/json`. */
export const TaskEventListResponseSchema = z.object({ events: z.array(TaskEventSchema) });
/** `GET /api/tasks/:id/events` as JSON. */
export type TaskEventListResponse = z.infer<typeof TaskEventListResponseSchema>;

/** `GET /api/tasks/:id/events` query: replay after this sequence number. */
export const TaskEventQuerySchema = z.object({
  after: z.coerce.number().int().nonnegative().optional(),
});

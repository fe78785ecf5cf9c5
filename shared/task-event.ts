import { z } from "zod";
import { AnalysisSchema } from "./analysis.js";
import { AgentEventSchema, UsageSchema } from "./agent-event.js";
import { PullRequestSchema, TaskErrorSchema } from "./task.js";
import { TaskOutcomeSchema, TaskPhaseSchema, TaskStatusSchema } from "./task-state.js";
import { TestVerdictSchema } from "./test-verdict.js";

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
 * What asked for a follow-up: a person on Patchboard, failing checks on the pull request,
 * a review or mention on GitHub, or a Jira label. Absent on older events: a person.
 */
export const RequestSourceSchema = z.enum(["person", "ci", "review", "jira"]);
/** What asked for a follow-up. */
export type RequestSource = z.infer<typeof RequestSourceSchema>;

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
    source: RequestSourceSchema.optional(),
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

/**
 * Output of a command the server ran in the task's environment (setup, maintenance, the
 * server's test run), in chunks of at most a few kilobytes, at most a few per second.
 */
const OutputEvent = z.object({
  type: z.literal("task.output"),
  payload: z.object({
    source: z.enum(["setup", "maintenance", "tests", "base_tests"]),
    text: z.string(),
  }),
});

/** The server's verdict on the tests after the agent's last turn. */
const TestsEvent = z.object({
  type: z.literal("task.tests"),
  payload: z.object({ verdict: TestVerdictSchema }),
});

/**
 * What the agent was told besides the ticket: the repository's AGENTS.md (which Codex
 * reads itself) and the repositories file's `instructions` (given on every turn).
 */
const ContextEvent = z.object({
  type: z.literal("task.context"),
  payload: z.object({ agentsMd: z.string().nullable(), instructions: z.string().nullable() }),
});

/**
 * The model gateway metered one model response of the task: the task's totals after it,
 * so a page shows tokens and cost rising during a turn.
 */
const UsageEvent = z.object({
  type: z.literal("task.usage"),
  payload: z.object({
    usage: UsageSchema,
    /** Estimated cost of the task so far, in the configured currency. */
    spent: z.number().nonnegative(),
    /** Model requests the task made so far. */
    requests: z.number().int().nonnegative(),
  }),
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
  OutputEvent,
  TestsEvent,
  ContextEvent,
  UsageEvent,
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
  OutputEvent.extend(EventMeta.shape),
  TestsEvent.extend(EventMeta.shape),
  ContextEvent.extend(EventMeta.shape),
  UsageEvent.extend(EventMeta.shape),
]);
/** One stored event of a task's log. */
export type TaskEvent = z.infer<typeof TaskEventSchema>;

/** The most events one page of `GET /api/tasks/:id/events` (JSON) holds, and its default size. */
export const MAX_TASK_EVENTS_PAGE = 1000;

/**
 * `GET /api/tasks/:id/events` with `Accept: application/json`: one page of events in
 * order. `nextAfter` is the `after` of the next page, or null when this page reached the
 * end of what is stored.
 */
export const TaskEventListResponseSchema = z.object({
  events: z.array(TaskEventSchema),
  nextAfter: z.number().int().nonnegative().nullable(),
});
/** `GET /api/tasks/:id/events` as JSON. */
export type TaskEventListResponse = z.infer<typeof TaskEventListResponseSchema>;

/**
 * `GET /api/tasks/:id/events` query: replay after this sequence number; `limit` bounds a
 * JSON page (1 to {@link MAX_TASK_EVENTS_PAGE}, that many by default).
 */
export const TaskEventQuerySchema = z.object({
  after: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_TASK_EVENTS_PAGE).optional(),
});

import { z } from "zod";
import { AnalysisSchema } from "./analysis.js";
import { UsageSchema } from "./agent-event.js";
import { ErrorCodeSchema } from "./errors.js";
import {
  TaskKindSchema,
  TaskOutcomeSchema,
  TaskPhaseSchema,
  TaskStatusSchema,
} from "./task-state.js";
import { TicketCommentSchema, TicketKeySchema } from "./ticket.js";

/** A pull request opened for a task. */
export const PullRequestSchema = z.object({
  url: z.string(),
  number: z.number().int().positive(),
  draft: z.boolean(),
  /** Where it ended (tracked after it opened); absent on older tasks: open. */
  state: z.enum(["open", "merged", "closed"]).optional(),
});
/** A pull request opened for a task. */
export type PullRequest = z.infer<typeof PullRequestSchema>;

/** Why a task failed, in words a person can act on. */
export const TaskErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
});
/** Why a task failed. */
export type TaskError = z.infer<typeof TaskErrorSchema>;

/** The exact ticket text the agent was given, kept even if the ticket changes later. */
export const TicketSnapshotSchema = z.object({
  key: z.string(),
  url: z.string(),
  summary: z.string(),
  description: z.string(),
  status: z.string(),
  priority: z.string().nullable(),
  reporter: z.string().nullable(),
  labels: z.array(z.string()),
  comments: z.array(TicketCommentSchema),
});
/** The exact ticket text the agent was given. */
export type TicketSnapshot = z.infer<typeof TicketSnapshotSchema>;

/** A task: one run of the agent on a ticket or a free-form prompt, with its follow-ups. */
export const TaskSchema = z.object({
  id: z.string(),
  kind: TaskKindSchema,
  ticketKey: z.string().nullable(),
  repo: z.string(),
  status: TaskStatusSchema,
  phase: TaskPhaseSchema,
  outcome: TaskOutcomeSchema.nullable(),
  threadId: z.string().nullable(),
  branch: z.string().nullable(),
  baseBranch: z.string(),
  pullRequest: PullRequestSchema.nullable(),
  analysis: AnalysisSchema.nullable(),
  summary: z.string().nullable(),
  testsPassed: z.boolean().nullable(),
  error: TaskErrorSchema.nullable(),
  usage: UsageSchema,
  prompt: z.string().nullable(),
  instructions: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  ticketSnapshot: TicketSnapshotSchema.nullable(),
});
/** A task. */
export type Task = z.infer<typeof TaskSchema>;

/**
 * A task as lists show it (`GET /api/tasks`, the CSV export): who, what, when, how it
 * ended and what it cost, with a one-line title, but without the long texts — ticket
 * snapshot, analysis, agent summary, prompt and instructions — that only the task's own
 * page reads. A history page of 50 stays a few kilobytes whatever the tickets held.
 */
export const TaskSummarySchema = TaskSchema.pick({
  id: true,
  kind: true,
  ticketKey: true,
  repo: true,
  status: true,
  phase: true,
  outcome: true,
  branch: true,
  baseBranch: true,
  pullRequest: true,
  testsPassed: true,
  error: true,
  usage: true,
  createdBy: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
}).extend({
  /** The ticket's summary, or the first line of a free-form prompt (at most 200 characters). */
  title: z.string(),
});
/** A task as lists show it. */
export type TaskSummary = z.infer<typeof TaskSummarySchema>;

/** `POST /api/tasks` */
export const CreateTaskRequestSchema = z
  .object({
    ticketKey: TicketKeySchema,
    instructions: z.string().trim().max(4000).optional(),
  })
  .strict();
/** `POST /api/tasks` */
export type CreateTaskRequest = z.infer<typeof CreateTaskRequestSchema>;

/** `POST /api/codex/task` */
export const CreatePromptTaskRequestSchema = z
  .object({
    prompt: z.string().trim().min(1).max(20_000),
    repo: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be a configured repository, owner/name"),
  })
  .strict();
/** `POST /api/codex/task` */
export type CreatePromptTaskRequest = z.infer<typeof CreatePromptTaskRequestSchema>;

/** `POST /api/tasks/:id/messages` */
export const FollowUpRequestSchema = z
  .object({
    message: z.string().trim().min(1).max(20_000),
    /** Adds this much (in the price currency) to the task's budget: an engineer's decision, recorded. */
    addBudget: z.number().positive().max(1_000_000).optional(),
  })
  .strict();
/** `POST /api/tasks/:id/messages` */
export type FollowUpRequest = z.infer<typeof FollowUpRequestSchema>;

/** `GET /api/tasks` query. */
export const TaskListQuerySchema = z.object({
  status: TaskStatusSchema.optional(),
  outcome: TaskOutcomeSchema.optional(),
  ticketKey: TicketKeySchema.optional(),
  repo: z.string().max(200).optional(),
  createdBy: z.string().max(320).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional(),
});
/** `GET /api/tasks` query. */
export type TaskListQuery = z.infer<typeof TaskListQuerySchema>;

/** `GET /api/tasks` */
export const TaskListResponseSchema = z.object({
  tasks: z.array(TaskSummarySchema),
  nextCursor: z.string().nullable(),
});
/** `GET /api/tasks` */
export type TaskListResponse = z.infer<typeof TaskListResponseSchema>;

/** `GET /api/tasks/:id`, and the answer to every call that creates or changes a task. */
export const TaskResponseSchema = z.object({ task: TaskSchema });
/** `GET /api/tasks/:id` */
export type TaskResponse = z.infer<typeof TaskResponseSchema>;

/** A task id in a path. */
export const TaskIdParamsSchema = z.object({ id: z.uuid() });

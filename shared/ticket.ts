import { z } from "zod";
import { TaskPhaseSchema, TaskStatusSchema } from "./task-state.js";

/** A Jira issue key such as `CALC-12`. */
export const TicketKeySchema = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9_]+-[1-9][0-9]*$/, "must be a Jira issue key such as CALC-12");

/** The queued or running task of a ticket, as shown on the tickets list. */
export const ActiveTaskRefSchema = z.object({
  id: z.string(),
  status: TaskStatusSchema,
  phase: TaskPhaseSchema,
});
/** The queued or running task of a ticket. */
export type ActiveTaskRef = z.infer<typeof ActiveTaskRefSchema>;

/** One row of the tickets list. */
export const TicketSummarySchema = z.object({
  key: z.string(),
  summary: z.string(),
  status: z.string(),
  priority: z.string().nullable(),
  assignee: z.string().nullable(),
  updated: z.string(),
  url: z.string(),
  repo: z.string(),
  activeTask: ActiveTaskRefSchema.nullable(),
});
/** One row of the tickets list. */
export type TicketSummary = z.infer<typeof TicketSummarySchema>;

/** A comment on a ticket, as plain text or markdown. */
export const TicketCommentSchema = z.object({
  id: z.string(),
  author: z.string(),
  body: z.string(),
  created: z.string(),
});
/** A comment on a ticket. */
export type TicketComment = z.infer<typeof TicketCommentSchema>;

/** A ticket with its description (plain text or markdown, never HTML) and comments. */
export const TicketDetailSchema = TicketSummarySchema.extend({
  issueType: z.string(),
  reporter: z.string().nullable(),
  labels: z.array(z.string()),
  description: z.string(),
  comments: z.array(TicketCommentSchema),
});
/** A ticket with its description and comments. */
export type TicketDetail = z.infer<typeof TicketDetailSchema>;

/** `GET /api/tickets` query. */
export const TicketListQuerySchema = z.object({
  cursor: z.string().min(1).max(2000).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
/** `GET /api/tickets` query. */
export type TicketListQuery = z.infer<typeof TicketListQuerySchema>;

/** `GET /api/tickets` */
export const TicketListResponseSchema = z.object({
  tickets: z.array(TicketSummarySchema),
  nextCursor: z.string().nullable(),
});
/** `GET /api/tickets` */
export type TicketListResponse = z.infer<typeof TicketListResponseSchema>;

/** `GET /api/tickets/:key` */
export const TicketResponseSchema = z.object({ ticket: TicketDetailSchema });
/** `GET /api/tickets/:key` */
export type TicketResponse = z.infer<typeof TicketResponseSchema>;

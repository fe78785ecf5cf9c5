import { z } from "zod";

/** What someone asked of a task: start it, follow up, retry or cancel. */
export const AuditActionSchema = z.enum(["create", "follow_up", "retry", "cancel"]);
/** What someone asked of a task. */
export type AuditAction = z.infer<typeof AuditActionSchema>;

/** One request made of a task: who, what, when, and the follow-up's text. */
export const TaskAuditEntrySchema = z.object({
  action: AuditActionSchema,
  /** The user's (or service token's) email. */
  by: z.string(),
  at: z.string(),
  /** The follow-up message or the fix instructions; null otherwise. */
  message: z.string().nullable(),
});
/** One request made of a task. */
export type TaskAuditEntry = z.infer<typeof TaskAuditEntrySchema>;

/** `GET /api/tasks/:id/audit` (admins): every request made of the task, oldest first. */
export const TaskAuditResponseSchema = z.object({
  taskId: z.string(),
  entries: z.array(TaskAuditEntrySchema),
});
/** `GET /api/tasks/:id/audit` */
export type TaskAuditResponse = z.infer<typeof TaskAuditResponseSchema>;

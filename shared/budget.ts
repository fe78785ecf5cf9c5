import { z } from "zod";

/**
 * Budgets on model spend: per task (follow-ups included) and per day (all tasks, one
 * person, one repository), in the configured price currency. Amounts are estimates from
 * the token prices of the settings.
 */

/**
 * The share of a daily budget from which it is near its limit: the admins' service check
 * warns, and History marks the day, person or repository.
 */
export const BUDGET_WARNING_SHARE = 0.8;

/** Which budget: the task's own, or one of the daily ones. */
export const BudgetScopeSchema = z.enum(["task", "daily", "person", "repo", "requests"]);
/** Which budget. */
export type BudgetScope = z.infer<typeof BudgetScopeSchema>;

/** One budget and what is spent against it. */
export const BudgetLineSchema = z.object({
  scope: BudgetScopeSchema,
  /** The limit: an amount in `currency`, or a number of model requests for `requests`. */
  limit: z.number().nonnegative(),
  spent: z.number().nonnegative(),
  /** When a daily budget starts again (ISO-8601); null for a task's budget. */
  resetsAt: z.string().nullable(),
});
/** One budget and what is spent against it. */
export type BudgetLine = z.infer<typeof BudgetLineSchema>;

/** `GET /api/budget`: the day's budgets that apply to the signed-in person. */
export const BudgetStatusResponseSchema = z.object({
  currency: z.string(),
  /** The budget day (UTC), `YYYY-MM-DD`. */
  day: z.string(),
  /** The daily budgets that apply (all tasks, this person, and each repository with one). */
  budgets: z.array(BudgetLineSchema.extend({ repo: z.string().nullable() })),
  /** Why a new task cannot start now, or null when it can. */
  blocked: z.string().nullable(),
});
/** `GET /api/budget` */
export type BudgetStatusResponse = z.infer<typeof BudgetStatusResponseSchema>;

/** `GET /api/tasks/:id/spend`: the task's spend against its budget. */
export const TaskSpendResponseSchema = z.object({
  currency: z.string(),
  spent: z.number().nonnegative(),
  /** TASK_BUDGET plus what people added with follow-ups; null without a task budget. */
  limit: z.number().nonnegative().nullable(),
  requests: z.number().int().nonnegative(),
  maxRequests: z.number().int().positive().nullable(),
});
/** `GET /api/tasks/:id/spend` */
export type TaskSpendResponse = z.infer<typeof TaskSpendResponseSchema>;

/** One row of the spend report: a day, a person and a repository. */
export const SpendRowSchema = z.object({
  day: z.string(),
  person: z.string().nullable(),
  repo: z.string().nullable(),
  spent: z.number().nonnegative(),
  requests: z.number().int().nonnegative(),
});
/** One row of the spend report. */
export type SpendRow = z.infer<typeof SpendRowSchema>;

/** `GET /api/budget/spend?from=&to=` (admins): spend per day, person and repository. */
export const SpendReportResponseSchema = z.object({
  currency: z.string(),
  /** The budget days reported, inclusive (`YYYY-MM-DD`, UTC). */
  from: z.string(),
  to: z.string(),
  rows: z.array(SpendRowSchema),
  /** The configured daily budgets, to read the rows against. */
  limits: z.object({
    daily: z.number().nullable(),
    person: z.number().nullable(),
    repo: z.number().nullable(),
  }),
});
/** `GET /api/budget/spend` */
export type SpendReportResponse = z.infer<typeof SpendReportResponseSchema>;

/** `GET /api/budget/spend` query: budget days, inclusive (default: the last 30). */
export const SpendReportQuerySchema = z
  .object({
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  })
  .refine((range) => !range.from || !range.to || range.from <= range.to, {
    message: "from must not be after to",
    path: ["to"],
  });
/** `GET /api/budget/spend` query. */
export type SpendReportQuery = z.infer<typeof SpendReportQuerySchema>;

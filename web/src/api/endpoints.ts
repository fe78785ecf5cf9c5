import { ReviewRunListResponseSchema, ReviewRunResponseSchema } from "../../../shared/index.js";
import { BudgetStatusResponseSchema, TaskSpendResponseSchema } from "../../../shared/index.js";
import { SpendReportResponseSchema } from "../../../shared/index.js";
import type { BudgetStatusResponse, TaskSpendResponse } from "../../../shared/index.js";
import type { SpendReportQuery, SpendReportResponse } from "../../../shared/index.js";
import type { ReviewRunDetail, ReviewRunListResponse } from "../../../shared/index.js";
import {
  AuthConfigResponseSchema,
  LogoutResponseSchema,
  TaskAuditResponseSchema,
  MeResponseSchema,
  SettingsResponseSchema,
  TaskListResponseSchema,
  TaskResponseSchema,
  TaskStatsResponseSchema,
  TicketListResponseSchema,
  TicketResponseSchema,
} from "../../../shared/index.js";
import type {
  AuthConfigResponse,
  TaskAuditResponse,
  CreatePromptTaskRequest,
  CreateTaskRequest,
  SettingsResponse,
  Task,
  TaskListResponse,
  TaskStatsResponse,
  TicketDetail,
  TicketListResponse,
  User,
} from "../../../shared/index.js";
import { isApiStatus } from "./api-error.js";
import { apiJson, apiRefusal, apiText, apiVoid } from "./client.js";
import type { ApiError } from "./api-error.js";
import { taskFilterQuery } from "./task-filters.js";
import type { TaskFilters } from "./task-filters.js";

type Signal = AbortSignal | undefined;

const withQuery = (path: string, query: string): string => (query ? `${path}?${query}` : path);

/** Who is signed in, or null when nobody is (401). */
export async function fetchMe(signal?: Signal): Promise<User | null> {
  try {
    return (await apiJson(MeResponseSchema, "/api/me", { signal })).user;
  } catch (error) {
    if (isApiStatus(error, 401)) return null;
    throw error;
  }
}

/** What the sign-in page should offer. */
export function fetchAuthConfig(signal?: Signal): Promise<AuthConfigResponse> {
  return apiJson(AuthConfigResponseSchema, "/api/auth/config", { signal });
}

/** Signs in as a configured development user. */
export async function devLogin(email: string): Promise<User> {
  const body = await apiJson(MeResponseSchema, "/api/auth/dev-login", {
    method: "POST",
    body: { email },
  });
  return body.user;
}

/**
 * Ends the session. With single sign-on the server answers where the identity provider
 * ends its own session too, and the browser goes there.
 */
export async function logout(): Promise<void> {
  const text = await apiText("/api/auth/logout", { method: "POST" });
  if (text.trim() === "") return;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return;
  }
  const parsed = LogoutResponseSchema.safeParse(body);
  if (parsed.success) window.location.assign(parsed.data.logoutUrl);
}

/** What the dashboard needs to know about this installation. */
export function fetchSettings(signal?: Signal): Promise<SettingsResponse> {
  return apiJson(SettingsResponseSchema, "/api/settings", { signal });
}

/** One page of tickets. */
export function fetchTickets(
  params: { q?: string; cursor?: string | undefined; limit?: number },
  signal?: Signal,
): Promise<TicketListResponse> {
  const query = new URLSearchParams();
  if (params.q) query.set("q", params.q);
  if (params.cursor) query.set("cursor", params.cursor);
  if (params.limit) query.set("limit", String(params.limit));
  return apiJson(TicketListResponseSchema, withQuery("/api/tickets", query.toString()), {
    signal,
  });
}

/** One ticket with its description and comments. */
export async function fetchTicket(key: string, signal?: Signal): Promise<TicketDetail> {
  const body = await apiJson(TicketResponseSchema, `/api/tickets/${encodeURIComponent(key)}`, {
    signal,
  });
  return body.ticket;
}

/** Starts a fix for a ticket (or returns its active task). */
export async function createTask(request: CreateTaskRequest): Promise<Task> {
  const body = await apiJson(TaskResponseSchema, "/api/tasks", { method: "POST", body: request });
  return body.task;
}

/** Starts a free-form prompt task on a repository. */
export async function createPromptTask(request: CreatePromptTaskRequest): Promise<Task> {
  const body = await apiJson(TaskResponseSchema, "/api/codex/task", {
    method: "POST",
    body: request,
  });
  return body.task;
}

/** One page of tasks, newest first. */
export function fetchTasks(
  filters: TaskFilters,
  page: { cursor?: string | undefined; limit?: number } = {},
  signal?: Signal,
): Promise<TaskListResponse> {
  const query = taskFilterQuery(filters, {
    limit: page.limit ? String(page.limit) : undefined,
    cursor: page.cursor,
  });
  return apiJson(TaskListResponseSchema, withQuery("/api/tasks", query), { signal });
}

/** Summary figures for the History page. */
export function fetchTaskStats(filters: TaskFilters, signal?: Signal): Promise<TaskStatsResponse> {
  return apiJson(TaskStatsResponseSchema, withQuery("/api/tasks/stats", taskFilterQuery(filters)), {
    signal,
  });
}

/** Where the CSV export for these filters downloads from. */
export function taskExportUrl(filters: TaskFilters): string {
  return withQuery("/api/tasks/export.csv", taskFilterQuery(filters));
}

const taskPath = (id: string): string => `/api/tasks/${encodeURIComponent(id)}`;

/** One task. */
export async function fetchTask(id: string, signal?: Signal): Promise<Task> {
  return (await apiJson(TaskResponseSchema, taskPath(id), { signal })).task;
}

/** The task's changes as a unified diff. */
export function fetchTaskDiff(id: string, signal?: Signal): Promise<string> {
  return apiText(`${taskPath(id)}/diff`, { signal });
}

/** Where the task's live events stream from, after the given sequence number. */
export function taskEventsUrl(id: string, after: number): string {
  return after > 0 ? `${taskPath(id)}/events?after=${after}` : `${taskPath(id)}/events`;
}

/**
 * Why the task's live stream was refused (a 429 past the per-person cap on live streams, a
 * 404…), asked again as the EventSource did; null when the stream would open now.
 */
export function fetchTaskStreamRefusal(
  id: string,
  after: number,
  signal?: Signal,
): Promise<ApiError | null> {
  return apiRefusal(taskEventsUrl(id, after), { signal, accept: "text/event-stream" });
}

/** Sends a follow-up message to the agent. */
export async function sendFollowUp(id: string, message: string): Promise<Task> {
  const body = await apiJson(TaskResponseSchema, `${taskPath(id)}/messages`, {
    method: "POST",
    body: { message },
  });
  return body.task;
}

/** Asks the server to cancel the task. */
export function cancelTask(id: string): Promise<void> {
  return apiVoid(`${taskPath(id)}/cancel`, { method: "POST" });
}

/** Asks the server to run a failed or cancelled task again. */
export function retryTask(id: string): Promise<void> {
  return apiVoid(`${taskPath(id)}/retry`, { method: "POST" });
}

/** One page of nightly review runs, newest first. */
export function fetchReviewRuns(
  page: { cursor?: string | undefined; limit?: number } = {},
  signal?: Signal,
): Promise<ReviewRunListResponse> {
  const query = new URLSearchParams();
  if (page.cursor) query.set("cursor", page.cursor);
  if (page.limit) query.set("limit", String(page.limit));
  return apiJson(ReviewRunListResponseSchema, withQuery("/api/reviews", query.toString()), {
    signal,
  });
}

/** One review run with its pull requests, highest risk first. */
export async function fetchReviewRun(id: string, signal?: Signal): Promise<ReviewRunDetail> {
  const body = await apiJson(ReviewRunResponseSchema, `/api/reviews/${encodeURIComponent(id)}`, {
    signal,
  });
  return body.run;
}

/** Admins: starts a review run now (409 when one is already running). */
export async function startReviewRun(): Promise<ReviewRunDetail> {
  const body = await apiJson(ReviewRunResponseSchema, "/api/reviews/run", { method: "POST" });
  return body.run;
}

/** Who started, followed up, retried or cancelled a task (admins). */
export function fetchTaskAudit(id: string, signal?: Signal): Promise<TaskAuditResponse> {
  return apiJson(TaskAuditResponseSchema, `/api/tasks/${encodeURIComponent(id)}/audit`, {
    signal,
  });
}

/** The day's budgets for the signed-in person (`GET /api/budget`). */
export function fetchBudget(signal?: Signal): Promise<BudgetStatusResponse> {
  return apiJson(BudgetStatusResponseSchema, "/api/budget", { signal });
}

/** A task's spend against its budget. */
export function fetchTaskSpend(id: string, signal?: Signal): Promise<TaskSpendResponse> {
  return apiJson(TaskSpendResponseSchema, `/api/tasks/${encodeURIComponent(id)}/spend`, {
    signal,
  });
}

/** Admins: spend per day, person and repository for budget days `from`..`to` (default 30 days). */
export function fetchSpendReport(
  range: SpendReportQuery,
  signal?: Signal,
): Promise<SpendReportResponse> {
  const query = new URLSearchParams();
  if (range.from) query.set("from", range.from);
  if (range.to) query.set("to", range.to);
  return apiJson(SpendReportResponseSchema, withQuery("/api/budget/spend", query.toString()), {
    signal,
  });
}

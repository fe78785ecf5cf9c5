/**
 * Builders for API data in web tests. Every builder parses its result with the shared
 * schema, so fixtures stay honest when the contract changes.
 */
import {
  AuthConfigResponseSchema,
  SettingsResponseSchema,
  TaskEventSchema,
  TaskSchema,
  TaskStatsResponseSchema,
  TicketDetailSchema,
  TicketSummarySchema,
  UserSchema,
} from "../../shared/index.js";
import type {
  AuthConfigResponse,
  SettingsResponse,
  Task,
  TaskEvent,
  TaskEventInput,
  TaskStatsResponse,
  TaskSummary,
  TicketDetail,
  TicketSummary,
  User,
} from "../../shared/index.js";
import { summarizeTask } from "../../server/domain/tasks/task-summary.js";

/** One user per role. */
export const USERS = {
  pm: UserSchema.parse({ email: "pam@example.com", name: "Pam Product", role: "pm" }),
  engineer: UserSchema.parse({
    email: "erin@example.com",
    name: "Erin Engineer",
    role: "engineer",
  }),
  admin: UserSchema.parse({ email: "ada@example.com", name: "Ada Admin", role: "admin" }),
} satisfies Record<string, User>;

/** A fixed task id (a UUID, as the server uses). */
export const TASK_ID = "6f1c2f4e-8a51-4c1b-9a3e-2b7d5c9e0a11";

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

export function makeSettings(overrides: Partial<SettingsResponse> = {}): SettingsResponse {
  return SettingsResponseSchema.parse({
    mode: "production",
    jiraBaseUrl: "https://jira.example.com",
    repos: [
      { github: "acme/calc", jiraProject: "CALC", baseBranch: "main" },
      { github: "acme/web", jiraProject: "WEB", baseBranch: "develop" },
    ],
    pricing: {
      currency: "USD",
      inputPerMillion: 1.25,
      cachedInputPerMillion: 0.125,
      outputPerMillion: 10,
    },
    ...overrides,
  });
}

export function makeAuthConfig(overrides: Partial<AuthConfigResponse> = {}): AuthConfigResponse {
  return AuthConfigResponseSchema.parse({
    mode: "dev",
    sandbox: false,
    devUsers: [USERS.pm, USERS.engineer, USERS.admin],
    ...overrides,
  });
}

export function makeTicket(overrides: Partial<TicketSummary> = {}): TicketSummary {
  const key = overrides.key ?? "CALC-12";
  return TicketSummarySchema.parse({
    key,
    summary: "Division by zero crashes the calculator",
    status: "To Do",
    priority: "High",
    assignee: "Sam Dev",
    updated: minutesAgo(180),
    url: `https://jira.example.com/browse/${key}`,
    repo: "acme/calc",
    activeTask: null,
    ...overrides,
  });
}

export function makeTicketDetail(overrides: Partial<TicketDetail> = {}): TicketDetail {
  return TicketDetailSchema.parse({
    ...makeTicket(overrides),
    issueType: "Bug",
    reporter: "Pam Product",
    labels: ["calculator"],
    description: "Steps:\n\n1. Type `1/0`\n2. Press **=**\n\nThe app crashes.",
    comments: [
      { id: "c1", author: "Sam Dev", body: "Reproduced on *main*.", created: minutesAgo(60) },
    ],
    ...overrides,
  });
}

export function makeTask(overrides: Partial<Task> = {}): Task {
  return TaskSchema.parse({
    id: TASK_ID,
    kind: "fix",
    ticketKey: "CALC-12",
    repo: "acme/calc",
    status: "running",
    phase: "fixing",
    outcome: null,
    threadId: "thread_1",
    branch: "patchboard/calc-12",
    baseBranch: "main",
    pullRequest: null,
    analysis: null,
    summary: null,
    testsPassed: null,
    error: null,
    usage: { inputTokens: 120_000, cachedInputTokens: 80_000, outputTokens: 6_000 },
    prompt: null,
    instructions: null,
    createdBy: USERS.pm.email,
    createdAt: minutesAgo(3),
    startedAt: minutesAgo(2),
    finishedAt: null,
    ticketSnapshot: {
      key: "CALC-12",
      url: "https://jira.example.com/browse/CALC-12",
      summary: "Division by zero crashes the calculator",
      description: "The app crashes.",
      status: "To Do",
      priority: "High",
      reporter: "Pam Product",
      labels: [],
      comments: [],
    },
    ...overrides,
  });
}

/** A task as `GET /api/tasks` lists it. */
export function makeTaskSummary(overrides: Partial<Task> = {}): TaskSummary {
  return summarizeTask(makeTask(overrides));
}

/** A stored task event with its sequence number. */
export function makeEvent(seq: number, input: TaskEventInput, taskId = TASK_ID): TaskEvent {
  return TaskEventSchema.parse({ ...input, seq, taskId, at: minutesAgo(2) });
}

export function makeStats(overrides: Partial<TaskStatsResponse> = {}): TaskStatsResponse {
  return TaskStatsResponseSchema.parse({
    days: [
      {
        date: "2025-05-01",
        tasks: 4,
        completed: 3,
        failed: 1,
        usage: { inputTokens: 400_000, cachedInputTokens: 100_000, outputTokens: 20_000 },
      },
      {
        date: "2025-05-02",
        tasks: 6,
        completed: 5,
        failed: 1,
        usage: { inputTokens: 600_000, cachedInputTokens: 300_000, outputTokens: 40_000 },
      },
    ],
    total: 10,
    successRate: 0.8,
    medianDurationMs: 192_000,
    usage: { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 60_000 },
    ...overrides,
  });
}

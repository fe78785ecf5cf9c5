import { randomUUID } from "node:crypto";
import { TaskEventSchema } from "../../shared/task-event.js";
import type { TaskEvent, TaskEventInput } from "../../shared/task-event.js";
import { TaskSchema } from "../../shared/task.js";
import type { Task, TaskListQuery } from "../../shared/task.js";
import { AppError } from "../../server/domain/app-error.js";
import type { ClaimLimits, LeasedTask, TaskLease } from "../../server/domain/ports/task-leases.js";
import type {
  NewTask,
  NewTaskRequest,
  OwnerGuard,
  TaskPage,
  TaskRequest,
  TaskPatch,
  TaskStore,
} from "../../server/domain/ports/task-store.js";
import { summarizeTask } from "../../server/domain/tasks/task-summary.js";
import { decodeCursor, encodeCursor } from "../../server/adapters/storage/cursor.js";
import { parseTaskPatch } from "../../server/adapters/storage/task-rows.js";
import { nowIso, toIsoUtc, toIsoUtcOrNull } from "../../server/adapters/storage/timestamps.js";

interface Entry {
  seq: number;
  task: Task;
  events: TaskEvent[];
  requests: TaskRequest[];
  /** The worker holding the running task, and until when (ISO-8601 UTC). */
  lease: { owner: string | null; expiresAt: string | null };
}

const NO_LEASE = { owner: null, expiresAt: null };

const ACTIVE: readonly Task["status"][] = ["queued", "running"];

/** Runs synchronous work so that a throw becomes a rejection, as with the async SQL store. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * An in-memory TaskStore for fast domain unit tests, with the SQL store's semantics:
 * one active task per ticket, keyset cursors, atomic transitions, validated patches and
 * events. Runs the same contract suite as the SQLite store. Returns copies, never its
 * own objects, so a test cannot change stored state by accident.
 */
export class InMemoryTaskStore implements TaskStore {
  readonly #entries = new Map<string, Entry>();
  #nextSeq = 1;

  /** Every stored task, oldest first; for assertions. */
  all(): Task[] {
    return [...this.#entries.values()].map((e) => structuredClone(e.task));
  }

  create(input: NewTask): Promise<{ task: Task; created: boolean }> {
    if (input.ticketKey !== null) {
      const active = this.#activeFor(input.ticketKey);
      if (active) return Promise.resolve({ task: structuredClone(active.task), created: false });
    }
    const now = nowIso();
    const task = TaskSchema.parse({
      ...input,
      id: randomUUID(),
      status: "queued",
      phase: "queued",
      outcome: null,
      threadId: null,
      pullRequest: null,
      analysis: null,
      summary: null,
      testsPassed: null,
      error: null,
      usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
      createdAt: now,
      startedAt: null,
      finishedAt: null,
    });
    this.#entries.set(task.id, {
      seq: this.#nextSeq++,
      task,
      events: [],
      requests: [],
      lease: NO_LEASE,
    });
    return Promise.resolve({ task: structuredClone(task), created: true });
  }

  get(id: string): Promise<Task | null> {
    const entry = this.#entries.get(id);
    return Promise.resolve(entry ? structuredClone(entry.task) : null);
  }

  update(id: string, patch: TaskPatch): Promise<Task> {
    const entry = this.#entries.get(id);
    if (!entry) return Promise.reject(new AppError("not_found", "Task not found"));
    return settle(() => this.#apply(entry, patch));
  }

  transition(
    id: string,
    from: Task["status"][],
    patch: TaskPatch,
    guard?: OwnerGuard,
  ): Promise<Task | null> {
    const entry = this.#entries.get(id);
    if (!entry || !from.includes(entry.task.status)) return Promise.resolve(null);
    if (guard !== undefined && entry.lease.owner !== guard.owner) return Promise.resolve(null);
    return settle(() => this.#apply(entry, patch));
  }

  claim(
    id: string,
    lease: TaskLease,
    patch: TaskPatch,
    limits: ClaimLimits = {},
  ): Promise<Task | null> {
    const entry = this.#entries.get(id);
    if (entry?.task.status !== "queued") return Promise.resolve(null);
    const running = [...this.#entries.values()].filter((e) => e.task.status === "running");
    const sameRepo = running.filter((e) => e.task.repo === entry.task.repo);
    if (running.length >= (limits.total ?? Infinity)) return Promise.resolve(null);
    if (sameRepo.length >= (limits.perRepo ?? Infinity)) return Promise.resolve(null);
    return settle(() => {
      const task = this.#apply(entry, { ...patch, status: "running" });
      entry.lease = { owner: lease.owner, expiresAt: toIsoUtc(lease.expiresAt) };
      return task;
    });
  }

  renewLeases(owner: string, ids: string[], expiresAt: string): Promise<string[]> {
    const held = this.#held(owner, ids);
    for (const id of held) {
      const entry = this.#entries.get(id);
      if (entry) entry.lease = { owner, expiresAt: toIsoUtc(expiresAt) };
    }
    return Promise.resolve(held);
  }

  heldLeases(owner: string, ids: string[]): Promise<string[]> {
    return Promise.resolve(this.#held(owner, ids));
  }

  releaseLeases(owner: string, ids: string[]): Promise<number> {
    const held = this.#held(owner, ids);
    for (const id of held) {
      const entry = this.#entries.get(id);
      if (entry) entry.lease = NO_LEASE;
    }
    return Promise.resolve(held.length);
  }

  listOrphaned(self: string, now: string): Promise<LeasedTask[]> {
    const at = toIsoUtc(now);
    return Promise.resolve(
      [...this.#entries.values()]
        .filter((e) => e.task.status === "running" && orphaned(e.lease, self, at))
        .sort((a, b) => a.seq - b.seq)
        .map((e) => ({
          task: structuredClone(e.task),
          owner: e.lease.owner,
          leaseExpiresAt: e.lease.expiresAt,
        })),
    );
  }

  takeOver(
    id: string,
    seen: { owner: string | null },
    lease: TaskLease,
    now: string,
  ): Promise<Task | null> {
    const entry = this.#entries.get(id);
    if (
      entry?.task.status !== "running" ||
      entry.lease.owner !== seen.owner ||
      !orphaned(entry.lease, lease.owner, toIsoUtc(now))
    ) {
      return Promise.resolve(null);
    }
    entry.lease = { owner: lease.owner, expiresAt: toIsoUtc(lease.expiresAt) };
    return Promise.resolve(structuredClone(entry.task));
  }

  #held(owner: string, ids: string[]): string[] {
    return ids.filter((id) => {
      const entry = this.#entries.get(id);
      return entry?.task.status === "running" && entry.lease.owner === owner;
    });
  }

  addUsage(id: string, usage: Task["usage"]): Promise<void> {
    const entry = this.#entries.get(id);
    if (!entry) return Promise.reject(new AppError("not_found", "Task not found"));
    const total = entry.task.usage;
    total.inputTokens += usage.inputTokens;
    total.cachedInputTokens += usage.cachedInputTokens;
    total.outputTokens += usage.outputTokens;
    return Promise.resolve();
  }

  list(query: TaskListQuery): Promise<TaskPage> {
    return settle(() => this.#list(query));
  }

  #list(query: TaskListQuery): TaskPage {
    const before = query.cursor === undefined ? Infinity : decodeCursor(query.cursor);
    const from = query.from === undefined ? undefined : toIsoUtc(query.from);
    const to = query.to === undefined ? undefined : toIsoUtc(query.to);
    const matching = [...this.#entries.values()]
      .filter(({ seq, task: t }) => {
        if (seq >= before) return false;
        if (query.status !== undefined && t.status !== query.status) return false;
        if (query.outcome !== undefined && t.outcome !== query.outcome) return false;
        if (query.ticketKey !== undefined && t.ticketKey !== query.ticketKey) return false;
        if (query.repo !== undefined && t.repo !== query.repo) return false;
        if (query.createdBy !== undefined && t.createdBy !== query.createdBy) return false;
        if (from !== undefined && t.createdAt < from) return false;
        return to === undefined || t.createdAt < to;
      })
      .sort((a, b) => b.seq - a.seq);
    const page = matching.slice(0, query.limit);
    const last = page.at(-1);
    return {
      tasks: page.map((e) => summarizeTask(structuredClone(e.task))),
      nextCursor: matching.length > query.limit && last ? encodeCursor(last.seq) : null,
    };
  }

  findActive(ticketKeys: string[]): Promise<Map<string, Task>> {
    const result = new Map<string, Task>();
    for (const key of ticketKeys) {
      const active = this.#activeFor(key);
      if (active) result.set(key, structuredClone(active.task));
    }
    return Promise.resolve(result);
  }

  listByStatus(statuses: Task["status"][]): Promise<Task[]> {
    return Promise.resolve(
      [...this.#entries.values()]
        .filter((e) => statuses.includes(e.task.status))
        .sort((a, b) => a.seq - b.seq)
        .map((e) => structuredClone(e.task)),
    );
  }

  appendEvent(taskId: string, input: TaskEventInput): Promise<TaskEvent> {
    const entry = this.#entries.get(taskId);
    if (!entry) return Promise.reject(new AppError("not_found", "Task not found"));
    const parsed = TaskEventSchema.safeParse({
      ...input,
      seq: entry.events.length + 1,
      taskId,
      at: nowIso(),
    });
    if (!parsed.success) {
      return Promise.reject(
        new AppError("internal", "A task event does not match the contract", {
          cause: parsed.error,
        }),
      );
    }
    entry.events.push(parsed.data);
    return Promise.resolve(structuredClone(parsed.data));
  }

  listEvents(taskId: string, afterSeq = 0, limit?: number): Promise<TaskEvent[]> {
    const events = (this.#entries.get(taskId)?.events ?? []).filter((e) => e.seq > afterSeq);
    return Promise.resolve(events.slice(0, limit).map((e) => structuredClone(e)));
  }

  addRequest(taskId: string, input: NewTaskRequest): Promise<TaskRequest> {
    const entry = this.#entries.get(taskId);
    if (!entry) return Promise.reject(new AppError("not_found", "Task not found"));
    const request = structuredClone({ ...input, at: nowIso() });
    entry.requests.push(request);
    return Promise.resolve(structuredClone(request));
  }

  listRequests(taskId: string): Promise<TaskRequest[]> {
    return Promise.resolve(structuredClone(this.#entries.get(taskId)?.requests ?? []));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #activeFor(ticketKey: string): Entry | undefined {
    for (const entry of this.#entries.values()) {
      if (entry.task.ticketKey === ticketKey && ACTIVE.includes(entry.task.status)) return entry;
    }
    return undefined;
  }

  /** Applies a validated patch, enforcing one active task per ticket like the unique index. */
  #apply(entry: Entry, patch: TaskPatch): Task {
    const parsed = parseTaskPatch(patch);
    const next = TaskSchema.parse({ ...entry.task, ...parsed });
    next.startedAt = toIsoUtcOrNull(next.startedAt);
    next.finishedAt = toIsoUtcOrNull(next.finishedAt);
    if (next.ticketKey !== null && ACTIVE.includes(next.status)) {
      const active = this.#activeFor(next.ticketKey);
      if (active && active !== entry) {
        throw new AppError("conflict", "The ticket already has a queued or running task");
      }
    }
    entry.task = next;
    // Leaving `running` drops the lease, as in the SQL store.
    if (next.status !== "running") entry.lease = NO_LEASE;
    return structuredClone(next);
  }
}

/** Whether a running task's lease lets `self` take it over at `at`. */
function orphaned(lease: Entry["lease"], self: string, at: string): boolean {
  return (
    lease.owner === null || lease.owner === self || lease.expiresAt === null || lease.expiresAt < at
  );
}

/** Creates an empty {@link InMemoryTaskStore}. */
export function createInMemoryTaskStore(): InMemoryTaskStore {
  return new InMemoryTaskStore();
}

import type { Task, TaskListQuery, TaskSummary } from "../../../shared/task.js";
import type { TaskEvent, TaskEventInput } from "../../../shared/task-event.js";
import type { RequestSource } from "../../../shared/task-event.js";
import type { TaskLeaseStore } from "./task-leases.js";

/** What is needed to create a task; the store fills in id, status and times. */
export type NewTask = Pick<
  Task,
  | "kind"
  | "ticketKey"
  | "repo"
  | "baseBranch"
  | "branch"
  | "prompt"
  | "instructions"
  | "createdBy"
  | "ticketSnapshot"
>;

/**
 * Fields a use case may change on a task. What it was asked (ticket snapshot, prompt)
 * and who asked are fixed at creation, like the title lists show.
 */
export type TaskPatch = Partial<
  Omit<
    Task,
    "id" | "kind" | "ticketKey" | "repo" | "createdBy" | "createdAt" | "prompt" | "ticketSnapshot"
  >
>;

/** What a person (or the server itself) asked of a task. */
export type TaskRequestAction = Extract<
  TaskEventInput,
  { type: "task.request" }
>["payload"]["action"];

/**
 * One request made of a task (create, follow-up, retry — a resume is a retry by
 * "system" — or cancel), stored on its own so a run reads what it was asked without
 * scanning the event log.
 */
export interface TaskRequest {
  action: TaskRequestAction;
  message: string | null;
  by: string;
  /** ISO-8601 UTC. */
  at: string;
  /**
   * How the run before this request ended (its phase and error), when it failed or was
   * cancelled: a retry resumes from there. Null otherwise.
   */
  previous: { phase: Task["phase"]; error: Task["error"] } | null;
  /** What asked when it was not a person's click: failed checks, a review, a Jira label. */
  source?: RequestSource;
}

/** What is needed to store a request; the store sets `at`. */
export type NewTaskRequest = Omit<TaskRequest, "at">;

/** The result of creating a fix task: the existing active one comes back instead of a duplicate. */
export interface CreateTaskResult {
  task: Task;
  created: boolean;
}

/** One page of tasks, newest first, as lists show them. */
export interface TaskPage {
  tasks: TaskSummary[];
  nextCursor: string | null;
}

/** A condition on who holds a running task, for a run's own writes (see TaskLeaseStore). */
export interface OwnerGuard {
  owner: string;
}

/**
 * Durable storage of tasks and their event logs. Implementations must enforce "at most
 * one queued or running task per ticket" in the database itself. Leaving `running`
 * drops the task's owner and lease.
 */
export interface TaskStore extends TaskLeaseStore {
  /**
   * Creates a queued task. For a ticket that already has a queued or running task,
   * returns that task with `created: false`.
   */
  create(task: NewTask): Promise<CreateTaskResult>;
  get(id: string): Promise<Task | null>;
  /** Applies the patch and returns the updated task; throws not_found for an unknown id. */
  update(id: string, patch: TaskPatch): Promise<Task>;
  /**
   * Moves a task from one of `from` statuses to the patch's values atomically; returns
   * null when the task was not in one of them (someone else got there first). With
   * `guard`, also only while that worker owns the task: a run that lost its lease (a
   * cancel, a takeover) never overwrites what happened since.
   */
  transition(
    id: string,
    from: Task["status"][],
    patch: TaskPatch,
    guard?: OwnerGuard,
  ): Promise<Task | null>;
  /** Adds token usage to the task's running totals. */
  addUsage(id: string, usage: Task["usage"]): Promise<void>;
  /** Newest first, filtered, with an opaque cursor. */
  list(query: TaskListQuery): Promise<TaskPage>;
  /** The queued or running task of each of these tickets. */
  findActive(ticketKeys: string[]): Promise<Map<string, Task>>;
  /** Tasks in one of these statuses, oldest first (the worker's queue, recovery). */
  listByStatus(statuses: Task["status"][]): Promise<Task[]>;
  /** Appends an event with the next sequence number of the task and returns it as stored. */
  appendEvent(taskId: string, event: TaskEventInput): Promise<TaskEvent>;
  /** Events with a sequence number greater than `afterSeq`, in order; the first `limit` when given. */
  listEvents(taskId: string, afterSeq?: number, limit?: number): Promise<TaskEvent[]>;
  /** Stores a request of the task; throws not_found for an unknown task. */
  addRequest(taskId: string, request: NewTaskRequest): Promise<TaskRequest>;
  /** The task's requests, oldest first. */
  listRequests(taskId: string): Promise<TaskRequest[]>;
  /** Closes the underlying connection. */
  close(): Promise<void>;
}

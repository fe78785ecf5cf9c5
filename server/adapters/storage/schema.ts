import type { Generated } from "kysely";
import type { TaskKind, TaskOutcome, TaskPhase, TaskStatus } from "../../../shared/task-state.js";

/**
 * The `tasks` table. JSON columns hold text and booleans are 0/1 integers, so the same
 * shapes work on SQLite and PostgreSQL without dialect-specific column types.
 */
export interface TasksTable {
  /** Internal ordering key and list cursor; never leaves the storage adapter. */
  seq: Generated<number>;
  id: string;
  kind: TaskKind;
  ticket_key: string | null;
  repo: string;
  status: TaskStatus;
  phase: TaskPhase;
  outcome: TaskOutcome | null;
  thread_id: string | null;
  branch: string | null;
  base_branch: string;
  /** JSON of a PullRequest. */
  pull_request: string | null;
  /** JSON of an Analysis. */
  analysis: string | null;
  summary: string | null;
  /** 1, 0 or null. */
  tests_passed: number | null;
  /** JSON of a TaskError. */
  error: string | null;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  prompt: string | null;
  instructions: string | null;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** JSON of a TicketSnapshot. */
  ticket_snapshot: string | null;
  /** The list's one-line title (see taskTitle), fixed at creation. */
  title: string;
  updated_at: string;
  /** The seq of the task's latest event; bumped atomically by appendEvent. */
  last_event_seq: number;
  /** The worker running the task (migration 0009, see TaskLeaseStore); null when none holds it. */
  owner: Generated<string | null>;
  /** Until when the owner's lease holds (migration 0009). */
  lease_expires_at: Generated<string | null>;
}

/** The `task_requests` table (migration 0009): what was asked of a task, in order. */
export interface TaskRequestsTable {
  seq: Generated<number>;
  task_id: string;
  action: string;
  message: string | null;
  by: string;
  at: string;
  previous_phase: string | null;
  /** JSON of a TaskError. */
  previous_error: string | null;
  /** "ci", "review", "jira"; null for a person's request. */
  source: string | null;
}

/** The `task_events` table: one row per event, keyed by (task_id, seq). */
export interface TaskEventsTable {
  task_id: string;
  seq: number;
  type: string;
  /** JSON of the event's payload. */
  payload: string;
  at: string;
}

/** The `sessions` table. */
export interface SessionsTable {
  id_hash: string;
  /** JSON of a User. */
  user: string;
  created_at: string;
  expires_at: string;
  /** Null for sessions stored before migration 0012. */
  last_seen_at: string | null;
}

/** Every table of the storage adapter, as kysely sees them. */
export interface StorageSchema {
  tasks: TasksTable;
  task_events: TaskEventsTable;
  task_requests: TaskRequestsTable;
  sessions: SessionsTable;
}

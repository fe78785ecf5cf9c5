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
}

/** Every table of the storage adapter, as kysely sees them. */
export interface StorageSchema {
  tasks: TasksTable;
  task_events: TaskEventsTable;
  sessions: SessionsTable;
}

import type { AgentItem, TaskEvent, TestVerdict, Usage } from "../../../shared/index.js";

type OutputSource = Extract<TaskEvent, { type: "task.output" }>["payload"]["source"];

type ItemOf<T extends AgentItem["type"]> = Extract<AgentItem, { type: T }>;

/** A turn sent to the agent. */
export interface TurnEntry {
  kind: "turn";
  key: string;
  seq: number;
  at: string;
  turn: Extract<TaskEvent, { type: "task.turn" }>["payload"];
}

/** A thing the agent did (latest state of the item). */
export interface ItemEntry {
  kind: "item";
  key: string;
  seq: number;
  at: string;
  item: AgentItem;
}

/** A line the server logged around the agent. */
export interface LogEntry {
  kind: "log";
  key: string;
  seq: number;
  at: string;
  level: "info" | "warn" | "error";
  message: string;
}

/** One line of the activity timeline. */
export type ActivityEntry = TurnEntry | ItemEntry | LogEntry;

/** What the task page shows, derived from the task's events. */
export interface TaskActivity {
  timeline: ActivityEntry[];
  todo: ItemOf<"todo_list"> | null;
  commands: ItemOf<"command_execution">[];
  fileChanges: ItemOf<"file_change">[];
  /** Changed paths, latest kind per path. */
  changedFiles: { path: string; kind: "add" | "delete" | "update" }[];
  turnUsage: Usage[];
  lastSeq: number;
  /** The server's latest verdict on the tests. */
  verdict: TestVerdict | null;
  /** What the agent was told besides the ticket: AGENTS.md and the repository's instructions. */
  context: { agentsMd: string | null; instructions: string | null } | null;
  /** Output of the commands the server ran (setup, maintenance, tests), per source. */
  output: Partial<Record<OutputSource, string>>;
}

/**
 * Folds a task's events into what the page shows. Items are keyed by id so
 * `item.started` → `item.updated` → `item.completed` update one entry in place.
 */
export function deriveActivity(events: readonly TaskEvent[]): TaskActivity {
  const timeline: ActivityEntry[] = [];
  const itemIndex = new Map<string, number>();
  let todo: ItemOf<"todo_list"> | null = null;
  const turnUsage: Usage[] = [];
  let lastSeq = 0;
  // Item ids restart with each agent thread turn in some SDK versions: scope them by turn.
  let turnNumber = 0;
  let verdict: TestVerdict | null = null;
  let context: TaskActivity["context"] = null;
  const output: TaskActivity["output"] = {};

  for (const event of events) {
    lastSeq = Math.max(lastSeq, event.seq);
    const base = { seq: event.seq, at: event.at };
    switch (event.type) {
      case "task.turn":
        turnNumber++;
        timeline.push({ kind: "turn", key: `turn-${event.seq}`, turn: event.payload, ...base });
        break;
      case "task.log":
        timeline.push({ kind: "log", key: `log-${event.seq}`, ...event.payload, ...base });
        break;
      case "agent": {
        const agent = event.payload;
        if (agent.type === "turn.completed") turnUsage.push(agent.usage);
        if (agent.type === "turn.failed" || agent.type === "error") {
          timeline.push({
            kind: "log",
            key: `agent-error-${event.seq}`,
            level: "error",
            message: agent.message,
            ...base,
          });
        }
        if (
          agent.type === "item.started" ||
          agent.type === "item.updated" ||
          agent.type === "item.completed"
        ) {
          const item = agent.item;
          if (item.type === "todo_list") todo = item;
          const id = `${turnNumber}:${item.id}`;
          const index = itemIndex.get(id);
          if (index === undefined) {
            itemIndex.set(id, timeline.length);
            timeline.push({ kind: "item", key: `item-${id}`, item, ...base });
          } else {
            const previous = timeline[index];
            if (previous?.kind === "item") timeline[index] = { ...previous, item };
          }
        }
        break;
      }
      case "task.tests":
        verdict = event.payload.verdict;
        break;
      case "task.context":
        context = event.payload;
        break;
      case "task.output":
        output[event.payload.source] = (output[event.payload.source] ?? "") + event.payload.text;
        break;
      default:
        break;
    }
  }

  const items = timeline.flatMap((entry) => (entry.kind === "item" ? [entry.item] : []));
  const commands = items.filter(
    (i): i is ItemOf<"command_execution"> => i.type === "command_execution",
  );
  const fileChanges = items.filter((i): i is ItemOf<"file_change"> => i.type === "file_change");
  const byPath = new Map<string, "add" | "delete" | "update">();
  for (const change of fileChanges) {
    if (change.status === "failed" || change.status === "declined") continue;
    for (const { path, kind } of change.changes) {
      const before = byPath.get(path);
      byPath.set(path, before === "add" && kind === "update" ? "add" : kind);
    }
  }
  const changedFiles = [...byPath].map(([path, kind]) => ({ path, kind }));
  return {
    timeline,
    todo,
    commands,
    fileChanges,
    changedFiles,
    turnUsage,
    lastSeq,
    verdict,
    context,
    output,
  };
}

import { Router, type Request, type Response } from "express";
import { isFinalStatus } from "../../../shared/task-state.js";
import {
  MAX_TASK_EVENTS_PAGE,
  TaskEventQuerySchema,
  type TaskEvent,
  type TaskEventListResponse,
} from "../../../shared/task-event.js";
import { TaskIdParamsSchema } from "../../../shared/task.js";
import { AppError } from "../../domain/app-error.js";
import type { ConcurrencyLimiter } from "../../domain/ports/request-limits.js";
import type { TaskStore } from "../../domain/ports/task-store.js";
import type { TaskEventHub } from "../../domain/ports/event-hub.js";
import { getTask } from "../../domain/tasks/get-task.js";
import { handle } from "../middleware/handler.js";

/** How often an idle stream sends a comment, so proxies do not close it. */
const HEARTBEAT_MS = 15_000;
/** How many stored events a stream's replay reads at a time. */
const REPLAY_PAGE = 500;

/** What the event routes read, and the cap on one person's open streams. */
export interface TaskEventRouteDeps {
  store: TaskStore;
  hub: TaskEventHub;
  streams: ConcurrencyLimiter;
}

/**
 * A task's event log: Server-Sent Events replaying from `Last-Event-ID` (or `?after=`)
 * and then live until the task reaches a final state; or the stored events as JSON, one
 * bounded page at a time (`?after=&limit=`, `nextAfter` for the next page). Each person
 * holds at most `streams` live streams at once: one more is a 429.
 */
export function taskEventRoutes(deps: TaskEventRouteDeps): Router {
  const router = Router();
  router.get(
    "/tasks/:id/events",
    handle(
      { permission: "tasks:read", params: TaskIdParamsSchema, query: TaskEventQuerySchema },
      async ({ params, query, user, req, res }) => {
        const task = await getTask(deps, params.id);
        const after = lastEventId(req) ?? query.after ?? 0;
        if (req.accepts(["text/event-stream", "application/json"]) === "application/json") {
          res.json(await page(deps.store, task.id, after, query.limit ?? MAX_TASK_EVENTS_PAGE));
          return;
        }
        const release = deps.streams.acquire(user.email);
        if (release === null) {
          throw new AppError(
            "rate_limited",
            "You have too many live task pages open; close one (or wait for its task to end) and reload",
          );
        }
        // Released however the stream ends: the task's end, the client leaving, a failure.
        res.on("close", release);
        try {
          await stream(deps, task.id, after, req, res);
        } catch (error) {
          release();
          throw error;
        }
      },
    ),
  );
  return router;
}

/** One page of stored events; one more is read to know whether another page follows. */
async function page(
  store: TaskStore,
  taskId: string,
  after: number,
  limit: number,
): Promise<TaskEventListResponse> {
  const events = await store.listEvents(taskId, after, limit + 1);
  const more = events.length > limit;
  if (more) events.length = limit;
  return { events, nextAfter: more ? (events.at(-1)?.seq ?? after) : null };
}

async function stream(
  deps: { store: TaskStore; hub: TaskEventHub },
  taskId: string,
  after: number,
  req: Request,
  res: Response,
): Promise<void> {
  let lastSent = after;
  let ended = false;
  // Listen before replaying, so nothing stored during the replay is missed; the
  // sequence numbers drop what the replay already sent.
  const backlog: TaskEvent[] = [];
  let replaying = true;
  let unsubscribe: (() => void) | null = null;
  let heartbeat: NodeJS.Timeout | undefined = undefined;
  const write = (event: TaskEvent): void => {
    lastSent = event.seq;
    res.write(`id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  const send = (event: TaskEvent): void => {
    if (ended || event.seq <= lastSent) return;
    write(event);
    if (event.type === "task.status" && isFinalStatus(event.payload.status)) end();
  };
  function stop(): void {
    ended = true;
    clearInterval(heartbeat);
    unsubscribe?.();
  }
  function end(): void {
    if (ended) return;
    stop();
    res.write("event: end\ndata: {}\n\n");
    res.end();
  }
  req.on("close", stop);
  // Settles once the hub follows the task (on PostgreSQL: knows where its log ends), so
  // the replay read below cannot miss an event stored on another node meanwhile. Before
  // the headers: a hub that cannot follow is an error response, not an empty stream.
  unsubscribe = await deps.hub.subscribe(taskId, (event) => {
    if (replaying) backlog.push(event);
    else send(event);
  });
  if (ended) {
    unsubscribe();
    return;
  }
  res.status(200).set({
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  res.flushHeaders();
  heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);

  // Replay without ending on an old final status: a retried task has several. Read in
  // pages, so a long log is never held in memory whole.
  for (;;) {
    const stored = await deps.store.listEvents(taskId, lastSent, REPLAY_PAGE);
    for (const event of stored) {
      if (!ended && event.seq > lastSent) write(event);
    }
    if (ended || stored.length < REPLAY_PAGE) break;
  }
  replaying = false;
  for (const event of backlog.splice(0)) send(event);
  const latest = await deps.store.get(taskId);
  if (latest !== null && isFinalStatus(latest.status)) end();
}

function lastEventId(req: Request): number | undefined {
  const header = req.headers["last-event-id"];
  if (typeof header !== "string" || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

import { Router, type Request, type Response } from "express";
import { isFinalStatus } from "../../../shared/task-state.js";
import {
  TaskEventQuerySchema,
  type TaskEvent,
  type TaskEventListResponse,
} from "../../../shared/task-event.js";
import { TaskIdParamsSchema } from "../../../shared/task.js";
import type { TaskStore } from "../../domain/ports/task-store.js";
import type { TaskEventHub } from "../../domain/task-event-hub.js";
import { getTask } from "../../domain/tasks/get-task.js";
import { handle } from "../middleware/handler.js";

/** How often an idle stream sends a comment, so proxies do not close it. */
const HEARTBEAT_MS = 15_000;

/**
 * A task's event log: Server-Sent Events replaying from `Last-Event-ID` (or `?after=`)
 * and then live until the task reaches a final state; or the stored events as JSON.
 */
export function taskEventRoutes(deps: { store: TaskStore; hub: TaskEventHub }): Router {
  const router = Router();
  router.get(
    "/tasks/:id/events",
    handle(
      { permission: "tasks:read", params: TaskIdParamsSchema, query: TaskEventQuerySchema },
      async ({ params, query, req, res }) => {
        const task = await getTask(deps, params.id);
        const after = lastEventId(req) ?? query.after ?? 0;
        if (req.accepts(["text/event-stream", "application/json"]) === "application/json") {
          const body: TaskEventListResponse = {
            events: await deps.store.listEvents(task.id, after),
          };
          res.json(body);
          return;
        }
        await stream(deps, task.id, after, req, res);
      },
    ),
  );
  return router;
}

async function stream(
  deps: { store: TaskStore; hub: TaskEventHub },
  taskId: string,
  after: number,
  req: Request,
  res: Response,
): Promise<void> {
  res.status(200).set({
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  res.flushHeaders();
  let lastSent = after;
  let ended = false;
  // Listen before replaying, so nothing stored during the replay is missed; the
  // sequence numbers drop what the replay already sent.
  const backlog: TaskEvent[] = [];
  let replaying = true;
  const write = (event: TaskEvent): void => {
    lastSent = event.seq;
    res.write(`id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  const send = (event: TaskEvent): void => {
    if (ended || event.seq <= lastSent) return;
    write(event);
    if (event.type === "task.status" && isFinalStatus(event.payload.status)) end();
  };
  const unsubscribe = deps.hub.subscribe(taskId, (event) => {
    if (replaying) backlog.push(event);
    else send(event);
  });
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);
  function end(): void {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.write("event: end\ndata: {}\n\n");
    res.end();
  }
  req.on("close", () => {
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
  });

  const stored = await deps.store.listEvents(taskId, after);
  // Replay without ending on an old final status: a retried task has several.
  for (const event of stored) {
    if (!ended && event.seq > lastSent) write(event);
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

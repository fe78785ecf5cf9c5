import { TaskEventSchema, type TaskEvent } from "../../shared/task-event.js";

/** A task's event stream read over HTTP, as a browser's EventSource would. */
export interface SseClient {
  /** Every event received so far, in arrival order. */
  readonly events: TaskEvent[];
  /** Arrival time (performance.now()) of each event, by seq. */
  readonly arrivedAt: Map<number, number>;
  /** Whether `event: end` arrived. */
  readonly ended: () => boolean;
  /** Resolves once `done` holds of what arrived; fails after `timeoutMs` saying `what`. */
  until(done: (events: TaskEvent[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * Opens `GET /api/tasks/:id/events` as Server-Sent Events with a bearer token, from
 * `Last-Event-ID` when given, and parses what arrives into contract-checked events.
 */
export async function openSseClient(options: {
  baseUrl: string;
  taskId: string;
  token: string;
  lastEventId?: number;
}): Promise<SseClient> {
  const abort = new AbortController();
  const headers: Record<string, string> = {
    Accept: "text/event-stream",
    Authorization: `Bearer ${options.token}`,
  };
  if (options.lastEventId !== undefined) headers["Last-Event-ID"] = String(options.lastEventId);
  const response = await fetch(`${options.baseUrl}/api/tasks/${options.taskId}/events`, {
    headers,
    signal: abort.signal,
  });
  if (response.status !== 200 || response.body === null) {
    throw new Error(`The event stream answered ${response.status}: ${await response.text()}`);
  }
  const events: TaskEvent[] = [];
  const arrivedAt = new Map<number, number>();
  let ended = false;
  let failure: unknown = null;
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let split = buffer.indexOf("\n\n");
        while (split >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          split = buffer.indexOf("\n\n");
          if (block.startsWith("event: end")) ended = true;
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data === undefined || block.startsWith("event:")) continue;
          const event = TaskEventSchema.parse(JSON.parse(data));
          arrivedAt.set(event.seq, performance.now());
          events.push(event);
        }
        wake();
      }
    } catch (error) {
      if (!abort.signal.aborted) failure = error;
    }
    wake();
  })();
  return {
    events,
    arrivedAt,
    ended: () => ended,
    until(done, what, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (failure !== null)
            reject(failure instanceof Error ? failure : new Error("The event stream failed"));
          else if (done(events)) resolve();
          else return;
          waiters.delete(check);
          clearTimeout(timer);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `Never happened within ${timeoutMs} ms: ${what} (got seqs ${events.map((e) => e.seq).join(",")})`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
}

import { useCallback, useEffect, useRef, useState } from "react";
import { TaskEventSchema } from "../../../shared/index.js";
import type { TaskEvent } from "../../../shared/index.js";
import { fetchTaskStreamRefusal, taskEventsUrl } from "../api/endpoints.js";

/** Where the live stream is. */
export type StreamState = "connecting" | "live" | "reconnecting" | "ended" | "failed";

/** What `useTaskEvents` gives. */
export interface TaskEventStream {
  events: TaskEvent[];
  state: StreamState;
  /** When the stream last ended (ms), to tell fresh task data from stale. */
  endedAt: number | null;
  /** Why the server refused the stream, in its words (after `failed`), when it said. */
  refusal: string | null;
  /** Events the page could not read (contract break), with the last problem. */
  unreadable: { count: number; details: string } | null;
  /** Opens the stream again after the last event received (after a follow-up or retry). */
  resume: () => void;
}

const CLOSED = 2;

/**
 * Follows a task's Server-Sent Events: replays its log, then streams live until the server
 * sends `end` (then closes, so the browser does not reconnect). Events are checked against
 * the contract and de-duplicated by `seq`. Mount once per task id (key the caller by id).
 */
export function useTaskEvents(
  taskId: string,
  onEvent?: (event: TaskEvent) => void,
  onEnd?: () => void,
): TaskEventStream {
  const [events, setEvents] = useState<TaskEvent[]>([]);
  const [state, setState] = useState<StreamState>("connecting");
  const [endedAt, setEndedAt] = useState<number | null>(null);
  const [unreadable, setUnreadable] = useState<TaskEventStream["unreadable"]>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const lastSeq = useRef(0);
  const callbacks = useRef({ onEvent, onEnd });
  useEffect(() => {
    callbacks.current = { onEvent, onEnd };
  });

  useEffect(() => {
    if (typeof EventSource === "undefined") {
      setState("failed");
      return;
    }
    const source = new EventSource(taskEventsUrl(taskId, lastSeq.current));
    const probe = new AbortController();
    setState("connecting");
    setRefusal(null);
    source.onopen = () => setState("live");
    source.onmessage = (message: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        data = message.data;
      }
      const parsed = TaskEventSchema.safeParse(data);
      if (!parsed.success) {
        setUnreadable((previous) => ({
          count: (previous?.count ?? 0) + 1,
          details: parsed.error.message,
        }));
        return;
      }
      const event = parsed.data;
      if (event.seq <= lastSeq.current) return;
      lastSeq.current = event.seq;
      setState("live");
      setEvents((previous) => [...previous, event]);
      callbacks.current.onEvent?.(event);
    };
    source.addEventListener("end", () => {
      source.close();
      setState("ended");
      setEndedAt(Date.now());
      callbacks.current.onEnd?.();
    });
    source.onerror = () => {
      if (source.readyState !== CLOSED) {
        setState("reconnecting");
        return;
      }
      setState("failed");
      // A refusal (429 past the cap on live streams, 404…) closes the EventSource without
      // its status or body: ask the same URL once more to show the server's own words.
      fetchTaskStreamRefusal(taskId, lastSeq.current, probe.signal).then(
        (error) => setRefusal(error?.message ?? null),
        () => undefined, // aborted (page left) or unreachable: "stopped" says enough
      );
    };
    return () => {
      probe.abort();
      source.close();
    };
  }, [taskId, generation]);

  const resume = useCallback(() => {
    // Leave "ended" at once, so nothing else decides to resume the same stream again.
    setState("connecting");
    setGeneration((value) => value + 1);
  }, []);
  return { events, state, endedAt, refusal, unreadable, resume };
}

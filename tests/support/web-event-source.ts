/**
 * A fake `EventSource` for the task stream: the test pushes contract-checked events,
 * ends the stream, or makes it fail, and inspects what the page opened and closed.
 */
import { vi } from "vitest";
import { TaskEventSchema } from "../../shared/index.js";
import type { TaskEvent } from "../../shared/index.js";

/** Stands in for the browser's EventSource. */
export class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  /** Every stream opened, in order. */
  static instances: FakeEventSource[] = [];

  readonly url: string;
  readonly withCredentials: boolean;
  readyState = FakeEventSource.CONNECTING;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent<string>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(url: string | URL, init?: EventSourceInit) {
    super();
    this.url = String(url);
    this.withCredentials = init?.withCredentials ?? false;
    FakeEventSource.instances.push(this);
  }

  /** The most recently opened stream. */
  static latest(): FakeEventSource {
    const last = FakeEventSource.instances[FakeEventSource.instances.length - 1];
    if (!last) throw new Error("No EventSource was opened");
    return last;
  }

  /** Replaces the global EventSource with this fake (undone by `vi.unstubAllGlobals`). */
  static install(): void {
    FakeEventSource.instances = [];
    vi.stubGlobal("EventSource", FakeEventSource);
  }

  get closed(): boolean {
    return this.readyState === FakeEventSource.CLOSED;
  }

  /** The connection opened. */
  open(): void {
    this.readyState = FakeEventSource.OPEN;
    const event = new Event("open");
    this.onopen?.(event);
    this.dispatchEvent(event);
  }

  /** Sends task events (checked against the contract) as default "message" events. */
  emit(...events: TaskEvent[]): void {
    for (const event of events) {
      TaskEventSchema.parse(event);
      this.emitRaw(JSON.stringify(event), String(event.seq));
    }
  }

  /** Sends a raw `data:` payload (to test a contract break). */
  emitRaw(data: string, lastEventId = ""): void {
    if (this.closed) throw new Error("emit on a closed EventSource");
    if (this.readyState === FakeEventSource.CONNECTING) this.open();
    const message = new MessageEvent<string>("message", { data, lastEventId });
    this.onmessage?.(message);
    this.dispatchEvent(message);
  }

  /** The server's `event: end` (the task reached a final state). */
  end(): void {
    this.dispatchEvent(new MessageEvent("end", { data: "" }));
  }

  /** The connection broke for good. */
  fail(): void {
    this.readyState = FakeEventSource.CLOSED;
    const event = new Event("error");
    this.onerror?.(event);
    this.dispatchEvent(event);
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
}

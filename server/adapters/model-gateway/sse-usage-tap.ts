import { StringDecoder } from "node:string_decoder";
import type { ModelUsage } from "../../domain/ports/usage-meter.js";

/** Events of the Responses API stream whose `response` carries the response's final usage. */
const FINAL_EVENTS = ["response.completed", "response.incomplete", "response.failed"];

interface RawUsage {
  input_tokens?: unknown;
  input_tokens_details?: { cached_tokens?: unknown } | null;
  output_tokens?: unknown;
  output_tokens_details?: { reasoning_tokens?: unknown } | null;
}

const count = (value: unknown): number =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;

/** The usage of a Responses API `usage` object (snake_case), or null when there is none. */
export function toModelUsage(raw: unknown): ModelUsage | null {
  if (typeof raw !== "object" || raw === null) return null;
  const usage = raw as RawUsage;
  const inputTokens = count(usage.input_tokens);
  return {
    inputTokens,
    // Cached tokens are a part of the input tokens, never more than them.
    cachedInputTokens: Math.min(count(usage.input_tokens_details?.cached_tokens), inputTokens),
    outputTokens: count(usage.output_tokens),
    reasoningTokens: count(usage.output_tokens_details?.reasoning_tokens),
  };
}

function usageOfEvent(block: string): ModelUsage | null {
  // Cheap test first: most events are deltas that never carry usage.
  if (!FINAL_EVENTS.some((name) => block.includes(name))) return null;
  const data = block
    .split("\n")
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(line.charAt(5) === " " ? 6 : 5))
    .join("\n");
  try {
    const event = JSON.parse(data) as { type?: unknown; response?: { usage?: unknown } };
    if (typeof event.type !== "string" || !FINAL_EVENTS.includes(event.type)) return null;
    return toModelUsage(event.response?.usage);
  } catch {
    return null;
  }
}

/**
 * Reads a server-sent event stream on the side, as its bytes pass through unchanged, and
 * calls `onUsage` once with the usage of the first final event (`response.completed`,
 * or `response.incomplete`/`response.failed` when they carry one). Only the current,
 * incomplete event is kept in memory.
 */
export class SseUsageTap {
  readonly #decoder = new StringDecoder("utf8");
  #pending = "";
  #done = false;

  constructor(private readonly onUsage: (usage: ModelUsage) => void) {}

  /** Feeds the next bytes of the stream. */
  push(chunk: Buffer): void {
    if (this.#done) return;
    this.#pending += this.#decoder.write(chunk).replaceAll("\r\n", "\n");
    let end = this.#pending.indexOf("\n\n");
    while (end >= 0 && !this.#done) {
      const usage = usageOfEvent(this.#pending.slice(0, end));
      this.#pending = this.#pending.slice(end + 2);
      if (usage !== null) {
        this.#done = true;
        this.#pending = "";
        this.onUsage(usage);
      }
      end = this.#pending.indexOf("\n\n");
    }
  }
}

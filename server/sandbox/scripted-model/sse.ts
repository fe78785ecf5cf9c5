import type { ServerResponse } from "node:http";
import type { OutputItem } from "./render-step.js";
import type { ScriptedUsage } from "./types.js";

/** Helpers writing the Responses API's server-sent events. */

/** Writes one SSE event named after its `type`. */
export function writeEvent(
  res: ServerResponse,
  event: { type: string } & Record<string, unknown>,
): void {
  res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

/** Starts the event stream and announces the response. */
export function writeCreated(res: ServerResponse, responseId: string, model: string): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  writeEvent(res, {
    type: "response.created",
    response: { id: responseId, object: "response", status: "in_progress", model },
  });
}

/** Writes one output item as `added` then `done`. */
export function writeItem(res: ServerResponse, outputIndex: number, item: OutputItem): void {
  writeEvent(res, { type: "response.output_item.added", output_index: outputIndex, item });
  writeEvent(res, { type: "response.output_item.done", output_index: outputIndex, item });
}

/** Writes `response.completed` with usage in the API's snake_case shape. */
export function writeCompleted(
  res: ServerResponse,
  responseId: string,
  usage: ScriptedUsage,
): void {
  writeEvent(res, {
    type: "response.completed",
    response: {
      id: responseId,
      object: "response",
      status: "completed",
      usage: {
        input_tokens: usage.inputTokens,
        input_tokens_details: { cached_tokens: usage.cachedInputTokens },
        output_tokens: usage.outputTokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: usage.inputTokens + usage.outputTokens,
      },
    },
  });
}

/** Writes `response.failed` with an error, as the API does for failures after the stream began. */
export function writeFailed(
  res: ServerResponse,
  responseId: string,
  code: string,
  message: string,
): void {
  writeEvent(res, {
    type: "response.failed",
    response: { id: responseId, object: "response", status: "failed", error: { code, message } },
  });
}

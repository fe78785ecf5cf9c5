import type { Logger } from "pino";
import { AppError } from "../../domain/app-error.js";
import type { ReviewNotifier } from "../../domain/ports/review-ports.js";
import { reviewDigestMessage, type SlackMessage } from "./review-blocks.js";

/** Options of {@link createSlackWebhook}. */
export interface SlackWebhookOptions {
  /** The incoming webhook's URL. It is a secret (it alone authorizes posting): never logged. */
  url: string;
  logger: Logger;
  /** Aborts one attempt after this long. */
  timeoutMs?: number;
  /** Tries in total; only 429, 5xx and network failures are tried again. */
  attempts?: number;
  /** Waits between tries; injectable so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Posts to a Slack incoming webhook with `fetch` — the only module that talks to Slack.
 * Slack answers `200 ok` or an error word (`invalid_blocks`, `no_service`…) in plain
 * text; failures surface as AppError `slack_unavailable` with that word, never the URL.
 */
export function createSlackWebhook(options: SlackWebhookOptions): ReviewNotifier & {
  post(message: SlackMessage): Promise<void>;
} {
  const { logger } = options;
  const attempts = Math.max(1, options.attempts ?? 3);
  const sleep = options.sleep ?? realSleep;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function attempt(message: SlackMessage): Promise<{ retryAfterMs: number | null } | null> {
    let response: Response;
    try {
      response = await fetch(options.url, {
        method: "POST",
        headers: { "Content-Type": "application/json; charset=utf-8" },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
    } catch (error) {
      logger.warn({ reason: error instanceof Error ? error.name : "unknown" }, "slack post failed");
      return { retryAfterMs: null };
    }
    const text = (await response.text().catch(() => "")).trim().slice(0, 200);
    if (response.ok) return null;
    if (response.status === 429 || response.status >= 500) {
      const seconds = Number(response.headers.get("retry-after"));
      logger.warn({ status: response.status, answer: text }, "slack post failed");
      return { retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null };
    }
    throw new AppError(
      "slack_unavailable",
      `Slack refused the review summary (HTTP ${response.status}${text ? `: ${text}` : ""}); check SLACK_WEBHOOK_URL and the message.`,
    );
  }

  async function post(message: SlackMessage): Promise<void> {
    for (let i = 1; ; i++) {
      const outcome = await attempt(message);
      if (outcome === null) {
        logger.info({ blocks: message.blocks.length }, "slack message posted");
        return;
      }
      if (i >= attempts) {
        throw new AppError(
          "slack_unavailable",
          "Slack could not be reached to post the review summary; it is kept on the dashboard.",
        );
      }
      await sleep(Math.min(outcome.retryAfterMs ?? 1000 * 2 ** (i - 1), 30_000));
    }
  }

  return {
    post,
    postDigest: (digest) => post(reviewDigestMessage(digest)),
  };
}

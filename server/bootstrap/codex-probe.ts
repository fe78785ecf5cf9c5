import { access } from "node:fs/promises";
import path from "node:path";
import { CODEX_AUTH_MESSAGE } from "../adapters/codex/index.js";
import { AppError } from "../domain/app-error.js";

/** OpenAI's API, where Codex goes when no base URL is configured. */
const OPENAI_API = "https://api.openai.com/v1";

/** Options of {@link checkCodexCredentials}. */
export interface CodexProbeOptions {
  /** Empty when Codex relies on `codex login` (auth.json in CODEX_HOME). */
  apiKey: string;
  baseUrl: string | null;
  codexHome: string;
  timeoutMs?: number;
}

/**
 * Checks the Codex credentials with one free, authenticated request: `GET /models` on
 * the model API Codex will use (a turn would cost tokens and start the whole CLI). A
 * provider without that endpoint (404/405) still proved reachable and is accepted. With
 * no key, Codex uses `codex login`, so only its stored login is looked for.
 */
export async function checkCodexCredentials(options: CodexProbeOptions): Promise<void> {
  if (options.apiKey === "") {
    const stored = await access(path.join(options.codexHome, "auth.json")).then(
      () => true,
      () => false,
    );
    if (!stored) throw new AppError("codex_auth", CODEX_AUTH_MESSAGE);
    return;
  }
  const base = (options.baseUrl ?? OPENAI_API).replace(/\/+$/, "");
  const host = new URL(base).host;
  let response: Response;
  try {
    response = await fetch(`${base}/models`, {
      headers: { authorization: `Bearer ${options.apiKey}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new AppError(
      "codex_unavailable",
      `Codex could not reach the model API at ${host}; check CODEX_BASE_URL and the network`,
      { cause: error },
    );
  }
  await response.body?.cancel();
  const status = response.status;
  if (status === 401 || status === 403) {
    throw new AppError(
      "codex_auth",
      `${CODEX_AUTH_MESSAGE} (the model API at ${host} answered ${status})`,
    );
  }
  if (status === 429) {
    throw new AppError(
      "codex_rate_limited",
      `The model API at ${host} accepted the key but is rate limiting it (429); tasks will wait and retry, check the plan's usage limits`,
    );
  }
  if (status >= 500) {
    throw new AppError(
      "codex_unavailable",
      `The model API at ${host} is failing (HTTP ${status}); tasks will fail until it recovers`,
    );
  }
  if (status >= 400 && status !== 404 && status !== 405) {
    throw new AppError(
      "codex_unavailable",
      `The model API at ${host} refused the check (HTTP ${status}); check CODEX_BASE_URL`,
    );
  }
}

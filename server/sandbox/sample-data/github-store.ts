import type { FakeGitHub, FakeGitHubState } from "../fake-github/index.js";
import { persistOnChange, readStateFile, writeStateFile } from "./state-file.js";

/**
 * Keeps the sandbox GitHub's pull requests and comments in a JSON file, so the links on
 * earlier tasks and tickets still open after a restart, and follow-ups on them still work.
 */

/** Reads the saved state, or null when there is none (first start or after a reset). */
export async function loadGitHubState(file: string): Promise<FakeGitHubState | null> {
  const parsed = (await readStateFile(file)) as Partial<FakeGitHubState> | null;
  if (parsed === null) return null;
  if (
    parsed.version !== 1 ||
    typeof parsed.baseUrl !== "string" ||
    typeof parsed.repos !== "object"
  ) {
    throw new Error(`${file} is not a sandbox GitHub state file; run npm start -- --reset`);
  }
  return parsed as FakeGitHubState;
}

/**
 * Saves the state whenever the API changed something (a write request that succeeded),
 * checking every `intervalMs`; `stop()` saves one last time.
 */
export function persistGitHub(
  github: FakeGitHub,
  file: string,
  onError: (error: unknown) => void,
  intervalMs = 1000,
): { stop(): Promise<void> } {
  return persistOnChange({
    requests: github.requests,
    changed: (r) => r.method !== "GET" && r.status > 0 && r.status < 400,
    save: () => writeStateFile(file, github.saveState()),
    onError,
    intervalMs,
  });
}

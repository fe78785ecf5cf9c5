import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { pino } from "pino";
import { CSRF_HEADER } from "../../shared/auth.js";
import type { Task } from "../../shared/task.js";
import { DEFAULT_WEB_DIR } from "../../server/bootstrap/start-server.js";
import { loadConfig } from "../../server/config/load-config.js";
import { startSandbox, type RunningSandbox } from "../../server/sandbox/start-sandbox.js";
import { TEST_STATE_DIR } from "./test-state-dir.js";

/** Starts the sandbox as `npm start` does with no configuration, and talks to it over HTTP. */

const execFileAsync = promisify(execFile);
const ARTIFACTS = TEST_STATE_DIR;

/** A signed-in HTTP client of the running server. */
export interface ApiClient {
  get<T>(url: string): Promise<T>;
  post<T>(url: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** A sandbox started on a fresh DATA_DIR. */
export interface TestSandbox {
  running: RunningSandbox;
  dataDir: string;
  /** Signs in through the dev sign-in screen's endpoint, as a person would. */
  signIn(email: string): Promise<ApiClient>;
  close(): Promise<void>;
}

/**
 * A sandbox on a fresh DATA_DIR under tests/.artifacts (git-ignored; not /tmp, where
 * CODEX_HOME, which defaults to DATA_DIR/codex-home, may not live), with no step delay.
 * `SANDBOX_TEST_LOG=info` shows the server's logs. `web: true` also serves the built web
 * app (`npm run build:web`), for the browser tests.
 */
export async function startTestSandbox(
  env: Record<string, string> = {},
  dataDir?: string,
  options: { web?: boolean } = {},
): Promise<TestSandbox> {
  await mkdir(ARTIFACTS, { recursive: true });
  const dir = dataDir ?? (await mkdtemp(path.join(ARTIFACTS, "sandbox-")));
  const loaded = loadConfig({ DATA_DIR: dir, PORT: "0", ...env });
  if (loaded.mode !== "sandbox") throw new Error("an empty configuration must start the sandbox");
  const logger = pino({ level: process.env.SANDBOX_TEST_LOG ?? "silent" });
  const running = await startSandbox(loaded.config, logger, {
    reset: false,
    stepDelayMs: 0,
    webDir: options.web === true ? DEFAULT_WEB_DIR : null,
  });
  return {
    running,
    dataDir: dir,
    signIn: (email) => signIn(running.url, email),
    close: () => running.close(),
  };
}

async function signIn(baseUrl: string, email: string): Promise<ApiClient> {
  const login = await fetch(`${baseUrl}/api/auth/dev-login`, {
    method: "POST",
    headers: { "content-type": "application/json", [CSRF_HEADER]: "1" },
    body: JSON.stringify({ email }),
  });
  if (!login.ok) throw new Error(`dev-login as ${email} failed: ${login.status}`);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  // The web app sends the CSRF header with every request that changes something.
  const headers = { cookie, "content-type": "application/json", [CSRF_HEADER]: "1" };
  return {
    async get<T>(url: string) {
      const res = await fetch(`${baseUrl}${url}`, { headers });
      if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async post<T>(url: string, body: unknown = {}) {
      const res = await fetch(`${baseUrl}${url}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
  };
}

/** Polls a task until `reached` holds for it (e.g. it runs, or it is queued). */
export async function waitForTaskState(
  api: ApiClient,
  id: string,
  reached: (task: Task) => boolean,
  timeoutMs = 120_000,
): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { task } = await api.get<{ task: Task }>(`/api/tasks/${id}`);
    if (reached(task)) return task;
    if (Date.now() > deadline) throw new Error(`task ${id} still ${task.status}/${task.phase}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Polls a task until it reaches a final status. */
export function waitForTask(api: ApiClient, id: string, timeoutMs = 120_000): Promise<Task> {
  return waitForTaskState(
    api,
    id,
    (task) => ["completed", "failed", "cancelled"].includes(task.status),
    timeoutMs,
  );
}

/** Starts a fix for a ticket as the given client, without waiting for it. */
export async function startFix(api: ApiClient, ticketKey: string): Promise<Task> {
  const created = await api.post<{ task: Task }>("/api/tasks", { ticketKey });
  if (created.status !== 202) throw new Error(`POST /api/tasks ${ticketKey}: ${created.status}`);
  return created.body.task;
}

/** Starts a fix for a ticket as the given client and waits for it to finish. */
export async function fixTicket(api: ApiClient, ticketKey: string): Promise<Task> {
  return waitForTask(api, (await startFix(api, ticketKey)).id);
}

/** A file's content on a branch of a bare repository, or null when either is missing. */
export async function fileOnBranch(
  gitDir: string,
  branch: string,
  file: string,
): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync("git", [
      "--git-dir",
      gitDir,
      "show",
      `refs/heads/${branch}:${file}`,
    ]);
    return stdout;
  } catch {
    return null;
  }
}

/** Clones a branch of the bare repository and runs one test file there; true when it passes. */
export async function testsPassOnBranch(
  gitDir: string,
  branch: string,
  testFile: string,
): Promise<boolean> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "patchboard-sandbox-check-"));
  try {
    await execFileAsync("git", ["clone", "--quiet", "--branch", branch, gitDir, dir]);
    await execFileAsync("npm", ["test", "--", testFile], { cwd: dir });
    return true;
  } catch {
    return false;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

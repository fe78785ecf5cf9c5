import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { Task } from "../../shared/task.js";
import type { TaskEvent } from "../../shared/task-event.js";
import { API_TOKENS, REPO_ROOT } from "./reliability-env.js";

/** A Patchboard server process started by a test, as production would run it. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Every log line so far (pino JSON). */
  logs: string[];
  /** kill -9 of the server and everything it started (its Codex CLIs), as a crash does. */
  kill9(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `server/main.ts` in a new process (own process group) with this environment and
 * resolves once it logs "patchboard listening".
 */
export function spawnServer(
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<ServerProcess> {
  return spawnPatchboard("server/main.ts", "patchboard listening", env, timeoutMs);
}

/**
 * Starts `server/worker-main.ts` (`npm run worker`) in a new process group with this
 * environment and resolves once it logs "patchboard worker started"; its `url` is empty
 * (a worker serves no HTTP).
 */
export function spawnWorker(
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<ServerProcess> {
  return spawnPatchboard("server/worker-main.ts", "patchboard worker started", env, timeoutMs);
}

async function spawnPatchboard(
  entry: string,
  readyMessage: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? REPO_ROOT, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("server did not start");
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${entry} was not ready in time:\n${logs.slice(-20).join("\n")}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${String(code)}:\n${logs.slice(-20).join("\n")}`));
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue;
      createInterface({ input: stream }).on("line", (line) => {
        logs.push(line);
        if (!line.includes(`"${readyMessage}"`)) return;
        const parsed = JSON.parse(line) as { url?: string };
        clearTimeout(timer);
        resolve(parsed.url ?? "");
      });
    }
  });
  return {
    url,
    pid,
    logs,
    async kill9() {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // Already gone.
      }
      await exited;
    },
    async stop() {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        return;
      }
      await exited;
    },
  };
}

/** A tiny API client for a server URL, as one role. */
export function apiClient(url: string, role: keyof typeof API_TOKENS = "admin") {
  const headers = {
    authorization: `Bearer ${API_TOKENS[role]}`,
    "content-type": "application/json",
  };
  return {
    async post(path: string, body: unknown = {}): Promise<{ status: number; body: unknown }> {
      const res = await fetch(`${url}${path}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
    async get(path: string): Promise<{ status: number; body: unknown; text: string }> {
      const res = await fetch(`${url}${path}`, { headers });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      return { status: res.status, body, text };
    },
    async task(id: string): Promise<Task> {
      const res = await this.get(`/api/tasks/${id}`);
      if (res.status !== 200) throw new Error(`GET task ${id}: ${res.status} ${res.text}`);
      return (res.body as { task: Task }).task;
    },
    async events(id: string): Promise<TaskEvent[]> {
      const res = await fetch(`${url}/api/tasks/${id}/events`, {
        headers: { ...headers, accept: "application/json" },
      });
      return ((await res.json()) as { events: TaskEvent[] }).events;
    },
    async createFix(ticketKey: string): Promise<{ status: number; task: Task }> {
      const res = await this.post("/api/tasks", { ticketKey });
      return { status: res.status, task: (res.body as { task: Task }).task };
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 120_000,
  intervalMs = 150,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = undefined;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Whether a status is final. */
export function isFinal(task: Task): boolean {
  return task.status === "completed" || task.status === "failed" || task.status === "cancelled";
}

/** Polls the tasks through `api` until every one is final; returns them in `ids` order. */
export function waitForFinal(
  api: ReturnType<typeof apiClient>,
  ids: string[],
  what: string,
  timeoutMs: number,
): Promise<Task[]> {
  return waitFor(
    what,
    async () => {
      const tasks = await Promise.all(ids.map((id) => api.task(id)));
      return tasks.every(isFinal) ? tasks : undefined;
    },
    timeoutMs,
    250,
  );
}

import path from "node:path";
import { countWarmWorktrees } from "../../server/adapters/git/warm-pool.js";
import type { Task } from "../../shared/task.js";
import type { TaskEvent } from "../../shared/task-event.js";
import type { BenchEnv } from "./bench-env.js";
import { sleep, waitFor } from "./stats.js";

const FINAL = new Set(["completed", "failed", "cancelled"]);

/** Starts a fix of a ticket; returns the task and the wall-clock time the request was sent. */
export async function startFix(
  env: BenchEnv,
  ticketKey: string,
): Promise<{ task: Task; postedAt: number }> {
  const postedAt = Date.now();
  const res = await env.api("/api/tasks", { method: "POST", body: JSON.stringify({ ticketKey }) });
  if (res.status !== 202)
    throw new Error(`POST /api/tasks answered ${res.status}: ${await res.text()}`);
  return { task: ((await res.json()) as { task: Task }).task, postedAt };
}

/** The task as stored now. */
export async function getTask(env: BenchEnv, id: string): Promise<Task> {
  return ((await (await env.api(`/api/tasks/${id}`)).json()) as { task: Task }).task;
}

/** Waits for a task to reach a final state; throws if it did not complete. */
export async function waitFinal(env: BenchEnv, id: string, timeoutMs = 300_000): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const task = await getTask(env, id);
    if (FINAL.has(task.status)) {
      if (task.status !== "completed") {
        throw new Error(`task ${id} ended ${task.status}: ${JSON.stringify(task.error)}`);
      }
      return task;
    }
    await sleep(100);
  }
  throw new Error(`task ${id} did not finish`);
}

/** A task's stored events. */
export async function eventsOf(env: BenchEnv, id: string): Promise<TaskEvent[]> {
  return ((await (await env.api(`/api/tasks/${id}/events`)).json()) as { events: TaskEvent[] })
    .events;
}

/** Polls until the task has stored its first agent event; returns that event. */
export async function firstAgentEvent(
  env: BenchEnv,
  id: string,
  timeoutMs = 120_000,
): Promise<TaskEvent> {
  const deadline = Date.now() + timeoutMs;
  let after = 0;
  while (Date.now() < deadline) {
    const res = await env.api(`/api/tasks/${id}/events?after=${after}`);
    const { events } = (await res.json()) as { events: TaskEvent[] };
    const agent = events.find((e) => e.type === "agent");
    if (agent) return agent;
    after = events.at(-1)?.seq ?? after;
    const task = await getTask(env, id);
    if (FINAL.has(task.status))
      throw new Error(`task ${id} ended ${task.status} before the agent started`);
    await sleep(20);
  }
  throw new Error(`task ${id}: no agent event`);
}

/**
 * Waits until the bench repository's warm pool holds its two ready worktrees (prepared,
 * when the repository has a setup command): the steady state a click meets.
 */
export async function waitWarmPool(env: BenchEnv, timeoutMs: number): Promise<void> {
  const workspaces = path.join(env.config.dataDir, "workspaces");
  const mirror = path.join(workspaces, "mirrors", "acme__big.git");
  await waitFor(
    "a full warm pool",
    async () =>
      (await countWarmWorktrees(path.join(workspaces, "warm"), mirror)) >= 2 ? true : null,
    timeoutMs,
    100,
  );
}

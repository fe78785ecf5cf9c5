import { codexRssUnder, rssOf } from "../lib/proc-memory.js";
import type { BenchEnv } from "../lib/bench-env.js";
import { sleep } from "../lib/stats.js";
import { getTask, startFix, waitFinal } from "../lib/tasks.js";

/** Figure 5. */
export interface MemoryFigure {
  idleRss: number;
  idleHeap: number;
  running: number;
  runningRss: number;
  runningHeapAfterGc: number;
  codexRss: number;
  codexProcesses: number;
}

/**
 * Figure 5: the server's RSS idle (at boot) and at its peak with one task per slot
 * running; the Codex processes and the commands they run (everything under the server
 * but git, which is Patchboard's own) are counted apart.
 */
export async function measureMemory(
  env: BenchEnv,
  tickets: string[],
  idle: NodeJS.MemoryUsage,
): Promise<MemoryFigure> {
  const pid = env.server.pid ?? 0;
  const tasks = await Promise.all(tickets.map((t) => startFix(env, t)));
  let runningRss = 0;
  let codexRss = 0;
  let codexProcesses = 0;
  let heap = 0;
  let sampledHeap = false;
  for (;;) {
    const states = await Promise.all(tasks.map(({ task }) => getTask(env, task.id)));
    const running = states.filter((t) => t.status === "running" && t.phase !== "preparing").length;
    if (states.every((t) => ["completed", "failed", "cancelled"].includes(t.status))) break;
    if (running === tasks.length) {
      runningRss = Math.max(runningRss, await rssOf(pid));
      const codex = await codexRssUnder(pid, ["git"]);
      codexRss = Math.max(codexRss, codex.bytes);
      codexProcesses = Math.max(codexProcesses, codex.processes);
      if (!sampledHeap) {
        sampledHeap = true;
        heap = (await env.memory()).heapUsed;
      }
    }
    await sleep(200);
  }
  for (const { task } of tasks) await waitFinal(env, task.id);
  return {
    idleRss: idle.rss,
    idleHeap: idle.heapUsed,
    running: tasks.length,
    runningRss,
    runningHeapAfterGc: heap,
    codexRss,
    codexProcesses,
  };
}

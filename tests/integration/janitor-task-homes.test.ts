import { chmod, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createAgentHomeDirs } from "../../server/adapters/codex/index.js";
import { prepareTaskHomes, taskHomes } from "../../server/adapters/codex/task-homes.js";
import { createEnvironmentHomeDirs } from "../../server/adapters/git/index.js";
import { WorkspaceJanitor } from "../../server/domain/janitor/workspace-janitor.js";
import { InMemoryTaskStore } from "../support/in-memory-task-store.js";
import { FakeWorkspaces } from "../support/fakes/fake-workspaces.js";
import { TempDirs } from "../support/git-fixtures.js";
import { newFixTask } from "../support/task-store-contract.js";

/**
 * The janitor's per-task directories on a real DATA_DIR: the agent's homes and the
 * environment's, removed for a task past its retention and for ids that are no task,
 * with the task's thread kept where a follow-up finds it.
 */
const tmp = new TempDirs();
afterEach(() => tmp.cleanup());

const THREAD = "0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000";
const ROLLOUT = `sessions/2030/01/01/rollout-2030-01-01T00-00-00-${THREAD}.jsonl`;

async function put(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

describe("janitor: per-task directories on disk", () => {
  it("removes a finished task's homes but keeps its thread, and the homes of a deleted task", async () => {
    const dataDir = await tmp.make("pb-janitor-");
    const agentRoot = path.join(dataDir, "agent-homes");
    const envRoot = path.join(dataDir, "environments");
    const sharedCodexHome = path.join(dataDir, "codex-home");
    const outside = path.join(dataDir, "outside.txt");
    await put(outside, "not the janitor's\n");
    const store = new InMemoryTaskStore();
    const { task } = await store.create(newFixTask("CALC-1"));
    await store.transition(task.id, ["queued"], {
      status: "completed",
      finishedAt: "2030-01-01T00:00:00Z",
    });
    const homes = taskHomes(agentRoot, task.id);
    await put(path.join(homes.codexHome, ROLLOUT), '{"thread":"kept"}\n');
    await put(path.join(homes.codexHome, "auth.json"), '{"copied":"login"}\n');
    await put(path.join(homes.home, ".npm", "x"), "x");
    // Left read-only by a package manager, and a link out that must not be followed.
    await mkdir(path.join(homes.tmp, "locked"), { recursive: true });
    await put(path.join(homes.tmp, "locked", "file"), "x");
    await chmod(path.join(homes.tmp, "locked"), 0o555);
    await symlink(outside, path.join(homes.home, "link-out"));
    await put(path.join(envRoot, "acme__calc", "homes", task.id, ".bashrc"), "x");
    await put(path.join(envRoot, "acme__calc", "tmp", task.id, "t"), "x");
    await put(path.join(envRoot, "acme__calc", "homes", "warm", ".bashrc"), "x");
    await put(path.join(envRoot, "acme__calc", "cache", "npm", "index"), "x");
    await put(path.join(agentRoot, "deleted-task", "home", "f"), "x");

    const janitor = new WorkspaceJanitor({
      store,
      workspaces: new FakeWorkspaces(),
      archive: { save: () => Promise.resolve(), load: () => Promise.resolve(null) },
      homes: [
        createAgentHomeDirs({ root: agentRoot, sharedCodexHome }),
        createEnvironmentHomeDirs({ root: envRoot }),
      ],
      retentionMs: 3_600_000,
      intervalMs: 60_000,
      logger: pino({ level: "silent" }),
      now: () => new Date("2030-01-10T00:00:00Z"),
    });
    await janitor.sweep();

    expect(existsSync(homes.dir)).toBe(false);
    expect(existsSync(path.join(agentRoot, "deleted-task"))).toBe(false);
    expect(existsSync(path.join(envRoot, "acme__calc", "homes", task.id))).toBe(false);
    expect(existsSync(path.join(envRoot, "acme__calc", "tmp", task.id))).toBe(false);
    expect(existsSync(path.join(envRoot, "acme__calc", "homes", "warm", ".bashrc"))).toBe(true);
    expect(existsSync(path.join(envRoot, "acme__calc", "cache", "npm", "index"))).toBe(true);
    expect(await readFile(outside, "utf8")).toBe("not the janitor's\n");
    // The copied login is gone with the homes; the thread waits in the shared Codex home...
    expect(await readFile(path.join(sharedCodexHome, ROLLOUT), "utf8")).toBe('{"thread":"kept"}\n');
    // ...and a follow-up's turn gets it back in fresh homes, so the thread resumes.
    await prepareTaskHomes(homes, {
      codexHome: sharedCodexHome,
      copyLogin: false,
      threadId: THREAD,
    });
    expect(await readFile(path.join(homes.codexHome, ROLLOUT), "utf8")).toBe('{"thread":"kept"}\n');
  });
});

import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { prepareTaskHomes, taskHomes } from "../../server/adapters/codex/task-homes.js";

describe("taskHomes", () => {
  it("puts a task's HOME, CODEX_HOME and TMPDIR in its own directory under the root", () => {
    expect(taskHomes("/data/agent-homes", "review-6f1c2f4e")).toEqual({
      dir: path.join("/data/agent-homes", "review-6f1c2f4e"),
      home: path.join("/data/agent-homes", "review-6f1c2f4e", "home"),
      codexHome: path.join("/data/agent-homes", "review-6f1c2f4e", "codex-home"),
      tmp: path.join("/data/agent-homes", "review-6f1c2f4e", "tmp"),
    });
  });

  it.each(["..", "a/../../etc", "task.1", ".hidden", "", "a b", "x".repeat(129)])(
    "refuses %j, as the worktrees and the diff archive do",
    (id) => {
      expect(() => taskHomes("/data/agent-homes", id)).toThrow(
        `Not a usable task id for a directory: ${id}`,
      );
    },
  );
});

describe("prepareTaskHomes: Codex's databases for a new thread", () => {
  async function sharedHome(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "shared-codex-home-"));
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), content);
    }
    return dir;
  }
  const template = "patchboard-state-template";
  const warmed = {
    [`${template}/state_5.sqlite`]: "state",
    [`${template}/logs_2.sqlite`]: "logs",
    [`${template}/logs_2.sqlite-wal`]: "wal",
    [`${template}/logs_2.sqlite-shm`]: "shm",
    [`${template}/installation_id`]: "id",
    [`${template}/sessions/2026/12/02/rollout-x-warmup.jsonl`]: "warm-up",
    // The shared home itself: an installation older than per-task homes ran every task
    // here, so its databases hold other tasks' threads.
    "state_5.sqlite": "other tasks' prompts and output",
    "thread_history_1.sqlite": "other tasks' items",
    "auth.json": "login",
    "config.toml": "model = 'x'",
    "sessions/2026/12/01/rollout-x-t1.jsonl": "thread",
  };

  it("copies the warmed template's databases, their logs and the install id into a new thread's home, never the shared home's", async () => {
    const shared = await sharedHome(warmed);
    const homes = taskHomes(await mkdtemp(path.join(os.tmpdir(), "homes-")), "task-1");
    await prepareTaskHomes(homes, { codexHome: shared, copyLogin: false, threadId: null });
    expect((await readdir(homes.codexHome)).sort()).toEqual([
      "installation_id",
      "logs_2.sqlite",
      "logs_2.sqlite-wal",
      "state_5.sqlite",
    ]);
    expect(await readFile(path.join(homes.codexHome, "state_5.sqlite"), "utf8")).toBe("state");
  });

  it("leaves a resumed thread's home, a home with databases and an unwarmed template alone", async () => {
    const shared = await sharedHome(warmed);
    const root = await mkdtemp(path.join(os.tmpdir(), "homes-"));
    const resumed = taskHomes(root, "task-2");
    await prepareTaskHomes(resumed, { codexHome: shared, copyLogin: false, threadId: "t9" });
    expect(await readdir(resumed.codexHome)).toEqual([]);

    const own = taskHomes(root, "task-3");
    await mkdir(own.codexHome, { recursive: true });
    await writeFile(path.join(own.codexHome, "state_5.sqlite"), "own");
    await prepareTaskHomes(own, { codexHome: shared, copyLogin: false, threadId: null });
    expect(await readdir(own.codexHome)).toEqual(["state_5.sqlite"]);
    expect(await readFile(path.join(own.codexHome, "state_5.sqlite"), "utf8")).toBe("own");

    const cold = await sharedHome({
      "state_5.sqlite": "other tasks' prompts and output",
      [`${template}/logs_2.sqlite`]: "logs",
    });
    const fresh = taskHomes(root, "task-4");
    await prepareTaskHomes(fresh, { codexHome: cold, copyLogin: false, threadId: null });
    expect(await readdir(fresh.codexHome)).toEqual([]);
  });
});

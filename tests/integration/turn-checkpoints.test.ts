import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createThreadRollouts } from "../../server/adapters/codex/index.js";
import { createGitWorkspaces } from "../../server/adapters/git/index.js";
import {
  createTurnCheckpointStore,
  openSqliteDatabase,
  type Database,
} from "../../server/adapters/storage/index.js";
import type { TurnCheckpoint } from "../../server/domain/ports/turn-checkpoints.js";
import { git, makeBareRepo, TempDirs, fixtureRepoConfig } from "../support/git-fixtures.js";
import { openTestPostgres } from "../support/postgres-database.js";

const logger = pino({ level: "silent" });
const tmp = new TempDirs();
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await tmp.cleanup();
});

/** Every byte value, twice: a rollout or a file git and gzip must carry unchanged. */
const ALL_BYTES = Buffer.from([...Array(512).keys()].map((i) => i % 256));

function checkpoint(turn: number, extra: Partial<TurnCheckpoint> = {}): TurnCheckpoint {
  return {
    turn,
    threadId: "thread-1",
    baseSha: "a".repeat(40),
    rollouts: [
      { path: "sessions/2030/01/01/rollout-2030-01-01T00-00-00-thread-1.jsonl", bytes: ALL_BYTES },
      {
        path: "sessions/2030/01/02/rollout-2030-01-02T00-00-00-thread-1.jsonl",
        bytes: Buffer.alloc(0),
      },
    ],
    changes: Buffer.from(`diff for turn ${turn}\n`),
    ...extra,
  };
}

const databases: [string, () => Promise<Database>][] = [
  [
    "SQLite",
    async () => {
      const dir = await tmp.make("patchboard-checkpoints-");
      const db = await openSqliteDatabase({ file: path.join(dir, "patchboard.db"), logger });
      closers.push(() => db.close());
      return db;
    },
  ],
  [
    "PostgreSQL",
    async () => {
      const db = await openTestPostgres();
      closers.push(() => db.close());
      return db;
    },
  ],
];

async function rowCount(db: Database): Promise<number> {
  const result = await sql<{
    n: number | string;
  }>`select count(*) as n from turn_checkpoints`.execute(db.kysely);
  return Number(result.rows[0]?.n);
}

describe.each(databases)("turn checkpoint storage on %s", (_name, open) => {
  it("gives back exactly what was saved, one row per task, the latest turn winning", async () => {
    const db = await open();
    const store = createTurnCheckpointStore(db, { logger });
    expect(await store.latest("task-1")).toBeNull();
    expect(await store.save("task-1", checkpoint(3))).toBe("saved");
    expect(await store.save("task-1", checkpoint(5, { changes: ALL_BYTES }))).toBe("saved");
    // A late save of an earlier turn does not replace the later one.
    expect(await store.save("task-1", checkpoint(4))).toBe("saved");
    expect(await store.save("task-2", checkpoint(1, { threadId: "thread-9" }))).toBe("saved");
    const latest = await store.latest("task-1");
    expect(latest?.turn).toBe(5);
    expect(latest?.threadId).toBe("thread-1");
    expect(latest?.baseSha).toBe("a".repeat(40));
    expect(Buffer.from(latest?.changes ?? []).equals(ALL_BYTES)).toBe(true);
    expect(latest?.rollouts.map((f) => [f.path, Buffer.from(f.bytes).toString("hex")])).toEqual(
      checkpoint(5).rollouts.map((f) => [f.path, Buffer.from(f.bytes).toString("hex")]),
    );
    expect((await store.latest("task-2"))?.threadId).toBe("thread-9");
    expect(await rowCount(db)).toBe(2);
  });

  it("skips a checkpoint over the cap and drops the task's older one", async () => {
    const db = await open();
    const store = createTurnCheckpointStore(db, { logger, maxBytes: 4096 });
    expect(await store.save("task-1", checkpoint(1))).toBe("saved");
    // Random bytes do not compress: well over the cap once gzipped.
    const big = Buffer.from(Array.from({ length: 8192 }, () => Math.floor(Math.random() * 256)));
    expect(await store.save("task-1", checkpoint(2, { changes: big }))).toBe("too_large");
    expect(await store.latest("task-1")).toBeNull();
    expect(await rowCount(db)).toBe(0);
  });
});

/** Every file under `dir` but git's own, with its bytes as hex. */
async function filesOf(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, file);
    if (relative === ".git" || relative.startsWith(`.git${path.sep}`)) continue;
    files[relative] = (await readFile(file)).toString("hex");
  }
  return files;
}

const ROLLOUT = "sessions/2030/01/01/rollout-2030-01-01T00-00-00-thread-7.jsonl";
const BRANCH = "codex/calc-1";

/** A worker's data directory: its git workspaces and its agents' Codex homes. */
async function worker(name: string) {
  const dataDir = await tmp.make(`patchboard-${name}-`);
  return {
    workspaces: createGitWorkspaces({ root: path.join(dataDir, "workspaces"), logger }),
    rollouts: createThreadRollouts({ root: path.join(dataDir, "agent-homes") }),
    codexHome: (taskId: string) => path.join(dataDir, "agent-homes", taskId, "codex-home"),
  };
}

describe("a checkpoint restored into a fresh DATA_DIR", () => {
  it("gives the same worktree (new, deleted, binary files) and the thread's rollout", async () => {
    const remote = await makeBareRepo(tmp, {
      "README.md": "# calc\n",
      "src/add.js": "export const add = (a, b) => a - b;\n",
      "old.txt": "to be deleted\n",
      "logo.bin": Buffer.from([0, 1, 2, 255, 0, 13, 10]),
    });
    const repo = fixtureRepoConfig(remote.bare);
    const db = await databases[0]![1]();
    const store = createTurnCheckpointStore(db, { logger });
    const dead = await worker("dead");
    const ws = await dead.workspaces.prepare(repo, "task-1", BRANCH);
    // What the agent left after its turn: an edit, a new file, a deletion, binary changes.
    await writeFile(path.join(ws.path, "src/add.js"), "export const add = (a, b) => a + b;\n");
    await mkdir(path.join(ws.path, "test"), { recursive: true });
    await writeFile(path.join(ws.path, "test/add.test.js"), "// new test\n");
    await rm(path.join(ws.path, "old.txt"));
    await writeFile(path.join(ws.path, "logo.bin"), ALL_BYTES);
    await writeFile(path.join(ws.path, "new.bin"), Buffer.from([255, 254, 0, 0, 7]));
    const rollout = path.join(dead.codexHome("task-1"), ROLLOUT);
    await mkdir(path.dirname(rollout), { recursive: true });
    await writeFile(rollout, '{"type":"turn"}\n');
    const started = Date.now();
    const [rollouts, changes] = await Promise.all([
      dead.rollouts.read("task-1", "thread-7"),
      dead.workspaces.checkpoint(ws),
    ]);
    await store.save("task-1", {
      turn: 1,
      threadId: "thread-7",
      baseSha: ws.baseSha,
      rollouts,
      changes,
    });
    const saveMs = Date.now() - started;

    const other = await worker("other");
    const restoreStarted = Date.now();
    const saved = await store.latest("task-1");
    if (saved === null) throw new Error("no checkpoint was stored");
    await other.rollouts.restore("task-1", saved.rollouts);
    const restored = await other.workspaces.restore(repo, "task-1", BRANCH, saved);
    const restoreMs = Date.now() - restoreStarted;

    expect(restored.branch).toBe(BRANCH);
    expect(restored.baseSha).toBe(ws.baseSha);
    expect(await filesOf(restored.path)).toEqual(await filesOf(ws.path));
    expect(Object.keys(await filesOf(restored.path)).sort()).toEqual(
      ["README.md", "logo.bin", "new.bin", "src/add.js", "test/add.test.js"].sort(),
    );
    expect(await other.workspaces.diff(restored)).toBe(await dead.workspaces.diff(ws));
    expect(await readFile(path.join(other.codexHome("task-1"), ROLLOUT), "utf8")).toBe(
      '{"type":"turn"}\n',
    );
    process.stdout.write(`turn checkpoint: ${JSON.stringify({ saveMs, restoreMs })}\n`);
  });

  it("publishes on top of what the dead worker pushed: the same branch, moved forward", async () => {
    const remote = await makeBareRepo(tmp, {
      "src/add.js": "export const add = (a, b) => a - b;\n",
    });
    const repo = fixtureRepoConfig(remote.bare);
    const author = { name: "Patchboard", email: "patchboard@test" };
    const dead = await worker("dead");
    const ws = await dead.workspaces.prepare(repo, "task-1", BRANCH);
    await writeFile(path.join(ws.path, "src/add.js"), "export const add = (a, b) => a + b;\n");
    await dead.workspaces.stage(ws);
    const pushed = await dead.workspaces.commitStaged(ws, "fix: add", author);
    await dead.workspaces.push(repo, ws);
    // A follow-up turn, checkpointed, then the worker died before publishing it.
    await writeFile(path.join(ws.path, "src/add.test.js"), "// test\n");
    const saved = { baseSha: ws.baseSha, changes: await dead.workspaces.checkpoint(ws) };

    const other = await worker("other");
    const restored = await other.workspaces.restore(repo, "task-1", BRANCH, saved);
    const staged = await other.workspaces.stage(restored);
    expect(staged.files.map((f) => `${f.status} ${f.path}`).sort()).toEqual([
      "added src/add.test.js",
      "modified src/add.js",
    ]);
    const tip = await other.workspaces.commitStaged(restored, "fix: add, with a test", author);
    await other.workspaces.push(repo, restored);
    // Not forced: the new commit's parent is the dead worker's push, on the same branch.
    expect(git(remote.bare, "rev-parse", `${BRANCH}^`)).toBe(pushed);
    expect(git(remote.bare, "rev-parse", BRANCH)).toBe(tip);
    expect(git(remote.bare, "ls-tree", "-r", "--name-only", BRANCH).split("\n")).toEqual([
      "src/add.js",
      "src/add.test.js",
    ]);
  });

  it("refuses to restore a rollout path outside sessions/", async () => {
    const other = await worker("other");
    for (const bad of [
      "../escape.jsonl",
      "sessions/../../x/rollout-a.jsonl",
      "auth.json",
      "sessions/rollout-a.txt",
    ]) {
      await expect(
        other.rollouts.restore("task-1", [{ path: bad, bytes: Buffer.from("x") }]),
      ).rejects.toMatchObject({ code: "internal" });
    }
    expect(await readdir(path.dirname(other.codexHome("task-1"))).catch(() => [])).toEqual([]);
  });
});

import { copyFile, mkdir, readdir, access, rename } from "node:fs/promises";
import path from "node:path";
import { isSafeTaskId } from "../../domain/task-id.js";

/** The directories of one task's Codex: all three are the only host state it may write. */
export interface TaskHomes {
  /** `<root>/<taskId>`: holds the three below and the launcher (which the agent cannot see). */
  dir: string;
  /** `$HOME` of the CLI and the agent's commands. */
  home: string;
  /** `CODEX_HOME`: the task's threads (rollouts), Codex's state and helper binaries. */
  codexHome: string;
  /** `TMPDIR`. */
  tmp: string;
}

/**
 * The homes of a task under `root`; the id becomes a directory name, so it is checked with
 * the same rule as the task's worktree and diff archive (no dots: no `..`).
 */
export function taskHomes(root: string, taskId: string): TaskHomes {
  if (!isSafeTaskId(taskId)) throw new Error(`Not a usable task id for a directory: ${taskId}`);
  const dir = path.join(root, taskId);
  return {
    dir,
    home: path.join(dir, "home"),
    codexHome: path.join(dir, "codex-home"),
    tmp: path.join(dir, "tmp"),
  };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Finds `rollout-*-<threadId>.jsonl` under a Codex home's `sessions/`; null when absent. */
async function findRollout(codexHome: string, threadId: string): Promise<string | null> {
  const sessions = path.join(codexHome, "sessions");
  const entries = await readdir(sessions, { recursive: true }).catch(() => [] as string[]);
  const suffix = `-${threadId}.jsonl`;
  const match = entries.find(
    (entry) => path.basename(entry).startsWith("rollout-") && entry.endsWith(suffix),
  );
  return match === undefined ? null : path.join(sessions, match);
}

/** Codex's databases (`state_5.sqlite`, `logs_2.sqlite`…), their write-ahead logs, its install id. */
const STATE_FILE = /^(?:[a-z_]+_\d+\.sqlite(?:-wal)?|installation_id)$/;

/**
 * The Codex home new threads' databases are copied from: a folder of the shared home in
 * which only the start-up warm-up ever runs. Not the shared home itself: an installation
 * older than per-task homes ran every task there, so its databases hold other tasks'
 * threads, prompts and command output, which no agent may read.
 */
export function codexStateTemplate(sharedCodexHome: string): string {
  return path.join(sharedCodexHome, "patchboard-state-template");
}

const STATE_DATABASE = /^state_\d+\.sqlite$/;

/** Whether a Codex home has Codex's state database, i.e. a CLI has run in it. */
export async function hasCodexState(codexHome: string): Promise<boolean> {
  const names = await readdir(codexHome).catch(() => [] as string[]);
  return names.some((name) => STATE_DATABASE.test(name));
}

/**
 * Gives a new thread's empty Codex home the databases of the template (above). A CLI
 * starting in an empty home creates and migrates about ten databases first: measured at
 * 200–250 ms of a 550–700 ms start to its first event (figure 8). Each file is copied
 * aside and renamed, so a crash never leaves half a database.
 */
async function seedState(template: string, codexHome: string): Promise<void> {
  const files = (await readdir(template).catch(() => [] as string[])).filter((name) =>
    STATE_FILE.test(name),
  );
  const warmed = files.some((name) => STATE_DATABASE.test(name));
  if (!warmed || (await hasCodexState(codexHome))) return;
  await Promise.all(
    files.map(async (name) => {
      const target = path.join(codexHome, name);
      await copyFile(path.join(template, name), `${target}.partial`);
      await rename(`${target}.partial`, target);
    }),
  );
}

/**
 * Creates a task's homes and gives them what they need from the shared Codex home: its
 * `codex login` (auth.json) when no API key is configured; for a new thread, Codex's
 * databases as the start-up warm-up left them in its template (`seedState`); and, for a thread started
 * before per-task homes existed, that thread's rollout (a thread resumes from its
 * rollout alone).
 */
export async function prepareTaskHomes(
  homes: TaskHomes,
  shared: { codexHome: string; copyLogin: boolean; threadId: string | null },
): Promise<void> {
  await Promise.all(
    [homes.home, homes.codexHome, homes.tmp].map((dir) => mkdir(dir, { recursive: true })),
  );
  if (path.resolve(shared.codexHome) === path.resolve(homes.codexHome)) return;
  const login = path.join(shared.codexHome, "auth.json");
  const taskLogin = path.join(homes.codexHome, "auth.json");
  if (shared.copyLogin && (await exists(login)) && !(await exists(taskLogin))) {
    await copyFile(login, taskLogin);
  }
  if (shared.threadId === null) {
    await seedState(codexStateTemplate(shared.codexHome), homes.codexHome);
    return;
  }
  if ((await findRollout(homes.codexHome, shared.threadId)) !== null) return;
  const legacy = await findRollout(shared.codexHome, shared.threadId);
  if (legacy === null) return;
  const target = path.join(homes.codexHome, path.relative(shared.codexHome, legacy));
  await mkdir(path.dirname(target), { recursive: true });
  await copyFile(legacy, target);
}

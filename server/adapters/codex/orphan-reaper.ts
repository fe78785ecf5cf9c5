import { readdirSync, readFileSync, realpathSync } from "node:fs";
import type { Logger } from "pino";

/**
 * Kills sandboxed commands a killed Codex CLI left behind. When the SDK stops the CLI
 * (abort) while it is starting a command, the command's sandbox wrapper
 * (`codex-linux-sandbox`, in its own session) can survive and keep running in the
 * worktree. Seen in roughly one abort in five in this container. Linux only: elsewhere
 * this does nothing.
 */

const SANDBOX_WRAPPER = "codex-linux-sandbox";

function readArgs(pid: string): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    // The process ended while we looked, or is not ours to read.
    return null;
  }
}

function argAfter(args: readonly string[], flag: string): string | null {
  const index = args.indexOf(flag);
  return index === -1 ? null : (args[index + 1] ?? null);
}

function realpathOr(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/**
 * Kills (SIGKILL, whole process group) every Codex sandbox wrapper whose sandbox root is
 * `workingDirectory`. Call it only once the CLI for that directory has exited: then any
 * such wrapper is an orphan. Returns how many were killed.
 */
export function reapOrphanedCommands(workingDirectory: string, logger: Logger): number {
  if (process.platform !== "linux") return 0;
  const roots = new Set([workingDirectory, realpathOr(workingDirectory)]);
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  let killed = 0;
  for (const pid of pids) {
    const args = readArgs(pid);
    if (args === null || !args.some((arg) => arg.endsWith(SANDBOX_WRAPPER))) continue;
    const root = argAfter(args, "--sandbox-policy-cwd");
    if (root === null || !roots.has(root)) continue;
    try {
      // The wrapper leads its own process group, so this takes the command with it.
      process.kill(-Number(pid), "SIGKILL");
      killed += 1;
    } catch {
      try {
        process.kill(Number(pid), "SIGKILL");
        killed += 1;
      } catch {
        // Already gone.
      }
    }
  }
  if (killed > 0) logger.warn({ workingDirectory, killed }, "killed orphaned codex commands");
  return killed;
}

import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { reapOrphanedCommands } from "../../server/adapters/codex/orphan-reaper.js";
import { processesWithArgs, silentLogger } from "../support/codex-fixtures.js";

// A stand-in for Codex's sandbox wrapper: same argv[0] and flag, in its own session.
function fakeSandboxWrapper(root: string): ChildProcess {
  return spawn(
    process.execPath,
    ["-e", "setInterval(() => {}, 1000)", "--", "--sandbox-policy-cwd", root],
    {
      argv0: "codex-linux-sandbox",
      detached: true,
      stdio: "ignore",
    },
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(process.platform === "linux")("reapOrphanedCommands", () => {
  it("kills the sandbox wrappers of one working directory and no others", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "patchboard-reap-"));
    const other = await mkdtemp(path.join(os.tmpdir(), "patchboard-reap-other-"));
    const target = fakeSandboxWrapper(dir);
    const bystander = fakeSandboxWrapper(other);
    try {
      await vi.waitFor(() => {
        expect(
          processesWithArgs([
            "codex-linux-sandbox",
            "-e",
            "setInterval(() => {}, 1000)",
            "--",
            "--sandbox-policy-cwd",
            dir,
          ]),
        ).toHaveLength(1);
      });
      const exited = new Promise((resolve) =>
        target.once("exit", (_code, signal) => resolve(signal)),
      );
      expect(reapOrphanedCommands(dir, silentLogger)).toBe(1);
      expect(await exited).toBe("SIGKILL");
      expect(isAlive(bystander.pid ?? -1)).toBe(true);
      expect(reapOrphanedCommands(dir, silentLogger)).toBe(0);
    } finally {
      target.kill("SIGKILL");
      bystander.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
      await rm(other, { recursive: true, force: true });
    }
  });
});

import type { CommandSandbox } from "../../domain/ports/command-sandbox.js";
import { runProcess } from "./run-process.js";

/**
 * No isolation (`AGENT_ISOLATION=off`): a plain `/bin/sh -c` child process in its own
 * process group, with exactly the given environment. It sees everything the server's
 * user can; only for hosts where that was chosen explicitly.
 */
export function createDirectSandbox(): CommandSandbox {
  return {
    kind: "none",
    run: (command) =>
      runProcess(
        { file: "/bin/sh", args: ["-c", command.command], env: command.env, cwd: command.cwd },
        command,
      ),
  };
}

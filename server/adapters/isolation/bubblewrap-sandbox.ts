import path from "node:path";
import type { CommandSandbox } from "../../domain/ports/command-sandbox.js";
import { namespaceArgs } from "./namespace-args.js";
import { runProcess } from "./run-process.js";

/** Options of {@link createBubblewrapSandbox}. */
export interface BubblewrapSandboxOptions {
  /** The bubblewrap executable (see `findBwrap`/`detectIsolation`). */
  bwrapPath: string;
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/**
 * Runs each command in its own bubblewrap namespace (see `namespaceArgs`): only the
 * task's worktree and the named directories of the host are there. Killing bubblewrap's
 * process group on timeout or abort takes the whole namespace with it: its init dies,
 * and with it every process of its pid namespace.
 */
export function createBubblewrapSandbox(options: BubblewrapSandboxOptions): CommandSandbox {
  return {
    kind: "bubblewrap",
    run: (command) => {
      if (!isInside(path.resolve(command.cwd), path.resolve(command.mounts.workdir))) {
        return Promise.reject(
          new Error(`cwd ${command.cwd} is not inside the workdir ${command.mounts.workdir}`),
        );
      }
      const args = [
        ...namespaceArgs({ mounts: command.mounts, network: command.network, cwd: command.cwd }),
        "--",
        "/bin/sh",
        "-c",
        command.command,
      ];
      // bubblewrap itself is started from `/`: the server's working directory is not its business.
      return runProcess({ file: options.bwrapPath, args, env: command.env, cwd: "/" }, command);
    },
  };
}

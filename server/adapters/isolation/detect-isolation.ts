import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { bwrapCandidates } from "./find-bwrap.js";
import { namespaceArgs } from "./namespace-args.js";

/** Whether bubblewrap works on this host, and which one. */
export type IsolationSupport =
  { available: true; bwrapPath: string } | { available: false; reason: string };

/** Sandboxes take longer than this to start only on a host that is already failing. */
const PROBE_TIMEOUT_MS = 10_000;

/** Runs `true`-like in the full namespace; resolves with null when it worked, else why not. */
function tryNamespace(bwrapPath: string): Promise<string | null> {
  const workdir = mkdtempSync(path.join(os.tmpdir(), "patchboard-isolation-probe-"));
  const args = [
    ...namespaceArgs({
      mounts: { workdir, writable: [], readOnly: [] },
      network: false,
      cwd: workdir,
    }),
    "--",
    "/bin/sh",
    "-c",
    "test -r /proc/self/status && echo ok",
  ];
  return new Promise((resolve) => {
    execFile(
      bwrapPath,
      args,
      { env: { PATH: "/usr/bin:/bin" }, timeout: PROBE_TIMEOUT_MS, encoding: "utf8" },
      (error, stdout, stderr) => {
        rmSync(workdir, { recursive: true, force: true });
        if (error === null && stdout.trim() === "ok") resolve(null);
        else resolve((stderr || error?.message || "no output").trim().split("\n")[0] ?? "");
      },
    );
  });
}

/**
 * Tries the namespace for real (user, pid and network namespaces, a fresh `/proc`) with
 * each bubblewrap there is, best first: a kernel without unprivileged user namespaces,
 * a container without the rights to make them, or a missing bubblewrap all show here
 * rather than on a task.
 */
export async function detectIsolation(
  candidates: readonly string[] = bwrapCandidates(),
): Promise<IsolationSupport> {
  if (candidates.length === 0) {
    return {
      available: false,
      reason:
        "bubblewrap was not found (neither in @openai/codex-linux-x64 nor /usr/bin/bwrap); install the bubblewrap package",
    };
  }
  const failures: string[] = [];
  for (const bwrapPath of candidates) {
    const failure = await tryNamespace(bwrapPath);
    if (failure === null) return { available: true, bwrapPath };
    failures.push(`${bwrapPath}: ${failure}`);
  }
  return {
    available: false,
    reason: `bubblewrap cannot create a namespace on this host (unprivileged user namespaces off?): ${failures.join("; ")}`,
  };
}

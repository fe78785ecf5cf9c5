import { chmod, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { codexVendorDir } from "./find-bwrap.js";
import { lsbReleaseShimArgs } from "./lsb-release-shim.js";
import { namespaceArgs } from "./namespace-args.js";
import { shellQuote } from "./shell-quote.js";

/** Options of {@link createCodexNamespaceLauncher}. */
export interface CodexNamespaceLauncherOptions {
  bwrapPath: string;
  /** The native Codex package (`…/vendor/<target>`); found like the SDK finds it by default. */
  vendorDir?: string;
}

/** Where the CLI runs and what it may write (the codex adapter's `CodexLaunchSpec`). */
export interface CodexNamespaceSpec {
  /** Where the launcher is written: never mounted into the namespace, so never rewritable from it. */
  dir: string;
  workdir: string;
  writable: string[];
}

/** The `CodexLaunch` the codex adapter runs: the launcher, and the CLI's own PATH entries. */
export interface CodexNamespaceLaunch {
  codexPath: string;
  pathDirs: string[];
}

/**
 * Runs the Codex CLI itself inside a bubblewrap namespace: a small launcher script per
 * task, given to the SDK as the CLI's path, that `exec`s bubblewrap with the real CLI.
 * The namespace keeps the network (the CLI must reach the model API); the agent's
 * commands are kept off it by Codex's own sandbox, nested inside. What the CLI and its
 * commands can read is only the worktree, the writable directories, the Codex package
 * and the toolchain. The environment is the one the SDK was given, passed through: it
 * never appears in the script or in argv.
 */
export function createCodexNamespaceLauncher(
  options: CodexNamespaceLauncherOptions,
): (spec: CodexNamespaceSpec) => Promise<CodexNamespaceLaunch> {
  const vendorDir = options.vendorDir ?? codexVendorDir();
  if (vendorDir === null) throw new Error("The native Codex package was not found");
  const codexBinary = path.join(vendorDir, "bin", "codex");
  // Once per launcher, not per turn: it reads os-release and writes the copy.
  const lsbRelease = lsbReleaseShimArgs();
  return async (spec) => {
    const args = namespaceArgs({
      mounts: { workdir: spec.workdir, writable: spec.writable, readOnly: [vendorDir] },
      network: true,
      cwd: spec.workdir,
    });
    const bwrap = [options.bwrapPath, ...args, ...lsbRelease].map(shellQuote).join(" ");
    const codex = shellQuote(codexBinary);
    const script = [
      "#!/bin/sh",
      "# Written by Patchboard for one task: runs the Codex CLI in the task's namespace.",
      // The SDK writes a turn's output schema to a fresh directory under the server's
      // temporary folder and names it in the arguments: show that directory alone.
      'schema_dir=""',
      'prev=""',
      'for arg in "$@"; do',
      '  if [ "$prev" = "--output-schema" ]; then schema_dir=$(dirname -- "$arg"); fi',
      "  prev=$arg",
      "done",
      'case "$schema_dir" in',
      `  /*/codex-output-schema-*) exec ${bwrap} --ro-bind "$schema_dir" "$schema_dir" -- ${codex} "$@" ;;`,
      "esac",
      `exec ${bwrap} -- ${codex} "$@"`,
      "",
    ].join("\n");
    const launcher = path.join(spec.dir, "codex-launcher.sh");
    // Written aside and renamed: a turn starting meanwhile never runs half a script.
    const partial = `${launcher}.${process.pid}.partial`;
    await writeFile(partial, script, { mode: 0o755 });
    await chmod(partial, 0o755);
    await rename(partial, launcher);
    return { codexPath: launcher, pathDirs: [path.join(vendorDir, "codex-path")] };
  };
}

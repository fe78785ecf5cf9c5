import { lstatSync, mkdtempSync, readlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SandboxMounts } from "../../domain/ports/command-sandbox.js";
import { linkedWorktreeGit } from "./linked-worktree-git.js";

/**
 * The bubblewrap arguments of Patchboard's namespace: what a sandboxed process sees of
 * the host. Used for repository commands and for the Codex CLI alike.
 */

/** The uid and gid inside the namespace: not root, so nothing root-only is readable there. */
export const SANDBOX_UID = 1000;
export const SANDBOX_GID = 1000;

/** The toolchain, read-only. `/home`, `/root`, `/opt`, `/srv`, `/var`, `/run`, `/mnt` are not. */
const SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/**
 * The parts of `/etc` a toolchain needs: the dynamic linker, name resolution, TLS roots,
 * Debian's alternatives (many `/usr/bin` tools are links through them), time zone. Not
 * `/etc/shadow`, `/etc/npmrc`, `/etc/gitconfig`, SSH or any service's configuration.
 */
const ETC_ENTRIES = [
  "alternatives",
  "ld.so.cache",
  "ld.so.conf",
  "ld.so.conf.d",
  "nsswitch.conf",
  "host.conf",
  "hosts",
  "resolv.conf",
  "gai.conf",
  "ssl",
  "ca-certificates",
  "ca-certificates.conf",
  "pki",
  "crypto-policies",
  "localtime",
  "timezone",
  "os-release",
  "mime.types",
  "protocols",
  "services",
];

let etcDir: string | null = null;

/**
 * A directory with the namespace's own `passwd` and `group`: one unprivileged user, so
 * tools that look the user up work and no host account is listed.
 */
function sandboxEtcDir(): string {
  if (etcDir !== null) return etcDir;
  const dir = mkdtempSync(path.join(os.tmpdir(), "patchboard-sandbox-etc-"));
  writeFileSync(
    path.join(dir, "passwd"),
    `root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:${SANDBOX_UID}:${SANDBOX_GID}:Patchboard sandbox:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
  );
  writeFileSync(
    path.join(dir, "group"),
    `root:x:0:\nsandbox:x:${SANDBOX_GID}:\nnogroup:x:65534:\n`,
  );
  etcDir = dir;
  return dir;
}

function systemArgs(): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    let stat;
    try {
      stat = lstatSync(dir);
    } catch {
      continue;
    }
    // Merged-/usr systems: `/bin` is a link to `usr/bin`; keep it a link.
    if (stat.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else args.push("--ro-bind", dir, dir);
  }
  for (const entry of ETC_ENTRIES) {
    const file = path.join("/etc", entry);
    args.push("--ro-bind-try", file, file);
  }
  const etc = sandboxEtcDir();
  args.push("--ro-bind", path.join(etc, "passwd"), "/etc/passwd");
  args.push("--ro-bind", path.join(etc, "group"), "/etc/group");
  return args;
}

let cachedSystemArgs: string[] | null = null;

/** One mount: `path` inside the namespace, of `source` on the host (the same unless given). */
type Mount = { kind: "ro" | "rw" | "hide"; path: string; source?: string };

/**
 * A linked git worktree keeps its git directory in the repository's mirror
 * (`<mirror>/worktrees/<name>`); without it git fails inside the namespace (a setup or
 * test script's `git rev-parse`, `git diff`). So exactly that is shown, read-only: the
 * mirror (history, objects), with its `worktrees/` hidden (other tasks' indexes and
 * paths) but for this worktree's own git directory. Read-only, so nothing in the
 * namespace can rewrite what the server's own git later reads there (`commondir`,
 * `config.worktree`, the prepared-environment record); git still reads, diffs and shows
 * status, and a commit is the server's to make.
 */
function gitMounts(workdir: string): Mount[] {
  const git = linkedWorktreeGit(workdir);
  if (git === null) return [];
  return [
    { kind: "ro", path: git.namedCommonDir, source: git.commonDir },
    { kind: "hide", path: path.join(git.namedCommonDir, "worktrees") },
    { kind: "ro", path: git.namedGitDir, source: git.gitDir },
  ];
}

function depth(dir: string): number {
  return dir.split(path.sep).filter(Boolean).length;
}

/** The caller's mounts, parents before children so a child mount is not covered up. */
function userMountArgs(mounts: SandboxMounts): string[] {
  const list: Mount[] = [
    ...mounts.readOnly.map((dir): Mount => ({ kind: "ro", path: path.resolve(dir) })),
    ...mounts.writable.map((dir): Mount => ({ kind: "rw", path: path.resolve(dir) })),
    ...gitMounts(mounts.workdir),
    { kind: "rw", path: path.resolve(mounts.workdir) },
  ];
  list.sort((a, b) => depth(a.path) - depth(b.path));
  const args: string[] = [];
  for (const mount of list) {
    if (mount.kind === "hide") args.push("--tmpfs", mount.path);
    else if (mount.kind === "ro")
      args.push("--ro-bind-try", mount.source ?? mount.path, mount.path);
    else if (mount.path === path.resolve(mounts.workdir))
      args.push("--bind", mount.path, mount.path);
    else args.push("--bind-try", mount.path, mount.path);
  }
  return args;
}

/** What a namespace is made of besides the toolchain. */
export interface NamespaceSpec {
  mounts: SandboxMounts;
  network: boolean;
  cwd: string;
}

/**
 * The bubblewrap options (everything before the command) of one namespace: a user
 * namespace with an unprivileged uid, its own pids (a fresh `/proc` showing none of the
 * host's processes), IPC and host name, no network unless asked for, a new session (no
 * terminal injection), killed with its parent, the toolchain read-only, a private `/tmp`
 * and `/dev`, and the given mounts. No environment option: the caller starts bubblewrap
 * with exactly the environment the command gets, which keeps values out of `argv`.
 */
export function namespaceArgs(spec: NamespaceSpec): string[] {
  cachedSystemArgs ??= systemArgs();
  return [
    "--unshare-user",
    "--uid",
    String(SANDBOX_UID),
    "--gid",
    String(SANDBOX_GID),
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--hostname",
    "patchboard-sandbox",
    ...(spec.network ? [] : ["--unshare-net"]),
    "--die-with-parent",
    "--new-session",
    ...cachedSystemArgs,
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--tmpfs",
    "/tmp",
    ...userMountArgs(spec.mounts),
    "--chdir",
    spec.cwd,
  ];
}

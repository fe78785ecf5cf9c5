import { spawn, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createBubblewrapSandbox,
  createDirectSandbox,
  detectIsolation,
} from "../../server/adapters/isolation/index.js";
import type {
  CommandSandbox,
  SandboxCommand,
  SandboxResult,
} from "../../server/domain/ports/command-sandbox.js";

/**
 * The isolation adapters on the real host: bubblewrap namespaces (what a task's commands
 * can and cannot reach) and the plain child process used when isolation is off.
 */

const support = await detectIsolation();
if (!support.available) throw new Error(`bubblewrap must work for these tests: ${support.reason}`);
const bwrap = createBubblewrapSandbox({ bwrapPath: support.bwrapPath });
const direct = createDirectSandbox();

const ENV = { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" };
let root: string;
let workdir: string;

function run(
  sandbox: CommandSandbox,
  command: string,
  extra: Partial<SandboxCommand> = {},
): Promise<SandboxResult> {
  return sandbox.run({
    command,
    cwd: workdir,
    env: ENV,
    network: false,
    mounts: { workdir, writable: [], readOnly: [] },
    timeoutMs: 20_000,
    ...extra,
  });
}

/** Host processes whose command line holds `marker` (what a killed tree must not leave). */
function processesWith(marker: string): string[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
      } catch {
        return false;
      }
    });
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "pb-isolation-"));
  workdir = path.join(root, "task", "worktree");
  mkdirSync(workdir, { recursive: true });
  writeFileSync(path.join(root, "task", "sibling-secret.txt"), "SIBLING-SECRET-4711\n");
  mkdirSync(path.join(root, "other-task"));
  writeFileSync(path.join(root, "other-task", "code.ts"), "OTHER-TASK-SECRET\n");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("bubblewrap sandbox", () => {
  it("runs in the worktree, writes there, as an unprivileged user", async () => {
    const result = await run(bwrap, "echo made > out.txt && id -u && pwd");
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, aborted: false });
    expect(result.outputTail).toBe(`1000\n${workdir}\n`);
    expect(readFileSync(path.join(workdir, "out.txt"), "utf8")).toBe("made\n");
  });

  it("cannot read a sibling directory, another task's files or the rest of the host", async () => {
    const result = await run(
      bwrap,
      [
        `cat ${root}/task/sibling-secret.txt`,
        `cat ${root}/other-task/code.ts`,
        "cat /etc/shadow",
        "ls /root /home /var /opt /srv /run",
      ]
        .map((c) => `${c} 2>/dev/null || echo denied`)
        .join("; "),
    );
    expect(result.outputTail).toBe("denied\n".repeat(4));
    // Only the path down to the worktree exists, as empty directories.
    const listing = await run(bwrap, `ls -A ${root} ${root}/task`);
    expect(listing.outputTail).toBe(`${root}:\ntask\n\n${root}/task:\nworktree\n`);
  });

  it("does not see the server's working directory (.env) or home", async () => {
    const home = os.homedir();
    const planted = path.join(home, `.patchboard-isolation-probe-${process.pid}`);
    writeFileSync(planted, "HOME-SECRET-0815\n");
    try {
      const result = await run(
        bwrap,
        `cat ${path.join(process.cwd(), "package.json")} || echo no-cwd; cat ${planted} || echo no-home`,
      );
      expect(result.outputTail).not.toContain("HOME-SECRET-0815");
      expect(result.outputTail).toContain("no-cwd\n");
      expect(result.outputTail).toContain("no-home\n");
    } finally {
      rmSync(planted, { force: true });
    }
  });

  it("sees no other process, so no other process's environment", async () => {
    const other: ChildProcess = spawn("sleep", ["60"], {
      env: { ...ENV, PROBE_SECRET: "ENVIRON-SECRET-1234" },
      stdio: "ignore",
    });
    try {
      const result = await run(
        bwrap,
        `cat /proc/${other.pid}/environ 2>/dev/null; cat /proc/[0-9]*/environ | tr '\\0' '\\n' | grep -c ENVIRON-SECRET; ls /proc | grep -c '^[0-9]'`,
      );
      expect(result.outputTail).not.toContain("ENVIRON-SECRET-1234");
      const [secrets, pids] = result.outputTail.trim().split("\n").map(Number);
      expect(secrets).toBe(0);
      // The namespace's init, the shell and its pipeline: nothing of the host's processes.
      expect(pids).toBeLessThanOrEqual(6);
    } finally {
      other.kill("SIGKILL");
    }
  });

  it("gets exactly the environment it was given", async () => {
    const result = await run(bwrap, "exec /usr/bin/env", {
      env: { ...ENV, ONLY_THIS: "yes" },
    });
    const lines = result.outputTail.trim().split("\n").sort();
    expect(lines.filter((line) => !line.startsWith("PWD="))).toEqual([
      "LANG=C.UTF-8",
      "ONLY_THIS=yes",
      "PATH=/usr/bin:/bin",
    ]);
  });

  it("has no network unless asked for it", async () => {
    const server = net.createServer((socket) => socket.end("hello\n"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const connect = `node -e 'require("net").connect(${port},"127.0.0.1").on("data",d=>{process.stdout.write(d);process.exit(0)}).on("error",e=>{console.log(e.code);process.exit(3)})'`;
    try {
      const off = await run(bwrap, connect);
      expect(off.exitCode).toBe(3);
      expect(off.outputTail).toBe("ECONNREFUSED\n");
      const on = await run(bwrap, connect, { network: true });
      expect(on).toMatchObject({ exitCode: 0, outputTail: "hello\n" });
    } finally {
      server.close();
    }
  });

  it("shows read-only mounts read-only and writable ones writable", async () => {
    const cache = path.join(root, "cache");
    const tools = path.join(root, "tools");
    mkdirSync(cache);
    mkdirSync(tools);
    writeFileSync(path.join(tools, "tool.txt"), "tool\n");
    const result = await run(
      bwrap,
      `cat ${tools}/tool.txt; touch ${tools}/x 2>/dev/null || echo ro; touch ${cache}/y && echo rw`,
      { mounts: { workdir, writable: [cache], readOnly: [tools] } },
    );
    expect(result.outputTail).toBe("tool\nro\nrw\n");
    expect(existsSync(path.join(cache, "y"))).toBe(true);
  });

  it("refuses a working directory outside the worktree", async () => {
    await expect(run(bwrap, "true", { cwd: root })).rejects.toThrow(/not inside the workdir/);
  });
});

describe.each([
  ["bubblewrap", bwrap],
  ["none", direct],
])("%s: ending a command", (_kind, sandbox) => {
  it("kills the whole tree on timeout", async () => {
    const marker = `pb-timeout-${process.pid}-${sandbox.kind}`;
    const result = await run(
      sandbox,
      `sh -c 'sleep 300; : ${marker}' & sh -c 'sleep 301; : ${marker}' & echo started; wait`,
      { timeoutMs: 1_500 },
    );
    expect(result).toMatchObject({ exitCode: null, timedOut: true, aborted: false });
    expect(result.outputTail).toBe("started\n");
    expect(processesWith(marker)).toEqual([]);
  });

  it("is aborted by its signal, with everything it started", async () => {
    const marker = `pb-abort-${process.pid}-${sandbox.kind}`;
    const controller = new AbortController();
    const chunks: string[] = [];
    const result = await run(sandbox, `sh -c 'sleep 300; : ${marker}' & echo ready; wait`, {
      signal: controller.signal,
      onOutput: (chunk, stream) => {
        chunks.push(`${stream}:${chunk}`);
        controller.abort();
      },
    });
    expect(result).toMatchObject({ exitCode: null, timedOut: false, aborted: true });
    expect(chunks).toEqual(["stdout:ready\n"]);
    expect(processesWith(marker)).toEqual([]);
  });

  it("reports the exit code and keeps the last 64 KiB of output", async () => {
    const result = await run(
      sandbox,
      "head -c 100000 /dev/zero | tr '\\0' a; echo; echo tail-end >&2; exit 7",
    );
    expect(result.exitCode).toBe(7);
    expect(result.outputTail.length).toBe(64 * 1024);
    expect(result.outputTail.endsWith("a\ntail-end\n")).toBe(true);
  });
});

describe("direct sandbox", () => {
  it("gets exactly the environment it was given, and sees the host", async () => {
    const result = await run(direct, `exec /usr/bin/env; `, { env: { ...ENV, ONLY_THIS: "yes" } });
    const lines = result.outputTail.trim().split("\n").sort();
    expect(lines.filter((line) => !line.startsWith("PWD="))).toEqual([
      "LANG=C.UTF-8",
      "ONLY_THIS=yes",
      "PATH=/usr/bin:/bin",
    ]);
    const sibling = await run(direct, `cat ${root}/task/sibling-secret.txt`);
    expect(sibling.outputTail).toBe("SIBLING-SECRET-4711\n");
  });
});

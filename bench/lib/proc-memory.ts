import { readdir, readFile } from "node:fs/promises";

/** Resident memory of one process in bytes, from /proc (0 when it is gone). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kib === undefined ? 0 : Number(kib) * 1024;
}

/** Every live descendant of a process (children, grandchildren…), from /proc. */
export async function descendantsOf(pid: number): Promise<{ pid: number; command: string }[]> {
  const parents = new Map<number, number[]>();
  const commands = new Map<number, string>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => null);
    if (stat === null) continue;
    // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so split at the last ")".
    const close = stat.lastIndexOf(")");
    const ppid = Number(stat.slice(close + 2).split(" ")[1]);
    commands.set(Number(name), stat.slice(stat.indexOf("(") + 1, close));
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
  }
  const out: { pid: number; command: string }[] = [];
  const queue = [...(parents.get(pid) ?? [])];
  while (queue.length > 0) {
    const child = queue.shift() as number;
    out.push({ pid: child, command: commands.get(child) ?? "?" });
    queue.push(...(parents.get(child) ?? []));
  }
  return out;
}

/** RSS of the Codex processes (and the commands they run) under a server process, but `exclude`d commands. */
export async function codexRssUnder(
  pid: number,
  exclude: readonly string[] = [],
): Promise<{ processes: number; bytes: number }> {
  const all = (await descendantsOf(pid)).filter((p) => !exclude.includes(p.command));
  const sizes = await Promise.all(all.map((p) => rssOf(p.pid)));
  return { processes: all.length, bytes: sizes.reduce((a, b) => a + b, 0) };
}

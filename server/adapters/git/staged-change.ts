import type { ChangedFile, ChangeStatus, StagedChange } from "../../domain/ports/workspaces.js";
import { gitBytes, runGit } from "./run-git.js";

/** Blobs larger than this are not read into memory; the guard refuses them as unscanned. */
const MAX_BLOB_READ = 16 * 1024 * 1024;
const SYMLINK = "120000";
const ABSENT = "000000";

const STATUS: Record<string, ChangeStatus> = {
  A: "added",
  M: "modified",
  D: "deleted",
  T: "type_changed",
  U: "modified",
};

interface RawEntry {
  path: string;
  status: ChangeStatus;
  oldMode: string | null;
  newMode: string | null;
  oldBlob: string | null;
  newBlob: string | null;
}

/**
 * What the index holds against `baseSha`, for the publish guard: the unified diff, and
 * every path as git names it, read NUL-separated (`-z`) so a quote, tab or newline in a
 * name is the name itself rather than git's quoted rendering of it. Renames are a
 * deletion plus an addition (`--no-renames`), so both paths are always seen. Binary
 * files (git's "Binary files differ", including those a `-diff` attribute hides) are
 * sized and read as blobs; so are symbolic links (their target) and JSON files (the
 * guard compares protected keys such as package.json's `scripts`).
 */
export async function readStagedChange(
  cwd: string,
  baseSha: string,
  diffText: Promise<string>,
): Promise<StagedChange> {
  const base = ["diff", "--cached", "-z", "--no-renames", "--no-ext-diff", "--no-textconv"];
  const [diff, raw, numstat] = await Promise.all([
    diffText,
    runGit([...base, "--raw", "--no-abbrev", baseSha, "--"], { cwd }),
    runGit([...base, "--numstat", baseSha, "--"], { cwd }),
  ]);
  const entries = parseRaw(raw.stdout);
  const binary = parseNumstatBinary(numstat.stdout);
  const sizes = await blobSizes(
    cwd,
    entries.flatMap((e) => [e.newBlob, e.oldBlob]).filter((b): b is string => b !== null),
  );
  const files = await Promise.all(
    entries.map(async (entry): Promise<ChangedFile> => {
      const isBinary = binary.has(entry.path);
      const isJson = entry.path.toLowerCase().endsWith(".json");
      const wanted = isBinary || entry.newMode === SYMLINK || isJson;
      const read = (blob: string | null): Promise<Buffer | null> =>
        blob !== null && wanted && (sizes.get(blob) ?? Infinity) <= MAX_BLOB_READ
          ? gitBytes(["cat-file", "blob", blob], { cwd })
          : Promise.resolve(null);
      const [content, oldContent] = await Promise.all([
        read(entry.newBlob),
        isJson ? read(entry.oldBlob) : Promise.resolve(null),
      ]);
      return {
        path: entry.path,
        status: entry.status,
        oldMode: entry.oldMode,
        newMode: entry.newMode,
        binary: isBinary,
        size: entry.newBlob === null ? 0 : (sizes.get(entry.newBlob) ?? 0),
        content,
        oldContent,
      };
    }),
  );
  return { diff, files };
}

/** `:old new oldsha newsha S\0path\0` records of `git diff --raw -z`. */
function parseRaw(out: string): RawEntry[] {
  const parts = out.split("\0");
  const entries: RawEntry[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const meta = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])/.exec(parts[i] ?? "");
    const file = parts[i + 1];
    if (meta === null || file === undefined) continue;
    const [, oldMode = ABSENT, newMode = ABSENT, oldBlob = "", newBlob = "", letter = "M"] = meta;
    const zero = /^0+$/;
    entries.push({
      path: file,
      status: STATUS[letter] ?? "modified",
      oldMode: oldMode === ABSENT ? null : oldMode,
      newMode: newMode === ABSENT ? null : newMode,
      oldBlob: oldMode === ABSENT || zero.test(oldBlob) ? null : oldBlob,
      newBlob: newMode === ABSENT || zero.test(newBlob) ? null : newBlob,
    });
  }
  return entries;
}

/** The paths `git diff --numstat -z` counts as binary (`-\t-\tpath\0`). */
function parseNumstatBinary(out: string): Set<string> {
  const binary = new Set<string>();
  for (const record of out.split("\0")) {
    const match = /^-\t-\t([\s\S]*)$/.exec(record);
    if (match?.[1] !== undefined) binary.add(match[1]);
  }
  return binary;
}

/** Sizes of blobs, in one `cat-file --batch-check`. Gitlinks (commits) are left out. */
async function blobSizes(cwd: string, blobs: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (blobs.length === 0) return sizes;
  const out = await runGit(
    ["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
    {
      cwd,
      input: `${[...new Set(blobs)].join("\n")}\n`,
    },
  );
  for (const line of out.stdout.split("\n")) {
    const [sha, type, size] = line.split(" ");
    if (sha !== undefined && type === "blob") sizes.set(sha, Number(size));
  }
  return sizes;
}

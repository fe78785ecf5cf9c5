/** One file of a unified diff, with the lines it adds. */
export interface DiffFile {
  /** The path before the change (`null` for a new file). */
  oldPath: string | null;
  /** The path after the change (`null` for a deleted file). */
  newPath: string | null;
  /** Added lines, without their leading `+`. */
  added: string[];
}

interface HunkState {
  oldLeft: number;
  newLeft: number;
}

/**
 * Parses the unified diff `git diff` (or Workspaces.diff) prints into files and their
 * added lines. Hunk line counts decide what is content and what is a header, so an added
 * line that starts with `++` or `diff --git` cannot fake a header. Lines after a file
 * header but outside any hunk (diffs without `@@` headers) count as added: the guard
 * would rather look at too much than too little. Renames, mode changes and binary files
 * still name their paths, so they cannot hide a path from the guard.
 */
export function parseUnifiedDiff(diff: string): DiffFile[] {
  const files: DiffFile[] = [];
  let current: DiffFile | null = null;
  let hunk: HunkState | null = null;
  let headerDone = false;
  const start = (oldPath: string | null, newPath: string | null): DiffFile => {
    const file: DiffFile = { oldPath, newPath, added: [] };
    files.push(file);
    hunk = null;
    headerDone = false;
    return file;
  };
  for (const line of diff.split("\n")) {
    if (hunk !== null && current !== null) {
      const state: HunkState = hunk;
      if (line.startsWith("\\")) continue; // "\ No newline at end of file"
      if (line.startsWith("+")) {
        current.added.push(line.slice(1));
        state.newLeft -= 1;
      } else if (line.startsWith("-")) {
        state.oldLeft -= 1;
      } else {
        state.oldLeft -= 1;
        state.newLeft -= 1;
      }
      if (state.oldLeft <= 0 && state.newLeft <= 0) hunk = null;
      continue;
    }
    const gitHeader = /^diff --git a\/(.+?) b\/(.+)$/.exec(line);
    if (gitHeader) {
      current = start(gitHeader[1] ?? null, gitHeader[2] ?? null);
      continue;
    }
    const range = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (range && current !== null) {
      headerDone = true;
      hunk = { oldLeft: Number(range[1] ?? 1), newLeft: Number(range[2] ?? 1) };
      if (hunk.oldLeft <= 0 && hunk.newLeft <= 0) hunk = null;
      continue;
    }
    if (line.startsWith("--- ") && (current === null || headerDone || current.added.length > 0)) {
      // A `---` outside a hunk after content starts the next file (`diff -u` output).
      current = start(stripPrefix(line.slice(4)), null);
      continue;
    }
    if (current === null) continue;
    if (!headerDone) {
      if (line.startsWith("--- ")) {
        current.oldPath = stripPrefix(line.slice(4));
        continue;
      }
      if (line.startsWith("+++ ")) {
        current.newPath = stripPrefix(line.slice(4));
        headerDone = true;
        continue;
      }
      const rename = /^(?:rename|copy) (from|to) (.+)$/.exec(line);
      if (rename) {
        if (rename[1] === "from") current.oldPath = rename[2] ?? null;
        else current.newPath = rename[2] ?? null;
        continue;
      }
      if (line.startsWith("new file mode")) current.oldPath = null;
      if (line.startsWith("deleted file mode")) current.newPath = null;
      continue;
    }
    // Content outside any hunk header: treat as added, minus a leading "+".
    if (line !== "") current.added.push(line.startsWith("+") ? line.slice(1) : line);
  }
  return files;
}

/** Every path a file touches (old and new), without duplicates. */
export function pathsOf(file: DiffFile): string[] {
  return [...new Set([file.oldPath, file.newPath].filter((p): p is string => p !== null))];
}

function stripPrefix(path: string): string | null {
  const clean = path.replace(/\t.*$/, "").trim();
  if (clean === "/dev/null") return null;
  return clean.replace(/^[ab]\//, "");
}

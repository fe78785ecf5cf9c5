/** One line of a hunk. */
export interface DiffLine {
  kind: "add" | "del" | "context" | "note";
  text: string;
  oldNumber: number | null;
  newNumber: number | null;
}

/** One `@@` hunk. */
export interface DiffHunk {
  header: string;
  lines: DiffLine[];
}

/** The changes to one file. */
export interface DiffFile {
  oldPath: string | null;
  newPath: string | null;
  /** The path to show: the new one, or the old one for a deletion. */
  path: string;
  status: "added" | "deleted" | "modified" | "renamed";
  binary: boolean;
  hunks: DiffHunk[];
  additions: number;
  deletions: number;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

function stripPrefix(path: string): string | null {
  const clean = path.split("\t")[0] ?? path;
  if (clean === "/dev/null") return null;
  return clean.replace(/^[ab]\//, "");
}

function newFile(header: string): DiffFile {
  const match = /^diff --git a\/(.+) b\/(.+)$/.exec(header);
  const oldPath = match?.[1] ?? null;
  const newPath = match?.[2] ?? null;
  return {
    oldPath,
    newPath,
    path: newPath ?? oldPath ?? "(unknown file)",
    status: "modified",
    binary: false,
    hunks: [],
    additions: 0,
    deletions: 0,
  };
}

function finish(file: DiffFile): DiffFile {
  const path = file.newPath ?? file.oldPath ?? "(unknown file)";
  let status = file.status;
  if (status === "modified" && file.oldPath && file.newPath && file.oldPath !== file.newPath) {
    status = "renamed";
  }
  return { ...file, path, status };
}

/**
 * Parses a unified diff (as `git diff` writes it) into files, hunks and numbered lines.
 * Text only: nothing is interpreted as markup.
 */
export function parseUnifiedDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;

  const lines = text.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
  for (const line of lines) {
    if (line.startsWith("diff --git ")) {
      files.push(newFile(line));
      inHunk = false;
      continue;
    }
    let current = files[files.length - 1];
    if (!current || (!inHunk && line.startsWith("--- ") && current.hunks.length > 0)) {
      // a diff without `diff --git` headers
      current = newFile("");
      files.push(current);
      inHunk = false;
    }
    const match = HUNK.exec(line);
    if (match) {
      oldLine = Number(match[1]);
      newLine = Number(match[2]);
      current.hunks.push({ header: line, lines: [] });
      inHunk = true;
      continue;
    }
    const hunk = current.hunks[current.hunks.length - 1];
    if (!inHunk || !hunk) {
      if (line.startsWith("--- ")) current.oldPath = stripPrefix(line.slice(4));
      else if (line.startsWith("+++ ")) current.newPath = stripPrefix(line.slice(4));
      else if (line.startsWith("new file mode")) current.status = "added";
      else if (line.startsWith("deleted file mode")) current.status = "deleted";
      else if (line.startsWith("rename from ")) current.oldPath = line.slice(12);
      else if (line.startsWith("rename to ")) current.newPath = line.slice(10);
      else if (line.startsWith("Binary files") || line === "GIT binary patch")
        current.binary = true;
      continue;
    }
    if (line.startsWith("+")) {
      hunk.lines.push({ kind: "add", text: line.slice(1), oldNumber: null, newNumber: newLine++ });
      current.additions++;
    } else if (line.startsWith("-")) {
      hunk.lines.push({ kind: "del", text: line.slice(1), oldNumber: oldLine++, newNumber: null });
      current.deletions++;
    } else if (line.startsWith("\\")) {
      hunk.lines.push({ kind: "note", text: line, oldNumber: null, newNumber: null });
    } else if (line.startsWith(" ") || line === "") {
      hunk.lines.push({
        kind: "context",
        text: line.slice(1),
        oldNumber: oldLine++,
        newNumber: newLine++,
      });
    } else {
      inHunk = false;
    }
  }
  return files.map(finish).filter((f) => f.hunks.length > 0 || f.binary || f.status !== "modified");
}

import { gitOut, runGit } from "../../adapters/git/run-git.js";

/** One file of a pull request, shaped like GitHub's `GET /pulls/:n/files` items. */
export interface PullFile {
  sha: string | null;
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "changed";
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
}

const STATUS_BY_LETTER: Record<string, PullFile["status"]> = {
  A: "added",
  D: "removed",
  M: "modified",
  R: "renamed",
  T: "changed",
};

/**
 * Read-only git queries on a bare repository, run with the real `git` so the fake
 * sees exactly what a push landed.
 */
export class BareRepo {
  constructor(readonly gitDir: string) {}

  private git(args: string[], okExitCodes: number[] = []) {
    return runGit(["--git-dir", this.gitDir, "-c", "core.quotePath=false", ...args], {
      okExitCodes,
    });
  }

  /** The commit a branch points at, or null when there is no such branch. */
  async branchSha(branch: string): Promise<string | null> {
    if (branch.startsWith("-")) return null;
    return this.refSha(`refs/heads/${branch}`);
  }

  /** The commit a full ref (`refs/pull/3/head`) points at, or null when there is none. */
  async refSha(ref: string): Promise<string | null> {
    const result = await this.git(
      ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`],
      [1, 128],
    );
    return result.exitCode === 0 ? result.stdout.trim() : null;
  }

  /**
   * Copies a branch of another bare repository (a fork) into `ref` here, as GitHub keeps
   * a fork pull request's head at `refs/pull/N/head` of the base repository.
   */
  async fetchBranch(from: BareRepo, branch: string, ref: string): Promise<void> {
    await this.git(["fetch", "--no-tags", "--quiet", from.gitDir, `+refs/heads/${branch}:${ref}`]);
  }

  /** How many commits `headRef` has that `baseRef` lacks (full ref names). */
  async commitsAhead(baseRef: string, headRef: string): Promise<number> {
    const out = await gitOut([
      "--git-dir",
      this.gitDir,
      "rev-list",
      "--count",
      `${baseRef}..${headRef}`,
    ]);
    return Number(out);
  }

  /** The unified diff of a pull request: head against its merge base with base (`base...head`). */
  async diff(baseRef: string, headRef: string): Promise<string> {
    const result = await this.git([
      "diff",
      "--no-color",
      "--no-ext-diff",
      "--no-renames",
      `${baseRef}...${headRef}`,
      "--",
    ]);
    return result.stdout;
  }

  /** The files of a pull request with their per-file patches (full ref names). */
  async files(baseRef: string, headRef: string): Promise<PullFile[]> {
    const range = `${baseRef}...${headRef}`;
    const [statusOut, numstatOut, diff] = await Promise.all([
      this.git(["diff", "--no-renames", "--name-status", range, "--"]),
      this.git(["diff", "--no-renames", "--numstat", range, "--"]),
      this.diff(baseRef, headRef),
    ]);
    // Both listings and the patch come in the same (path) order.
    const patches = diff
      .split(/^(?=diff --git )/m)
      .filter((chunk) => chunk.startsWith("diff --git "));
    const numstats = numstatOut.stdout.split("\n").filter(Boolean);
    return statusOut.stdout
      .split("\n")
      .filter(Boolean)
      .map((line, i) => {
        const [letter = "M", filename = ""] = line.split("\t");
        const [added = "-", deleted = "-"] = (numstats[i] ?? "").split("\t");
        const additions = added === "-" ? 0 : Number(added);
        const deletions = deleted === "-" ? 0 : Number(deleted);
        const patch = patches[i]
          ?.split(/^@@/m)
          .slice(1)
          .map((hunk) => `@@${hunk}`)
          .join("");
        return {
          sha: null,
          filename,
          status: STATUS_BY_LETTER[letter.charAt(0)] ?? "modified",
          additions,
          deletions,
          changes: additions + deletions,
          ...(patch ? { patch: patch.replace(/\n$/, "") } : {}),
        };
      });
  }
}

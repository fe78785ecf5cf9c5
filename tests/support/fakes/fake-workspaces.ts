import type { RepoConfig } from "../../../server/domain/repo-config.js";
import type {
  BaseUpdate,
  CommitAuthor,
  StagedChange,
  Workspace,
  Workspaces,
} from "../../../server/domain/ports/workspaces.js";

/**
 * In-memory Workspaces for domain unit tests. A workspace's "files" are a map the fake
 * agent writes to; the diff lists what changed since the last commit or the base.
 */
export class FakeWorkspaces implements Workspaces {
  readonly workspaces = new Map<
    string,
    Workspace & { files: Map<string, string>; committed: number }
  >();
  readonly pushes: { repo: string; branch: string; commits: number }[] = [];
  readonly commits: { taskId: string; message: string; author: CommitAuthor }[] = [];
  /** Tasks whose worktree `restore` made, in order. */
  readonly restores: string[] = [];
  /** What the next `updateFromBase` reports (the base "moved"); null means it did not. */
  nextBaseUpdate: BaseUpdate | null = null;

  prepare(_repo: RepoConfig, taskId: string, branch: string): Promise<Workspace> {
    let ws = this.workspaces.get(taskId);
    if (ws === undefined) {
      ws = {
        path: `/fake/worktrees/${taskId}`,
        branch,
        baseSha: "base000",
        files: new Map(),
        committed: 0,
      };
      this.workspaces.set(taskId, ws);
    }
    return Promise.resolve(ws);
  }

  find(taskId: string): Promise<Workspace | null> {
    return Promise.resolve(this.workspaces.get(taskId) ?? null);
  }

  listIds(): Promise<string[]> {
    return Promise.resolve([...this.workspaces.keys()]);
  }

  /** Writes a file in the task's worktree (what the fake agent does). */
  write(path: string, file: string, content: string): void {
    const ws = [...this.workspaces.values()].find((w) => w.path === path);
    if (ws === undefined) throw new Error(`no workspace at ${path}`);
    ws.files.set(file, content);
  }

  diff(workspace: Workspace): Promise<string> {
    const ws = this.workspaces.get(taskIdOf(workspace));
    if (!ws || ws.files.size === 0) return Promise.resolve("");
    return Promise.resolve(
      [...ws.files]
        .map(([file, content]) => `--- a/${file}\n+++ b/${file}\n+${content}\n`)
        .join(""),
    );
  }

  /** Every written file as a new text file (JSON files with their bytes, as git reads them). */
  async stage(workspace: Workspace): Promise<StagedChange> {
    const ws = this.workspaces.get(taskIdOf(workspace));
    const files = [...(ws?.files ?? new Map<string, string>())].map(([file, content]) => ({
      path: file,
      status: "added" as const,
      oldMode: null,
      newMode: "100644",
      binary: false,
      size: Buffer.byteLength(content),
      content: file.endsWith(".json") ? Buffer.from(content) : null,
      oldContent: null,
    }));
    return { diff: await this.diff(workspace), files };
  }

  commitStaged(
    workspace: Workspace,
    message: string,
    author: CommitAuthor,
  ): Promise<string | null> {
    const ws = this.workspaces.get(taskIdOf(workspace));
    if (!ws || ws.files.size === ws.committed) return Promise.resolve(null);
    ws.committed = ws.files.size;
    this.commits.push({ taskId: taskIdOf(workspace), message, author });
    return Promise.resolve(`sha${this.commits.length}`.padEnd(40, "0"));
  }

  push(repo: RepoConfig, workspace: Workspace): Promise<void> {
    this.pushes.push({ repo: repo.github, branch: workspace.branch, commits: this.commits.length });
    return Promise.resolve();
  }

  updateFromBase(
    _repo: RepoConfig,
    workspace: Workspace,
    _author: CommitAuthor,
  ): Promise<{ workspace: Workspace; update: BaseUpdate | null }> {
    const update = this.nextBaseUpdate;
    this.nextBaseUpdate = null;
    if (update === null) return Promise.resolve({ workspace, update: null });
    const ws = this.workspaces.get(taskIdOf(workspace));
    if (ws) ws.baseSha = update.base;
    return Promise.resolve({ workspace: ws ?? { ...workspace, baseSha: update.base }, update });
  }

  remove(taskId: string): Promise<void> {
    this.workspaces.delete(taskId);
    return Promise.resolve();
  }

  /** The worktree's files as JSON bytes (what `restore` reads back). */
  checkpoint(workspace: Workspace): Promise<Uint8Array> {
    const ws = this.workspaces.get(taskIdOf(workspace));
    return Promise.resolve(Buffer.from(JSON.stringify([...(ws?.files ?? new Map())])));
  }

  /** A worktree at the checkpoint's base with its files; the one there when it exists. */
  restore(
    _repo: RepoConfig,
    taskId: string,
    branch: string,
    saved: { baseSha: string; changes: Uint8Array },
  ): Promise<Workspace> {
    const existing = this.workspaces.get(taskId);
    if (existing !== undefined) return Promise.resolve(existing);
    const entries = JSON.parse(Buffer.from(saved.changes).toString("utf8")) as [string, string][];
    const ws = {
      path: `/fake/worktrees/${taskId}`,
      branch,
      baseSha: saved.baseSha,
      files: new Map(entries),
      committed: 0,
    };
    this.workspaces.set(taskId, ws);
    this.restores.push(taskId);
    return Promise.resolve(ws);
  }
}

function taskIdOf(workspace: Workspace): string {
  return workspace.path.split("/").at(-1) ?? "";
}

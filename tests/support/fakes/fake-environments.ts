import type {
  EnvironmentDirs,
  Environments,
  PreparedState,
  TestBaseline,
  WorktreeChanges,
  WorktreeStatus,
} from "../../../server/domain/ports/environments.js";

/**
 * In-memory Environments for domain unit tests: lockfile contents, prepared states,
 * report files and base-branch results kept in maps, keyed by worktree path.
 */
export class FakeEnvironments implements Environments {
  /** Lockfile contents per worktree (what the fingerprint is made of). */
  readonly lockfiles = new Map<string, string>();
  readonly states = new Map<string, PreparedState>();
  readonly baselines = new Map<string, TestBaseline>();
  /** Files of worktrees: `${workdir}/${file}` → content. */
  readonly files = new Map<string, string>();
  /** What `changes` reports per worktree (the agent's files show up here). */
  readonly worktreeChanges = new Map<string, WorktreeChanges>();
  readonly heads = new Map<string, string>();
  revertCalls = 0;

  lockfileDigest(workdir: string): Promise<string> {
    return Promise.resolve(this.lockfiles.get(workdir) ?? "no-lockfiles");
  }
  readState(workdir: string): Promise<PreparedState | null> {
    return Promise.resolve(this.states.get(workdir) ?? null);
  }
  writeState(workdir: string, state: PreparedState | null): Promise<void> {
    if (state === null) this.states.delete(workdir);
    else this.states.set(workdir, state);
    return Promise.resolve();
  }
  dirs(repo: string, owner: string): Promise<EnvironmentDirs> {
    const root = `/fake/environments/${repo.replace("/", "__")}`;
    return Promise.resolve({
      home: `${root}/homes/${owner}`,
      tmp: `${root}/tmp/${owner}`,
      caches: { npm_config_cache: `${root}/cache/npm`, PIP_CACHE_DIR: `${root}/cache/pip` },
      cacheRoot: `${root}/cache`,
    });
  }
  removeDirs(): Promise<void> {
    return Promise.resolve();
  }
  readFile(workdir: string, file: string): Promise<string | null> {
    return Promise.resolve(this.files.get(`${workdir}/${file}`) ?? null);
  }
  removeFile(workdir: string, file: string): Promise<void> {
    this.files.delete(`${workdir}/${file}`);
    return Promise.resolve();
  }
  status(workdir: string): Promise<WorktreeStatus> {
    const changes = this.worktreeChanges.get(workdir) ?? { tracked: [], untracked: [] };
    return Promise.resolve({ head: this.heads.get(workdir) ?? "base000", ...changes });
  }
  changes(workdir: string): Promise<WorktreeChanges> {
    return Promise.resolve(this.worktreeChanges.get(workdir) ?? { tracked: [], untracked: [] });
  }
  revertNewChanges(): Promise<string[]> {
    this.revertCalls += 1;
    return Promise.resolve([]);
  }
  getBaseline(repo: string, key: string): Promise<TestBaseline | null> {
    return Promise.resolve(this.baselines.get(`${repo}:${key}`) ?? null);
  }
  putBaseline(repo: string, key: string, baseline: TestBaseline): Promise<void> {
    this.baselines.set(`${repo}:${key}`, baseline);
    return Promise.resolve();
  }
}

import type { RepoEntry } from "./api-routes.js";
import type { FakePullRequest } from "./store.js";

/**
 * The repository a pull request's head lives in: the base repository itself, or the fork
 * named by `head.repo.full_name` (null when the fake does not know it, like a deleted fork).
 */
export function headRepoOf(repo: RepoEntry, pr: FakePullRequest): RepoEntry | null {
  const name = pr.head.repo.full_name.toLowerCase();
  if (name === repo.fullName.toLowerCase()) return repo;
  return [...(repo.forks?.values() ?? [])].find((f) => f.fullName.toLowerCase() === name) ?? null;
}

/**
 * Where the head's commits are inside the base repository: its branch, or for a fork
 * `refs/pull/N/head`, which {@link readHead} keeps current the way GitHub does.
 */
export function headRefIn(repo: RepoEntry, pr: FakePullRequest): string {
  return headRepoOf(repo, pr) === repo
    ? `refs/heads/${pr.head.ref}`
    : `refs/pull/${pr.number}/head`;
}

/**
 * The head branch's commit now, or null once the branch (or its fork) is gone. A fork's
 * branch is copied to the base repository's `refs/pull/N/head` whenever it moved, so diffs
 * and a reviewer's `git fetch origin refs/pull/N/head` see what was pushed to the fork.
 */
export async function readHead(repo: RepoEntry, pr: FakePullRequest): Promise<string | null> {
  const headRepo = headRepoOf(repo, pr);
  const sha = (await headRepo?.git.branchSha(pr.head.ref)) ?? null;
  if (headRepo === null || headRepo === repo || sha === null) return sha;
  const ref = headRefIn(repo, pr);
  if ((await repo.git.refSha(ref)) !== sha)
    await repo.git.fetchBranch(headRepo.git, pr.head.ref, ref);
  return sha;
}

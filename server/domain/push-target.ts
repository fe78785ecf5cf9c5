import type { RepoConfig } from "./repo-config.js";

/**
 * The pull request's head as GitHub's pulls API takes it, for both opening the pull
 * request and finding it again: `forkOwner:branch` when the branch is pushed to a fork
 * (a bare branch name would make GitHub look for it in the upstream), the bare branch
 * otherwise (the upstream's own branch, as before forks existed).
 */
export function pullRequestHead(repo: RepoConfig, branch: string): string {
  if (repo.pushRepository === undefined) return branch;
  return `${repo.pushRepository.split("/")[0] ?? ""}:${branch}`;
}

/**
 * Whether a pull request whose head lives in `headRepository` is ours: from the
 * repository itself or from the fork Patchboard pushes to. Only other forks (anyone's
 * code and text) need `REVIEW_FORKS`. A deleted head repository (null) is not ours.
 */
export function isOwnHead(repo: RepoConfig, headRepository: string | null): boolean {
  if (headRepository === null) return false;
  const head = headRepository.toLowerCase();
  return head === repo.github.toLowerCase() || head === repo.pushRepository?.toLowerCase();
}

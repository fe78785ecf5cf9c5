import path from "node:path";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import {
  fixtureRepoConfig,
  git,
  makeBareRepo,
  type BareRepo,
  type TempDirs,
} from "./git-fixtures.js";
import { SUM_PROJECT } from "./pipeline-fixtures.js";

/** The fork Patchboard pushes to in the fork suites (`pushRepository`). */
export const FORK = "calc-bot/calc";

/** A bare fork of `bare`: a copy of it, as GitHub's "Fork" button makes one. */
export async function forkOf(tmp: TempDirs, bare: string): Promise<string> {
  const fork = path.join(await tmp.make("patchboard-fork-"), "fork.git");
  git(bare, "clone", "--bare", "--quiet", bare, fork);
  return fork;
}

/** The commit a branch points at in a bare repository, or "" when it has no such branch. */
export function branchTip(bare: string, branch: string): string {
  return git(bare, "for-each-ref", "--format=%(objectname)", `refs/heads/${branch}`);
}

/** The sum project's upstream, its fork, and the repositories entry pushing to the fork. */
export interface ForkedRepo {
  upstream: BareRepo;
  forkBare: string;
  repo: RepoConfig;
}

/** Makes {@link ForkedRepo}: `acme/calc` (npm test) pushing to {@link FORK}. */
export async function makeForkedRepo(tmp: TempDirs): Promise<ForkedRepo> {
  const upstream = await makeBareRepo(tmp, SUM_PROJECT);
  const forkBare = await forkOf(tmp, upstream.bare);
  const repo = fixtureRepoConfig(upstream.bare, {
    testCommand: "npm test",
    pushRepository: FORK,
    pushUrl: forkBare,
  });
  return { upstream, forkBare, repo };
}

import type { PullRequest } from "../../../shared/task.js";
import type { AppError } from "../../../server/domain/app-error.js";
import type {
  CheckReport,
  CodeHost,
  NewPullRequest,
  OpenPullRequest,
  PullRequestFacts,
  RepoPermission,
  ReviewLineComment,
} from "../../../server/domain/ports/code-host.js";

/** An in-memory CodeHost for domain unit tests. */
export class FakeCodeHost implements CodeHost {
  readonly pulls: (NewPullRequest & PullRequest)[] = [];
  readonly comments: { repo: string; number: number; body: string }[] = [];
  readonly reviewRequests: { number: number; reviewers: string[] }[] = [];
  /** When set, createPullRequest fails with it once. */
  failCreateOnce: AppError | null = null;
  /** When set, markReadyForReview fails with it. */
  failReady: AppError | null = null;
  /** Open pull requests the nightly review lists (other people's, not the ones created here). */
  readonly openPulls: OpenPullRequest[] = [];
  /** Diffs by `repo#number`. */
  readonly diffs = new Map<string, string>();
  /** When set, listing this repository's pull requests fails with it. */
  listErrors = new Map<string, AppError>();

  findPullRequest(repo: string, head: string): Promise<PullRequest | null> {
    const found = this.pulls.find((p) => p.repo === repo && p.head === head);
    return Promise.resolve(
      found ? { url: found.url, number: found.number, draft: found.draft } : null,
    );
  }

  createPullRequest(input: NewPullRequest): Promise<PullRequest> {
    if (this.failCreateOnce) {
      const error = this.failCreateOnce;
      this.failCreateOnce = null;
      return Promise.reject(error);
    }
    const number = this.pulls.length + 1;
    const pr = { ...input, number, url: `https://github.example/${input.repo}/pull/${number}` };
    this.pulls.push(pr);
    return Promise.resolve({ url: pr.url, number, draft: input.draft });
  }

  markReadyForReview(repo: string, number: number): Promise<PullRequest> {
    if (this.failReady) return Promise.reject(this.failReady);
    const pr = this.pulls.find((p) => p.repo === repo && p.number === number);
    if (!pr) return Promise.reject(new Error(`no pull request ${repo}#${number}`));
    pr.draft = false;
    return Promise.resolve({ url: pr.url, number, draft: false });
  }

  requestReviewers(_repo: string, number: number, reviewers: string[]): Promise<void> {
    this.reviewRequests.push({ number, reviewers });
    return Promise.resolve();
  }

  comment(repo: string, number: number, body: string): Promise<void> {
    this.comments.push({ repo, number, body });
    return Promise.resolve();
  }

  listOpenPullRequests(repo: string, updatedSince: Date): Promise<OpenPullRequest[]> {
    const error = this.listErrors.get(repo);
    if (error) return Promise.reject(error);
    return Promise.resolve(
      this.openPulls
        .filter((p) => p.repo === repo && Date.parse(p.updatedAt) >= updatedSince.getTime())
        .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt)),
    );
  }

  getPullRequestDiff(repo: string, number: number): Promise<string> {
    return Promise.resolve(this.diffs.get(`${repo}#${number}`) ?? "");
  }

  /** Check reports by head sha. */
  readonly checks = new Map<string, CheckReport>();
  /** Permissions by login; anyone else is a stranger. */
  readonly permissions = new Map<string, RepoPermission>();
  /** Review comments by `repo#number`. */
  readonly reviewComments = new Map<string, ReviewLineComment[]>();
  /** Facts by `repo#number`, for the poller. */
  readonly facts = new Map<string, PullRequestFacts>();

  getCheckReport(_repo: string, sha: string): Promise<CheckReport> {
    return Promise.resolve(this.checks.get(sha) ?? { sha, pending: [], failed: [], passed: [] });
  }

  getPullRequestFacts(repo: string, number: number): Promise<PullRequestFacts> {
    const facts = this.facts.get(`${repo}#${number}`);
    return facts ? Promise.resolve(facts) : Promise.reject(new Error(`no facts ${repo}#${number}`));
  }

  getPermission(_repo: string, login: string): Promise<RepoPermission> {
    return Promise.resolve(this.permissions.get(login) ?? "none");
  }

  listReviewComments(repo: string, number: number): Promise<ReviewLineComment[]> {
    return Promise.resolve(this.reviewComments.get(`${repo}#${number}`) ?? []);
  }

  checkAccess(): Promise<void> {
    return Promise.resolve();
  }
}

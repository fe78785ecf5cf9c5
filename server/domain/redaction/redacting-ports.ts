import type { CodeHost } from "../ports/code-host.js";
import type { IssueTracker } from "../ports/issue-tracker.js";
import type { Workspaces } from "../ports/workspaces.js";
import type { ReviewNotifier } from "../ports/review-ports.js";
import type { Redactor } from "./redactor.js";

/** Told where something was redacted and what kinds (never the values); may record it. */
export type OnRedacted = (where: string, found: string[]) => Promise<void> | void;

/**
 * Runs `send` with the redacted value, after telling `onRedacted` when anything was
 * removed: the note is written before the text leaves, so a failed send still leaves it.
 */
async function guarded<T, R>(
  redactor: Redactor,
  onRedacted: OnRedacted,
  where: string,
  value: T,
  send: (clean: T) => Promise<R>,
): Promise<R> {
  const { value: clean, found } = redactor.value(value);
  if (found.length > 0) await onRedacted(where, found);
  return send(clean);
}

/** The issue tracker with every comment redacted before it is posted. */
export function redactingTracker(
  inner: IssueTracker,
  redactor: Redactor,
  onRedacted: OnRedacted,
): IssueTracker {
  return {
    search: (options) => inner.search(options),
    getIssue: (key) => inner.getIssue(key),
    addComment: (key, body) =>
      guarded(redactor, onRedacted, `the comment on ${key}`, body, (clean) =>
        inner.addComment(key, clean),
      ),
    transition: (key, name) => inner.transition(key, name),
    checkAccess: () => inner.checkAccess(),
  };
}

/** The code host with pull request titles, bodies and comments redacted before they are sent. */
export function redactingCodeHost(
  inner: CodeHost,
  redactor: Redactor,
  onRedacted: OnRedacted,
): CodeHost {
  return {
    findPullRequest: (repo, head) => inner.findPullRequest(repo, head),
    createPullRequest: (input) =>
      guarded(
        redactor,
        onRedacted,
        "the pull request's title or body",
        { title: input.title, body: input.body },
        (clean) => inner.createPullRequest({ ...input, ...clean }),
      ),
    markReadyForReview: (repo, number) => inner.markReadyForReview(repo, number),
    requestReviewers: (repo, number, reviewers) => inner.requestReviewers(repo, number, reviewers),
    comment: (repo, number, body) =>
      guarded(redactor, onRedacted, `the comment on pull request #${number}`, body, (clean) =>
        inner.comment(repo, number, clean),
      ),
    listOpenPullRequests: (repo, since) => inner.listOpenPullRequests(repo, since),
    getPullRequestDiff: (repo, number) => inner.getPullRequestDiff(repo, number),
    getCheckReport: (repo, sha) => inner.getCheckReport(repo, sha),
    getPullRequestFacts: (repo, number) => inner.getPullRequestFacts(repo, number),
    getPermission: (repo, login) => inner.getPermission(repo, login),
    listReviewComments: (repo, number) => inner.listReviewComments(repo, number),
    checkAccess: () => inner.checkAccess(),
  };
}

/** Slack digests redacted before they are posted. */
export function redactingNotifier(
  inner: ReviewNotifier,
  redactor: Redactor,
  onRedacted: OnRedacted,
): ReviewNotifier {
  return {
    postDigest: (digest) =>
      guarded(redactor, onRedacted, "the Slack digest", digest, (clean) => inner.postDigest(clean)),
  };
}

/** Workspaces whose commit messages are redacted (a commit message is pushed to the remote). */
export function redactingWorkspaces(
  inner: Workspaces,
  redactor: Redactor,
  onRedacted: OnRedacted,
): Workspaces {
  return {
    ...bindAll(inner),
    commitStaged: (workspace, message, author) =>
      guarded(redactor, onRedacted, "the commit message", message, (clean) =>
        inner.commitStaged(workspace, clean, author),
      ),
  };
}

/** The port's methods bound to it, so a spread copy still calls them on the original. */
function bindAll(inner: Workspaces): Workspaces {
  return {
    prepare: (...a) => inner.prepare(...a),
    find: (...a) => inner.find(...a),
    listIds: () => inner.listIds(),
    diff: (...a) => inner.diff(...a),
    stage: (...a) => inner.stage(...a),
    commitStaged: (...a) => inner.commitStaged(...a),
    push: (...a) => inner.push(...a),
    updateFromBase: (...a) => inner.updateFromBase(...a),
    remove: (...a) => inner.remove(...a),
    checkpoint: (...a) => inner.checkpoint(...a),
    restore: (...a) => inner.restore(...a),
  };
}

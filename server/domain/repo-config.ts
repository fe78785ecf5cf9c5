/**
 * One entry of the repositories file: which repository a Jira project's bugs live in.
 */
export interface RepoConfig {
  /** The Jira project key, e.g. `CALC`. */
  jiraProject: string;
  /** The GitHub repository, `owner/name`. */
  github: string;
  /** The branch fixes are based on and pull requests target. */
  baseBranch: string;
  /** Where to clone from: an https URL, a `file://` URL or a local path. */
  cloneUrl: string;
  /** The command that runs the repository's tests, if any. */
  testCommand: string | null;
  /** GitHub logins asked to review each pull request. */
  reviewers: string[];
}

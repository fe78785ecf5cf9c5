import type { RepoEntry } from "./api-routes.js";
import type { SavedRepoState } from "./store.js";

/** Everything the fake GitHub keeps, by repository, with the address it was served at. */
export interface FakeGitHubState {
  version: 1;
  /** Where the fake ran: the `url`s and `html_url`s inside start with it. */
  baseUrl: string;
  /** By `owner/name`. */
  repos: Record<string, SavedRepoState>;
}

/** A copy of the fake's pull requests and comments. */
export function saveState(repos: Iterable<RepoEntry>, baseUrl: string): FakeGitHubState {
  const saved: Record<string, SavedRepoState> = {};
  for (const repo of repos) saved[repo.fullName] = repo.state.save();
  return { version: 1, baseUrl, repos: saved };
}

/**
 * Loads saved pull requests and comments into the configured repositories (others are
 * dropped). Served at another address than before, their links are moved to the new one.
 */
export function loadState(
  repos: ReadonlyMap<string, RepoEntry>,
  state: FakeGitHubState,
  baseUrl: string,
): void {
  for (const [fullName, saved] of Object.entries(state.repos)) {
    const repo = repos.get(fullName.toLowerCase());
    if (repo === undefined) continue;
    const moved =
      state.baseUrl === baseUrl
        ? saved
        : (JSON.parse(JSON.stringify(saved).replaceAll(state.baseUrl, baseUrl)) as SavedRepoState);
    repo.state.load(moved);
  }
}

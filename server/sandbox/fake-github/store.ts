/** A GitHub user as embedded in API objects. */
export interface FakeUser {
  login: string;
  id: number;
  type: "User" | "Bot";
  html_url: string;
}

/** A pull request as the fake keeps it, in GitHub's JSON shape (the fields octokit users read). */
export interface FakePullRequest {
  id: number;
  /** The global id GraphQL knows it by. */
  node_id: string;
  number: number;
  url: string;
  html_url: string;
  diff_url: string;
  issue_url: string;
  comments_url: string;
  state: "open" | "closed";
  locked: boolean;
  draft: boolean;
  title: string;
  body: string | null;
  user: FakeUser;
  head: { label: string; ref: string; sha: string; repo: { full_name: string } };
  base: { label: string; ref: string; sha: string; repo: { full_name: string } };
  requested_reviewers: FakeUser[];
  merged: boolean;
  merged_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A conversation comment on a pull request, in GitHub's JSON shape. */
export interface FakeComment {
  id: number;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: FakeUser;
  created_at: string;
  updated_at: string;
}

/** A request the fake received, for assertions (no headers: they hold the token). */
export interface RecordedRequest {
  method: string;
  /** Path and query string. */
  path: string;
  status: number;
  /** Whether the request carried a token the fake accepted. */
  authorized: boolean;
  body: unknown;
}

/** GitHub's timestamp format: ISO 8601 in UTC without milliseconds. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A user object for a login; ids are stable per login so repeated calls agree. */
export function userOf(login: string, baseUrl: string): FakeUser {
  let id = 0;
  for (const char of login) id = (id * 31 + char.charCodeAt(0)) % 1_000_000_007;
  return {
    login,
    id,
    type: login.endsWith("[bot]") ? "Bot" : "User",
    html_url: `${baseUrl}/${login}`,
  };
}

/** One repository's pull requests and comments as kept between runs. */
export interface SavedRepoState {
  lastNumber: number;
  pulls: FakePullRequest[];
  /** Comments by pull request number. */
  comments: [number, FakeComment[]][];
}

/** Pull requests and comments of one repository; issue numbers are shared like on GitHub. */
export class RepoState {
  readonly pulls: FakePullRequest[] = [];
  readonly comments = new Map<number, FakeComment[]>();
  private lastNumber = 0;

  /** A copy of everything, for saving. */
  save(): SavedRepoState {
    return structuredClone({
      lastNumber: this.lastNumber,
      pulls: this.pulls,
      comments: [...this.comments],
    });
  }

  /** Takes back what {@link save} returned (into an empty state); numbering continues after it. */
  load(saved: SavedRepoState): void {
    this.pulls.push(...saved.pulls);
    for (const [number, comments] of saved.comments) this.comments.set(number, comments);
    this.lastNumber = Math.max(saved.lastNumber, ...saved.pulls.map((pr) => pr.number));
    reserveIds(
      Math.max(
        ...saved.pulls.map((pr) => pr.id),
        ...saved.comments.flatMap(([, c]) => c.map((x) => x.id)),
      ),
    );
  }

  /** The next issue/pull request number. */
  nextNumber(): number {
    this.lastNumber += 1;
    return this.lastNumber;
  }

  /** A pull request by number. */
  pull(number: number): FakePullRequest | undefined {
    return this.pulls.find((pr) => pr.number === number);
  }
}

let lastId = 1000;
/** Makes later ids larger than `id` (restored objects keep theirs). */
function reserveIds(id: number): void {
  if (Number.isFinite(id)) lastId = Math.max(lastId, id);
}
/** A fresh object id, unique in the process. */
export function nextId(): number {
  lastId += 1;
  return lastId;
}

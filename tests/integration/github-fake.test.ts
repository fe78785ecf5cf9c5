import { startFakeGitHub } from "../../server/sandbox/fake-github/index.js";
import { commitAndPush, git, TempDirs } from "../support/git-fixtures.js";
import { forkOf } from "../support/fork-fixtures.js";
import {
  FAKE_TOKEN,
  startFakeGitHubFixture,
  type FakeGitHubFixture,
} from "../support/github-fixtures.js";

const tmp = new TempDirs();
let fx: FakeGitHubFixture;

beforeEach(async () => {
  fx = await startFakeGitHubFixture(tmp);
});

afterEach(async () => {
  await fx.github.close();
  await tmp.cleanup();
});

/** Calls the fake's REST API with the test token. */
async function call(
  method: string,
  path: string,
  body?: unknown,
  accept = "application/vnd.github+json",
) {
  const res = await fetch(`${fx.github.url}${path}`, {
    method,
    headers: { authorization: `token ${FAKE_TOKEN}`, accept, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json: unknown = res.headers.get("content-type")?.startsWith("application/json")
    ? JSON.parse(text)
    : null;
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: json as Record<string, unknown> & unknown[],
  };
}

const XSS_TITLE = `<script>alert("title")</script>`;
const XSS_BODY = `Fix <img src=x onerror=alert(1)> & "quotes"`;

describe("fake GitHub", () => {
  it("rejects requests without the token", async () => {
    const res = await fetch(`${fx.github.url}/user`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: "Bad credentials" });
    expect((await call("GET", "/user")).json).toMatchObject({ login: "patchboard-bot" });
    expect((await call("GET", "/repos/acme/calc")).json).toMatchObject({
      full_name: "acme/calc",
      default_branch: "main",
    });
    expect((await call("GET", "/repos/acme/other")).status).toBe(404);
  });

  it("refuses a pull request whose head branch is not in the repository", async () => {
    const res = await call("POST", "/repos/acme/calc/pulls", {
      title: "t",
      head: "acme:codex/nope",
      base: "main",
    });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      message: "Validation Failed",
      errors: [{ field: "head", code: "invalid" }],
    });
    const noBase = await call("POST", "/repos/acme/calc/pulls", {
      title: "t",
      head: "main",
      base: "nope",
    });
    expect(noBase.json).toMatchObject({ errors: [{ field: "base", code: "invalid" }] });
  });

  it("refuses a second open pull request for the same head, and one without commits", async () => {
    await commitAndPush(fx.remote, "codex/calc-1-x", { "a.txt": "a\n" });
    const input = { title: "t", head: "acme:codex/calc-1-x", base: "main" };
    expect((await call("POST", "/repos/acme/calc/pulls", input)).status).toBe(201);
    const again = await call("POST", "/repos/acme/calc/pulls", input);
    expect(again.status).toBe(422);
    expect(again.text).toContain("A pull request already exists for acme:codex/calc-1-x.");
    const empty = await call("POST", "/repos/acme/calc/pulls", {
      title: "t",
      head: "main",
      base: "main",
    });
    expect(empty.text).toContain("No commits between main and main");
  });

  it("lists pull requests by state, head and base, and updates them", async () => {
    await commitAndPush(fx.remote, "codex/a", { "a.txt": "a\n" });
    await commitAndPush(fx.remote, "codex/b", { "b.txt": "b\n" });
    await call("POST", "/repos/acme/calc/pulls", { title: "A", head: "codex/a", base: "main" });
    await call("POST", "/repos/acme/calc/pulls", {
      title: "B",
      head: "acme:codex/b",
      base: "main",
      draft: true,
    });
    const byHead = await call("GET", "/repos/acme/calc/pulls?state=open&head=acme%3Acodex%2Fb");
    expect(byHead.json.map((pr) => (pr as { title: string }).title)).toEqual(["B"]);
    expect(byHead.json[0]).toMatchObject({
      number: 2,
      draft: true,
      state: "open",
      head: { ref: "codex/b" },
      base: { ref: "main" },
    });
    const closed = await call("PATCH", "/repos/acme/calc/pulls/1", {
      state: "closed",
      title: "A2",
    });
    expect(closed.json).toMatchObject({ state: "closed", title: "A2" });
    expect((await call("GET", "/repos/acme/calc/pulls")).json).toHaveLength(1);
    expect((await call("GET", "/repos/acme/calc/pulls?state=all&base=main")).json).toHaveLength(2);
    expect((await call("GET", "/repos/acme/calc/pulls?state=all&base=dev")).json).toHaveLength(0);
    expect((await call("GET", "/repos/acme/calc/pulls/1")).json).toMatchObject({
      number: 1,
      state: "closed",
    });
    expect((await call("GET", "/repos/acme/calc/pulls/9")).status).toBe(404);
  });

  it("marks a draft ready over GraphQL and answers other queries and ids with errors", async () => {
    await commitAndPush(fx.remote, "codex/a", { "a.txt": "a\n" });
    await commitAndPush(fx.remote, "codex/b", { "b.txt": "b\n" });
    const open = await call("POST", "/repos/acme/calc/pulls", {
      title: "A",
      head: "codex/a",
      base: "main",
      draft: true,
    });
    const ready = `mutation($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } } }`;
    const marked = await call("POST", "/graphql", {
      query: ready,
      variables: { id: open.json.node_id },
    });
    expect(marked).toMatchObject({ status: 200 });
    expect(marked.json).toEqual({
      data: {
        markPullRequestReadyForReview: {
          pullRequest: { number: 1, isDraft: false, url: open.json.html_url },
        },
      },
    });
    expect((await call("GET", "/repos/acme/calc/pulls/1")).json).toMatchObject({ draft: false });

    const unknown = await call("POST", "/graphql", { query: ready, variables: { id: "PR_nope" } });
    expect(unknown.json).toMatchObject({
      data: { markPullRequestReadyForReview: null },
      errors: [
        {
          type: "NOT_FOUND",
          message: "Could not resolve to a node with the global id of 'PR_nope'",
        },
      ],
    });
    const other = await call("POST", "/graphql", { query: "{ viewer { login } }" });
    expect(other.json).toMatchObject({
      errors: [{ message: expect.stringMatching(/only answers/) }],
    });

    const second = await call("POST", "/repos/acme/calc/pulls", {
      title: "B",
      head: "codex/b",
      base: "main",
      draft: true,
    });
    await call("PATCH", "/repos/acme/calc/pulls/2", { state: "closed" });
    const closed = await call("POST", "/graphql", {
      query: ready,
      variables: { id: second.json.node_id },
    });
    expect(closed.json).toMatchObject({ errors: [{ type: "UNPROCESSABLE" }] });
    expect((await call("GET", "/repos/acme/calc/pulls/2")).json).toMatchObject({ draft: true });
    expect((await fetch(`${fx.github.url}/graphql`, { method: "POST" })).status).toBe(401);
  });

  it("takes saved pull requests and comments back at its next start, on a new address", async () => {
    await commitAndPush(fx.remote, "codex/a", { "a.txt": "a\n" });
    await commitAndPush(fx.remote, "codex/b", { "b.txt": "b\n" });
    await call("POST", "/repos/acme/calc/pulls", { title: "A", head: "codex/a", base: "main" });
    await call("POST", "/repos/acme/calc/issues/1/comments", { body: "Tests pass." });
    const saved = fx.github.saveState();
    const oldUrl = fx.github.url;
    await fx.github.close();

    fx.github = await startFakeGitHub({
      token: FAKE_TOKEN,
      repos: { "acme/calc": { bareRepoPath: fx.remote.bare, defaultBranch: "main" } },
      state: JSON.parse(JSON.stringify(saved)) as typeof saved,
    });
    expect(fx.github.url).not.toBe(oldUrl);
    const [restored] = (await call("GET", "/repos/acme/calc/pulls")).json as { html_url: string }[];
    expect(restored).toMatchObject({
      number: 1,
      title: "A",
      html_url: `${fx.github.url}/acme/calc/pull/1`,
    });
    const comments = (await call("GET", "/repos/acme/calc/issues/1/comments")).json;
    expect(comments.map((c) => (c as { body: string }).body)).toEqual(["Tests pass."]);
    expect((await fetch(`${fx.github.url}/acme/calc/pull/1`)).status).toBe(200);
    // Numbering and ids go on after the saved ones.
    const next = await call("POST", "/repos/acme/calc/pulls", {
      title: "B",
      head: "codex/b",
      base: "main",
    });
    expect(next.json).toMatchObject({ number: 2 });
    expect(next.json.id).toBeGreaterThan((restored as unknown as { id: number }).id);
  });

  it("opens pull requests from a fork's branch (owner:branch) and follows pushes to the fork", async () => {
    const forkBare = await forkOf(tmp, fx.remote.bare);
    const fork = { bare: forkBare, work: `${forkBare}-work`, defaultBranch: "main" };
    git(fx.remote.bare, "clone", "--quiet", fork.bare, fork.work);
    git(fork.work, "config", "user.email", "bot@example.test");
    git(fork.work, "config", "user.name", "Bot");
    await fx.github.close();
    fx.github = await startFakeGitHub({
      token: FAKE_TOKEN,
      repos: {
        "acme/calc": { bareRepoPath: fx.remote.bare, defaultBranch: "main" },
        "calc-bot/calc": { bareRepoPath: fork.bare, defaultBranch: "main", forkOf: "acme/calc" },
      },
    });
    const first = await commitAndPush(fork, "codex/f", { "f.txt": "from the fork\n" });
    const open = (head: string) =>
      call("POST", "/repos/acme/calc/pulls", { title: "F", head, base: "main" });

    // A stranger's fork, or a branch the fork does not have, is refused like on GitHub.
    for (const head of ["mallory:codex/f", "calc-bot:codex/never-pushed", "codex/f"]) {
      const refused = await open(head);
      expect(refused.status).toBe(422);
      expect(refused.json).toMatchObject({ errors: [{ field: "head", code: "invalid" }] });
    }
    const created = await open("calc-bot:codex/f");
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      number: 1,
      head: {
        label: "calc-bot:codex/f",
        ref: "codex/f",
        sha: first,
        repo: { full_name: "calc-bot/calc" },
      },
      base: { label: "acme:main", ref: "main", repo: { full_name: "acme/calc" } },
    });
    expect((await open("calc-bot:codex/f")).status).toBe(422);
    const byHead = async (head: string) =>
      (await call("GET", `/repos/acme/calc/pulls?head=${encodeURIComponent(head)}`)).json.length;
    expect([await byHead("calc-bot:codex/f"), await byHead("acme:codex/f")]).toEqual([1, 0]);
    // The fork's branch never lands in the upstream's branches, only in refs/pull/N/head.
    expect(git(fx.remote.bare, "for-each-ref", "--format=%(refname)", "refs/heads/")).toBe(
      "refs/heads/main",
    );

    const second = await commitAndPush(fork, "codex/f", { "g.txt": "more\n" });
    const pull = await call("GET", "/repos/acme/calc/pulls/1");
    expect(pull.json).toMatchObject({ head: { sha: second } });
    expect(git(fx.remote.bare, "rev-parse", "refs/pull/1/head")).toBe(second);
    const files = (await call("GET", "/repos/acme/calc/pulls/1/files")).json as {
      filename: string;
    }[];
    expect(files.map((f) => f.filename)).toEqual(["f.txt", "g.txt"]);
    const diff = await call(
      "GET",
      "/repos/acme/calc/pulls/1",
      undefined,
      "application/vnd.github.diff",
    );
    expect(diff.text).toContain("+from the fork");
  });

  it("refuses to start with a fork of a repository it does not serve", async () => {
    await expect(
      startFakeGitHub({
        repos: {
          "calc-bot/calc": {
            bareRepoPath: fx.remote.bare,
            defaultBranch: "main",
            forkOf: "acme/nope",
          },
        },
      }),
    ).rejects.toThrow("fake github: calc-bot/calc forks unknown acme/nope");
  });

  it("only lets collaborators be asked for review", async () => {
    await commitAndPush(fx.remote, "codex/a", { "a.txt": "a\n" });
    await call("POST", "/repos/acme/calc/pulls", { title: "A", head: "codex/a", base: "main" });
    const bad = await call("POST", "/repos/acme/calc/pulls/1/requested_reviewers", {
      reviewers: ["alice", "eve"],
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Reviews may only be requested from collaborators");
    const good = await call("POST", "/repos/acme/calc/pulls/1/requested_reviewers", {
      reviewers: ["alice", "bob"],
    });
    expect(good.status).toBe(201);
    expect(fx.github.pullRequests("acme/calc")[0]?.requested_reviewers.map((u) => u.login)).toEqual(
      ["alice", "bob"],
    );
  });

  it("serves the diff, the files and the comments of a pull request", async () => {
    await commitAndPush(fx.remote, "codex/a", {
      "src/app.js": "export const x = 2;\n",
      "new.txt": "hello\n",
    });
    await call("POST", "/repos/acme/calc/pulls", { title: "A", head: "codex/a", base: "main" });
    // main moves on after the branch: the diff is still only the branch's change (base...head).
    await commitAndPush(fx.remote, "main", { "README.md": "# changed on main\n" });

    const diff = await call(
      "GET",
      "/repos/acme/calc/pulls/1",
      undefined,
      "application/vnd.github.v3.diff",
    );
    expect(diff.headers.get("content-type")).toContain("application/vnd.github.diff");
    expect(diff.text).toContain("+export const x = 2;");
    expect(diff.text).not.toContain("README.md");

    const raw = await fetch(`${fx.github.url}/acme/calc/pull/1.diff`);
    expect(raw.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await raw.text()).toBe(diff.text);

    const files = await call("GET", "/repos/acme/calc/pulls/1/files");
    expect(files.json).toEqual([
      expect.objectContaining({
        filename: "new.txt",
        status: "added",
        additions: 1,
        deletions: 0,
        patch: "@@ -0,0 +1 @@\n+hello",
      }),
      expect.objectContaining({
        filename: "src/app.js",
        status: "modified",
        additions: 1,
        deletions: 1,
      }),
    ]);

    expect(
      (await call("POST", "/repos/acme/calc/issues/1/comments", { body: "Looks good" })).status,
    ).toBe(201);
    expect((await call("GET", "/repos/acme/calc/issues/1/comments")).json).toMatchObject([
      { body: "Looks good", user: { login: "patchboard-bot" } },
    ]);
    expect((await call("POST", "/repos/acme/calc/issues/1/comments", { body: "" })).status).toBe(
      422,
    );
  });

  it("escapes everything on the pull request page", async () => {
    await commitAndPush(fx.remote, "codex/xss-<b>", {
      "evil.html": "<script>alert('diff')</script>\n",
    });
    const created = await call("POST", "/repos/acme/calc/pulls", {
      title: XSS_TITLE,
      body: XSS_BODY,
      head: "codex/xss-<b>",
      base: "main",
    });
    expect(created.status).toBe(201);
    await call("POST", "/repos/acme/calc/issues/1/comments", {
      body: "</div><script>alert('comment')</script>",
    });

    const res = await fetch(String(created.json.html_url));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;");
    expect(html).toContain("Fix &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;");
    expect(html).toContain("&lt;/div&gt;&lt;script&gt;alert(&#39;comment&#39;)&lt;/script&gt;");
    expect(html).toContain("+&lt;script&gt;alert(&#39;diff&#39;)&lt;/script&gt;");
    expect(html).toContain("codex/xss-&lt;b&gt;");

    const list = await (await fetch(`${fx.github.url}/acme/calc/pulls`)).text();
    expect(list).not.toMatch(/<script/i);
    expect((await fetch(`${fx.github.url}/acme/calc/pull/99`)).status).toBe(404);
  });

  it("injects failures and records requests", async () => {
    fx.github.failNext(1, 503, { retryAfterSeconds: 7 });
    const failed = await call("GET", "/user");
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("7");
    fx.github.failNext(1, 403);
    expect((await call("GET", "/user")).headers.get("x-ratelimit-remaining")).toBe("0");
    expect((await call("GET", "/user")).status).toBe(200);
    expect(fx.github.requests.map((r) => r.status)).toEqual([503, 403, 200]);
    expect(JSON.stringify(fx.github.requests)).not.toContain(FAKE_TOKEN);
  });
});

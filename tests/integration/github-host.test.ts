import { isAppError } from "../../server/domain/app-error.js";
import type { CodeHost } from "../../server/domain/ports/code-host.js";
import { commitAndPush, TempDirs } from "../support/git-fixtures.js";
import {
  capturingLogger,
  FAKE_TOKEN,
  hostFor,
  startFakeGitHubFixture,
  type FakeGitHubFixture,
  type LogLine,
} from "../support/github-fixtures.js";

const tmp = new TempDirs();
let fx: FakeGitHubFixture;
let host: CodeHost;
let lines: LogLine[];
let delays: number[];

const BRANCH = "codex/calc-1-fix-division";
const newPr = {
  repo: "acme/calc",
  head: BRANCH,
  base: "main",
  title: "CALC-1: fix division",
  body: "Fixes it.",
  draft: true,
};

beforeEach(async () => {
  fx = await startFakeGitHubFixture(tmp);
  const captured = capturingLogger();
  lines = captured.lines;
  delays = [];
  host = hostFor(fx.github, captured.logger, { delays });
  await commitAndPush(fx.remote, BRANCH, { "src/app.js": "export const x = 2;\n" });
});

afterEach(async () => {
  await fx.github.close();
  await tmp.cleanup();
});

async function errorCode(promise: Promise<unknown>): Promise<unknown> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return isAppError(error) ? error.code : error;
}

describe("GitHub code host against the fake GitHub", () => {
  it("opens a draft pull request and finds it by head branch", async () => {
    expect(await host.findPullRequest("acme/calc", BRANCH)).toBeNull();
    const pr = await host.createPullRequest(newPr);
    expect(pr).toEqual({ number: 1, draft: true, url: `${fx.github.url}/acme/calc/pull/1` });
    expect(await host.findPullRequest("acme/calc", BRANCH)).toEqual(pr);
    const listCall = fx.github.requests.find(
      (r) => r.method === "GET" && r.path.startsWith("/repos/acme/calc/pulls?"),
    );
    expect(listCall?.path).toContain(`head=${encodeURIComponent(`acme:${BRANCH}`)}`);
    expect(listCall?.path).toContain("state=open");
    const [stored] = fx.github.pullRequests("acme/calc");
    expect(stored).toMatchObject({
      title: "CALC-1: fix division",
      body: "Fixes it.",
      draft: true,
      head: { ref: BRANCH },
      base: { ref: "main" },
    });
  });

  it("returns the existing pull request when asked to open it again", async () => {
    const first = await host.createPullRequest(newPr);
    const second = await host.createPullRequest({ ...newPr, title: "again" });
    expect(second).toEqual(first);
    expect(fx.github.pullRequests()).toHaveLength(1);
  });

  it("requests reviews from collaborators and skips the others with a warning", async () => {
    const pr = await host.createPullRequest(newPr);
    await host.requestReviewers("acme/calc", pr.number, ["alice", "mallory", "alice"]);
    expect(fx.github.pullRequests()[0]?.requested_reviewers.map((u) => u.login)).toEqual(["alice"]);
    expect(lines.some((l) => l.msg === "github reviewer skipped" && l.reviewer === "mallory")).toBe(
      true,
    );
    await host.requestReviewers("acme/calc", pr.number, []);
  });

  it("comments on the pull request", async () => {
    const pr = await host.createPullRequest(newPr);
    await host.comment("acme/calc", pr.number, "Tests pass.");
    expect(fx.github.comments("acme/calc", pr.number).map((c) => c.body)).toEqual(["Tests pass."]);
  });

  it("marks a draft ready for review through GraphQL, and leaves a ready one alone", async () => {
    const pr = await host.createPullRequest(newPr);
    expect(await host.markReadyForReview("acme/calc", pr.number)).toEqual({ ...pr, draft: false });
    expect(fx.github.pullRequests("acme/calc")[0]?.draft).toBe(false);
    const mutation = fx.github.requests.find((r) => r.path === "/graphql");
    expect(mutation).toMatchObject({ method: "POST", status: 200, authorized: true });
    expect(JSON.stringify(mutation?.body)).toContain("markPullRequestReadyForReview");
    expect(lines.some((l) => l.msg === "github pull request marked ready")).toBe(true);

    const posts = () => fx.github.requests.filter((r) => r.path === "/graphql").length;
    expect(await host.markReadyForReview("acme/calc", pr.number)).toEqual({ ...pr, draft: false });
    expect(posts()).toBe(1);
  });

  it("retries a 502 while marking ready and maps a missing pull request", async () => {
    const pr = await host.createPullRequest(newPr);
    const before = fx.github.requests.length;
    fx.github.failNext(1, 502);
    // The 502 hits the read; the mutation after it goes through.
    expect((await host.markReadyForReview("acme/calc", pr.number)).draft).toBe(false);
    expect(fx.github.requests.slice(before).map((r) => `${r.method} ${r.status}`)).toEqual([
      "GET 502",
      "GET 200",
      "POST 200",
    ]);
    expect(await errorCode(host.markReadyForReview("acme/calc", 99))).toBe("github_auth");
  });

  it("checks access and maps a rejected token to github_auth", async () => {
    await host.checkAccess();
    const { logger, lines: badLines } = capturingLogger();
    const bad = hostFor(fx.github, logger, { token: "ghp_wrong_token" });
    expect(await errorCode(bad.checkAccess())).toBe("github_auth");
    expect(await errorCode(bad.findPullRequest("acme/calc", BRANCH))).toBe("github_auth");
    const error = await bad.checkAccess().catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/GITHUB_TOKEN/);
    expect(JSON.stringify(badLines)).not.toContain("ghp_wrong_token");
  });

  it("maps a 403 that is not a rate limit to github_auth without retrying", async () => {
    fx.github.failNext(1, 403, { rateLimited: false });
    expect(await errorCode(host.checkAccess())).toBe("github_auth");
    expect(delays).toEqual([]);
  });

  it("retries a 502 and then succeeds", async () => {
    fx.github.failNext(1, 502);
    const pr = await host.createPullRequest(newPr);
    expect(pr.number).toBe(1);
    expect(delays).toHaveLength(1);
    expect(fx.github.requests.filter((r) => r.method === "POST").map((r) => r.status)).toEqual([
      502, 201,
    ]);
  });

  it("gives up with github_unavailable when GitHub stays down", async () => {
    fx.github.failNext(10, 503);
    expect(await errorCode(host.comment("acme/calc", 1, "x"))).toBe("github_unavailable");
    expect(fx.github.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
    expect(delays[1]).toBeGreaterThan(delays[0] ?? Infinity);
  });

  it("honours Retry-After and the rate-limit reset", async () => {
    fx.github.failNext(1, 429, { retryAfterSeconds: 2 });
    fx.github.failNext(1, 403, { retryAfterSeconds: 3 });
    await host.checkAccess();
    expect(delays[0]).toBe(2000);
    expect(delays[1]).toBeGreaterThanOrEqual(2000);
    expect(delays[1]).toBeLessThanOrEqual(3000);
  });

  it("fails fast when the rate limit resets later than it may wait", async () => {
    fx.github.failNext(1, 429, { retryAfterSeconds: 3600 });
    expect(await errorCode(host.checkAccess())).toBe("github_unavailable");
    expect(delays).toEqual([]);
  });

  it("maps a network failure to github_unavailable", async () => {
    const { logger } = capturingLogger();
    await fx.github.close();
    const down = hostFor(fx.github, logger, { attempts: 2 });
    expect(await errorCode(down.checkAccess())).toBe("github_unavailable");
    fx = await startFakeGitHubFixture(tmp);
  });

  it("refuses a pull request whose head branch was never pushed", async () => {
    expect(await errorCode(host.createPullRequest({ ...newPr, head: "codex/never-pushed" }))).toBe(
      "github_unavailable",
    );
    expect(fx.github.pullRequests()).toHaveLength(0);
  });

  it("never logs the token", async () => {
    fx.github.failNext(1, 500);
    await host.createPullRequest(newPr);
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain(FAKE_TOKEN);
  });
});

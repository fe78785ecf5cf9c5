import { readdir } from "node:fs/promises";
import path from "node:path";
import { pino } from "pino";
import {
  ReviewRunListResponseSchema,
  ReviewRunResponseSchema,
  type ReviewRunDetail,
} from "../../shared/index.js";
import { REVIEW_COMMENT_MARKER } from "../../server/domain/reviews/review-text.js";
import type { FakeGitHub } from "../../server/sandbox/fake-github/index.js";
import type { FakeJira } from "../../server/sandbox/fake-jira/index.js";
import { startFakeSlack, type FakeSlack } from "../../server/sandbox/fake-slack/index.js";
import type { ScriptedModel } from "../../server/sandbox/scripted-model/index.js";
import {
  commitAndPush,
  fixtureRepoConfig,
  makeBareRepo,
  TempDirs,
} from "../support/git-fixtures.js";
import { FAKE_TOKEN, hostFor } from "../support/github-fixtures.js";
import { startPipelineServer, type PipelineServer } from "../support/pipeline-server.js";
import { PIPELINE_PRS, reviewerScript } from "../support/review-pipeline-fixtures.js";

/**
 * The nightly review for real: the real Codex binary (read-only) driven by the scripted
 * model, octokit against the fake GitHub, jira-client against the fake Jira, real git
 * worktrees of the pull requests' heads, SQLite on disk, and the fake Slack webhook on
 * 127.0.0.1 — started through the HTTP API's Run now.
 */
const TOKENS = { admin: "svc-admin-review-0123456789", engineer: "svc-eng-review-0123456789" };

const tmp = new TempDirs();
let world: PipelineServer;
let github: FakeGitHub;
let jira: FakeJira;
let slack: FakeSlack;
let model: ScriptedModel;
let dataDir: string;

beforeAll(async () => {
  const remote = await makeBareRepo(tmp);
  for (const pr of PIPELINE_PRS) await commitAndPush(remote, pr.branch, pr.files);
  slack = await startFakeSlack();
  world = await startPipelineServer({
    repos: [fixtureRepoConfig(remote.bare)],
    tickets: [{ key: "CALC-7", summary: "sum() overflows", status: "In Progress" }],
    scripts: [reviewerScript()],
    apiTokens: [
      { token: TOKENS.admin, user: { email: "ann@acme.test", name: "Ann", role: "admin" } },
      { token: TOKENS.engineer, user: { email: "eve@acme.test", name: "Eve", role: "engineer" } },
    ],
    secrets: {
      codexKey: "sk-review-test",
      jiraToken: "jira-review-secret-1",
      githubToken: FAKE_TOKEN,
    },
    config: {
      // A schedule that will not fire during the test; Run now starts the run.
      reviews: {
        cron: "0 0 1 1 *",
        timeZone: "UTC",
        windowHours: 24,
        commentOnPr: true,
        slackWebhookUrl: slack.webhookUrl,
      },
    },
    services: { codexTuning: { requestMaxRetries: 0, streamMaxRetries: 0 } },
  });
  ({ github, jira, model } = world);
  dataDir = world.config.dataDir;
  // The model API fails every request about #3: that review fails, the others must not.
  model.setFaults([
    {
      kind: "http_error",
      status: 500,
      count: Infinity,
      when: (ctx) => ctx.firstUserMessage.includes("Review pull request #3 "),
    },
  ]);
  const host = hostFor(github, pino({ level: "silent" }));
  for (const pr of PIPELINE_PRS) {
    await host.createPullRequest({
      repo: "acme/calc",
      head: pr.branch,
      base: "main",
      title: pr.title,
      body: "",
      draft: false,
    });
  }
}, 120_000);

afterAll(async () => {
  await world?.close();
  await slack?.close();
  await tmp.cleanup();
});

const api = (pathname: string, token: string, init: RequestInit = {}) =>
  world.api(pathname, init, token);

async function waitForRun(id: string): Promise<ReviewRunDetail> {
  for (let i = 0; i < 600; i += 1) {
    const body = ReviewRunResponseSchema.parse(
      await (await api(`/api/reviews/${id}`, TOKENS.engineer)).json(),
    );
    if (body.run.status !== "running") return body.run;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the review run did not finish");
}

describe("Nightly pull request review, end to end", () => {
  it("reviews every open PR read-only, isolates the failure, stores, posts to Slack and comments", async () => {
    expect((await api("/api/reviews/run", TOKENS.engineer, { method: "POST" })).status).toBe(403);
    const started = await api("/api/reviews/run", TOKENS.admin, { method: "POST" });
    expect(started.status).toBe(202);
    const { run: first } = ReviewRunResponseSchema.parse(await started.json());
    expect(first).toMatchObject({
      status: "running",
      trigger: "manual",
      triggeredBy: "ann@acme.test",
    });
    // No overlap: Run now while a run is going is a conflict.
    const again = await api("/api/reviews/run", TOKENS.admin, { method: "POST" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("conflict");

    const run = await waitForRun(first.id);
    expect(run.status).toBe("completed");
    expect(run.reviewedCount).toBe(3);
    expect(run.failedCount).toBe(1);
    expect(run.slack).toBe("posted");
    expect(run.errors).toEqual([]);
    expect(run.usage.inputTokens).toBeGreaterThan(0);
    // Highest risk first, the failed review last.
    expect(run.results.map((r) => [r.prNumber, r.review?.risk_level ?? r.status])).toEqual([
      [1, "high"],
      [2, "medium"],
      [4, "low"],
      [3, "failed"],
    ]);
    const [high, , , failed] = run.results;
    expect(high?.review?.security_concerns).toEqual([
      "eval() on caller input allows code injection",
    ]);
    expect(high?.review?.summary).toContain("Saw the diff: yes");
    expect(high?.ticket).toEqual({
      key: "CALC-7",
      url: `${jira.url}/browse/CALC-7`,
      status: "In Progress",
    });
    expect(run.results[1]?.ticket?.key).toBe("CALC-8");
    expect(failed?.error?.code).toMatch(/^codex_/);
    expect(failed?.review).toBeNull();

    // The agent ran in the PR's head (its shell step saw the head commit) and the
    // review worktrees are gone afterwards.
    const headCommands = model.requests.filter((r) => r.context?.toolOutputs.length === 1);
    expect(headCommands.map((r) => r.context?.toolOutputs[0]?.output).join("\n")).toContain(
      "change on feature/calc-7-sum-overflow",
    );
    expect(await readdir(path.join(dataDir, "workspaces", "worktrees")).catch(() => [])).toEqual(
      [],
    );

    // Slack: one Block Kit message, risk first, with links to the PRs and the ticket.
    expect(slack.payloads).toHaveLength(1);
    const payload = slack.payloads[0] as {
      text: string;
      blocks: { type: string; text?: { text: string } }[];
    };
    expect(payload.blocks[0]).toMatchObject({ type: "header" });
    const sections = payload.blocks
      .filter((b) => b.type === "section")
      .map((b) => b.text?.text ?? "");
    expect(sections).toHaveLength(4);
    expect(sections[0]).toMatch(/^:red_circle: \*HIGH\*/);
    expect(sections[0]).toContain(`<${github.url}/acme/calc/pull/1|acme/calc#1>`);
    expect(sections[0]).toContain(`<${jira.url}/browse/CALC-7|CALC-7> (In Progress)`);
    expect(sections[0]).toContain("code injection");
    expect(sections[1]).toMatch(/^:large_orange_circle: \*MEDIUM\*/);
    expect(sections[2]).toMatch(/^:large_green_circle: \*LOW\*/);
    expect(sections[3]).toMatch(/^:warning: \*NOT REVIEWED\*/);
    expect(sections[3]).toContain("acme/calc#3");
    expect(payload.text).toContain("HIGH acme/calc#1");

    // A comment on each reviewed PR, none on the failed one.
    for (const n of [1, 2, 4]) {
      expect(
        github
          .comments("acme/calc", n)
          .map((c) => c.body)
          .join(),
      ).toContain(REVIEW_COMMENT_MARKER);
    }
    expect(github.comments("acme/calc", 3)).toEqual([]);

    // The stored record: listed newest first and parsed with the shared schema.
    const list = ReviewRunListResponseSchema.parse(
      await (await api("/api/reviews", TOKENS.engineer)).json(),
    );
    expect(list.runs.map((r) => r.id)).toEqual([run.id]);
    expect(list.runs[0]).toMatchObject({ status: "completed", reviewedCount: 3, failedCount: 1 });
  }, 240_000);
});

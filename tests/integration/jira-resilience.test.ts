import { AppError } from "../../server/domain/app-error.js";
import {
  startFakeJira,
  type FakeJira,
  type FakeJiraFlavor,
} from "../../server/sandbox/fake-jira/index.js";
import {
  CLOUD_CREDENTIALS,
  DC_CREDENTIALS,
  credentialsFor,
  rejectionOf,
  seedIssues,
  trackerFor,
} from "../support/jira-fixtures.js";

describe.each<FakeJiraFlavor>(["cloud", "datacenter"])("Jira adapter failures (%s)", (flavor) => {
  let fake: FakeJira;

  beforeEach(async () => {
    fake = await startFakeJira({
      issues: seedIssues(),
      flavor,
      credentials: credentialsFor(flavor),
    });
  });
  afterEach(async () => {
    await fake.close();
  });

  it("maps 401 to jira_auth without leaking the credentials", async () => {
    const { tracker } = trackerFor(fake, {
      auth:
        flavor === "cloud"
          ? { kind: "basic", email: CLOUD_CREDENTIALS.email, apiToken: "wrong-token-123" }
          : { kind: "bearer", pat: "wrong-pat-456" },
    });
    for (const call of [tracker.checkAccess(), tracker.search({ projects: ["CALC"], limit: 5 })]) {
      const error = await rejectionOf(call);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({
        code: "jira_auth",
        message: "Jira rejected the credentials: check JIRA_EMAIL and JIRA_API_TOKEN (or JIRA_PAT)",
      });
      const everything =
        JSON.stringify(error, Object.getOwnPropertyNames(error)) + String((error as Error).cause);
      expect(everything).not.toMatch(/wrong-token-123|wrong-pat-456|cloud-secret|dc-secret/);
    }
  });

  it("retries 503 twice, then succeeds", async () => {
    const { tracker, sleeps } = trackerFor(fake);
    await tracker.checkAccess(); // learn nothing about flavor; just warm up
    fake.failNext(2, 503);
    const detail = await tracker.getIssue("CALC-2");
    expect(detail?.summary).toBe('Error says "undefined" on empty input');
    // Exponential: 100 then 200 ms, at jitter 0.5 → 75 and 150.
    expect(sleeps).toEqual([75, 150]);
    expect(fake.requests.filter((r) => r.status === 503)).toHaveLength(2);
  });

  it("gives up with jira_unavailable when Jira stays down", async () => {
    const { tracker, sleeps } = trackerFor(fake);
    fake.failNext(100, 503);
    const error = await rejectionOf(tracker.search({ projects: ["CALC"], limit: 5 }));
    expect(error).toMatchObject({ code: "jira_unavailable", status: 502 });
    expect((error as Error).message).toContain("HTTP 503 after 3 attempts");
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it("honours Retry-After on 429, and gives up when it is longer than allowed", async () => {
    const { tracker, sleeps } = trackerFor(fake);
    fake.failNext(1, 429, { retryAfterSeconds: 2 });
    await tracker.checkAccess();
    expect(sleeps).toEqual([2000]);

    fake.failNext(1, 429, { retryAfterSeconds: 60 });
    expect(await rejectionOf(tracker.checkAccess())).toMatchObject({ code: "jira_unavailable" });
    expect(sleeps).toEqual([2000]);
  });

  it("does not repeat a comment after a 500 (it may have been written)", async () => {
    const { tracker } = trackerFor(fake);
    fake.failNext(1, 500);
    expect(await rejectionOf(tracker.addComment("CALC-1", "once"))).toMatchObject({
      code: "jira_unavailable",
    });
    expect(fake.requests.filter((r) => r.path.endsWith("/comment"))).toHaveLength(1);
  });

  it("retries a comment refused with 503 (it was not written)", async () => {
    const { tracker } = trackerFor(fake);
    fake.failNext(1, 503);
    await tracker.addComment("CALC-1", "once");
    expect(fake.comments("CALC-1").map((c) => c.body)).toEqual(["once"]);
  });

  it("reports Jira's message when it refuses the configured JQL", async () => {
    const { tracker } = trackerFor(fake, { jql: "assignee = currentUser() ORDER BY updated DESC" });
    const error = await rejectionOf(tracker.search({ projects: ["CALC"], limit: 5 }));
    expect(error).toMatchObject({ code: "jira_unavailable" });
    expect((error as Error).message).toMatch(/HTTP 400/);
  });
});

describe("Jira adapter misconfiguration", () => {
  it("says so when the base URL is not Jira", async () => {
    const fake = await startFakeJira({ issues: [], flavor: "datacenter" });
    try {
      const { tracker } = trackerFor({ ...fake, url: `${fake.url}/not-jira` });
      for (const call of [
        tracker.checkAccess(),
        tracker.search({ projects: ["CALC"], limit: 5 }),
      ]) {
        expect(await rejectionOf(call)).toMatchObject({
          code: "jira_unavailable",
          message: expect.stringContaining("JIRA_BASE_URL") as unknown,
        });
      }
    } finally {
      await fake.close();
    }
  });
});

describe("Jira adapter network failures", () => {
  it("retries a refused connection, then reports jira_unavailable", async () => {
    const fake = await startFakeJira({
      issues: [],
      credentials: DC_CREDENTIALS,
      flavor: "datacenter",
    });
    await fake.close();
    const { tracker, sleeps } = trackerFor(fake);
    const error = await rejectionOf(tracker.getIssue("CALC-1"));
    expect(error).toMatchObject({ code: "jira_unavailable" });
    expect((error as Error).message).toContain("could not be reached");
    expect(sleeps).toHaveLength(2);
  });
});

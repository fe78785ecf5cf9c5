import type { IssueTracker, TrackerIssue } from "../../server/domain/ports/issue-tracker.js";
import {
  startFakeJira,
  type FakeJira,
  type FakeJiraFlavor,
} from "../../server/sandbox/fake-jira/index.js";
import { credentialsFor, rejectionOf, seedIssues, trackerFor } from "../support/jira-fixtures.js";

/** Collects every page of a search. */
async function searchAll(
  tracker: IssueTracker,
  options: { projects: string[]; text?: string; limit: number },
): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await tracker.search({ ...options, cursor });
    keys.push(...page.issues.map((issue: TrackerIssue) => issue.key));
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor !== undefined && pages < 20);
  return { keys, pages };
}

describe.each<FakeJiraFlavor>(["cloud", "datacenter"])(
  "Jira adapter against the fake (%s)",
  (flavor) => {
    let fake: FakeJira;
    let tracker: IssueTracker;

    beforeEach(async () => {
      fake = await startFakeJira({
        issues: seedIssues(),
        flavor,
        credentials: credentialsFor(flavor),
      });
      tracker = trackerFor(fake).tracker;
    });
    afterEach(async () => {
      await fake.close();
    });

    it("pages through the configured JQL in its order", async () => {
      const { keys, pages } = await searchAll(tracker, { projects: ["CALC"], limit: 2 });
      expect(keys).toEqual(["CALC-1", "CALC-2", "CALC-3", "CALC-4", "CALC-5"]);
      expect(pages).toBe(3);
      const searches = fake.requests.filter((r) => r.path.includes("/search"));
      if (flavor === "cloud") {
        expect(searches.every((r) => r.path === "/rest/api/3/search/jql")).toBe(true);
      } else {
        // One probe of v3, then v2 only: the flavor is remembered.
        expect(searches.map((r) => r.path)).toEqual([
          "/rest/api/3/search/jql",
          "/rest/api/2/search",
          "/rest/api/2/search",
          "/rest/api/2/search",
        ]);
      }
    });

    it("maps the issue fields", async () => {
      const page = await tracker.search({ projects: ["CALC"], limit: 2 });
      expect(page.issues[0]).toEqual({
        key: "CALC-1",
        project: "CALC",
        summary: "Division by zero crashes",
        status: "To Do",
        issueType: "Bug",
        priority: "Highest",
        assignee: null,
        reporter: null,
        labels: [],
        updated: "2024-03-01T10:00:00.000Z",
        url: `${fake.url}/browse/CALC-1`,
      });
      expect(page.issues[1]?.assignee).toBe("Ada Lovelace");
    });

    it("restricts the search to the given projects", async () => {
      expect((await searchAll(tracker, { projects: ["WEB"], limit: 10 })).keys).toEqual(["WEB-1"]);
      const both = await searchAll(tracker, { projects: ["WEB", "CALC"], limit: 10 });
      expect(both.keys).toHaveLength(6);
      expect(await tracker.search({ projects: [], limit: 10 })).toEqual({
        issues: [],
        nextCursor: null,
      });
    });

    it("filters by text containing quotes and Lucene operators", async () => {
      const quoted = await tracker.search({
        projects: ["CALC"],
        text: 'says "undefined"',
        limit: 10,
      });
      expect(quoted.issues.map((i) => i.key)).toEqual(["CALC-2"]);
      const parens = await tracker.search({ projects: ["CALC"], text: "(sometimes)", limit: 10 });
      expect(parens.issues.map((i) => i.key)).toEqual(["CALC-4"]);
      const none = await tracker.search({
        projects: ["CALC"],
        text: 'nothing "like" this',
        limit: 10,
      });
      expect(none).toEqual({ issues: [], nextCursor: null });
    });

    it("returns null for an unknown issue", async () => {
      expect(await tracker.getIssue("CALC-999")).toBeNull();
      expect(await tracker.getIssue("not a key/../x")).toBeNull();
    });

    it("adds a comment that shows up on the fake", async () => {
      await tracker.addComment(
        "CALC-3",
        "Patchboard opened a PR: https://github.com/acme/calc/pull/7",
      );
      const comments = fake.comments("CALC-3");
      expect(comments).toHaveLength(1);
      expect(comments[0]).toMatchObject({
        author: "Patchboard Bot",
        body: "Patchboard opened a PR: https://github.com/acme/calc/pull/7",
      });
      const detail = await tracker.getIssue("CALC-3");
      expect(detail?.comments.map((c) => c.body)).toEqual([
        "Patchboard opened a PR: https://github.com/acme/calc/pull/7",
      ]);
    });

    it("fails to comment on a missing issue with jira_not_found", async () => {
      expect(await rejectionOf(tracker.addComment("CALC-404", "hello"))).toMatchObject({
        code: "jira_not_found",
      });
    });

    it("transitions by name, case-insensitively, and reports a missing transition", async () => {
      expect(await tracker.transition("CALC-1", "  in progress ")).toBe(true);
      expect(fake.issue("CALC-1")?.status).toBe("In Progress");
      expect(await tracker.transition("CALC-1", "Ship It")).toBe(false);
      expect(fake.issue("CALC-1")?.status).toBe("In Progress");
      expect(await rejectionOf(tracker.transition("CALC-404", "Done"))).toMatchObject({
        code: "jira_not_found",
      });
    });

    it("checks access", async () => {
      await expect(tracker.checkAccess()).resolves.toBeUndefined();
      expect(fake.requests.at(-1)?.path).toBe("/rest/api/2/myself");
    });

    it("rejects a forged cursor", async () => {
      const error = await rejectionOf(
        tracker.search({ projects: ["CALC"], limit: 2, cursor: "bm9wZQ" }),
      );
      expect(error).toMatchObject({ code: "validation_error" });
    });
  },
);

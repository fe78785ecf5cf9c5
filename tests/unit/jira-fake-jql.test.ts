import { JqlError, parseJql } from "../../server/sandbox/fake-jira/fake-jql-parser.js";
import { runJql, textTerms } from "../../server/sandbox/fake-jira/fake-jql-eval.js";
import { FakeJiraState } from "../../server/sandbox/fake-jira/fake-jira-state.js";
import { adfToPlainText, textToAdf } from "../../server/sandbox/fake-jira/fake-rich-text.js";

const state = new FakeJiraState([
  { key: "AA-1", summary: "Crash on start", priority: "Low", updated: "2024-01-03T00:00:00Z" },
  {
    key: "AA-2",
    summary: "Slow",
    priority: "Highest",
    status: "In Progress",
    updated: "2024-01-01T00:00:00Z",
  },
  { key: "AA-10", summary: "Done thing", status: "Done", description: 'has "quotes" inside' },
  { key: "BB-1", summary: "Other project", issuetype: "Story", labels: ["ui"] },
]);
const keys = (jql: string): string[] => runJql(jql, state.all()).issues.map((issue) => issue.key);

describe("fake Jira JQL", () => {
  it("parses the subset", () => {
    expect(parseJql("project = AA ORDER BY key DESC, updated")).toEqual({
      where: { kind: "clause", field: "project", operator: "=", values: ["AA"] },
      orderBy: [
        { field: "key", direction: "desc" },
        { field: "updated", direction: "asc" },
      ],
    });
    expect(parseJql("status not in ('Done', \"In Progress\")").where).toMatchObject({
      operator: "not in",
      values: ["Done", "In Progress"],
    });
  });

  it("filters and orders", () => {
    expect(keys("project = AA ORDER BY key")).toEqual(["AA-1", "AA-2", "AA-10"]);
    expect(keys("project = AA ORDER BY priority DESC")).toEqual(["AA-2", "AA-10", "AA-1"]);
    expect(keys("project = aa AND statusCategory != Done ORDER BY updated DESC")).toEqual([
      "AA-1",
      "AA-2",
    ]);
    expect(keys("status != Done AND (type = Story OR priority = Low)")).toEqual(["AA-1", "BB-1"]);
    expect(keys("statusCategory = 'In Progress'")).toEqual(["AA-2"]);
    expect(keys('text ~ "\\"quotes\\""')).toEqual(["AA-10"]);
    expect(keys('summary !~ "crash" AND project in (AA)')).toEqual(["AA-2", "AA-10"]);
    expect(keys("labels in (ui, other)")).toEqual(["BB-1"]);
  });

  it("refuses what it does not understand, with Jira-like messages", () => {
    const bad = [
      "assignee = bob",
      "project > AA",
      "project ~ AA",
      "summary = x",
      "NOT project = AA",
      "project = AA ORDER BY rank",
      'text ~ "unterminated',
      'summary ~ "bad \\q escape"',
      "project in (AA",
      "project = AA AND",
      'text ~ ""',
      "project = AA extra",
    ];
    for (const jql of bad) expect(() => runJql(jql, state.all()), jql).toThrow(JqlError);
  });

  it("splits text into Lucene-like terms", () => {
    expect(textTerms('Crash "on start" \\"x\\" a\\(b')).toEqual([
      "crash",
      "on start",
      '"x"',
      "a(b",
    ]);
  });
});

describe("fake Jira rich text", () => {
  it("turns markdown-ish text into ADF and back to plain text", () => {
    const adf = textToAdf("# Title\n\nSome **bold** and `code`\nnext\n\n- a\n- b");
    expect(adf).toMatchObject({
      type: "doc",
      content: [{ type: "heading" }, { type: "paragraph" }, { type: "bulletList" }],
    });
    expect(adfToPlainText(adf)).toBe("Title\nSome bold and code\nnext\na\nb");
  });
});

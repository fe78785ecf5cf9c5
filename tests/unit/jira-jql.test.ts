import {
  buildScopeJql,
  buildSearchJql,
  escapeTextSearch,
  jqlString,
  splitOrderBy,
} from "../../server/adapters/jira/jql.js";
import { decodeCursor, encodeCursor } from "../../server/adapters/jira/jira-search.js";
import { parseJql } from "../../server/sandbox/fake-jira/fake-jql-parser.js";

describe("JQL building", () => {
  it("quotes strings with JQL escapes", () => {
    expect(jqlString('say "hi"')).toBe('"say \\"hi\\""');
    expect(jqlString("back\\slash\nline\ttab")).toBe('"back\\\\slash\\nline\\ttab"');
  });

  it("escapes Lucene operators in free text", () => {
    expect(escapeTextSearch('-foo (bar) "baz" a:b c*')).toBe(
      '\\-foo \\(bar\\) \\"baz\\" a\\:b c\\*',
    );
  });

  it("splits ORDER BY off, ignoring it inside strings", () => {
    expect(splitOrderBy("project = A order  by key DESC")).toEqual({
      where: "project = A",
      orderBy: "key DESC",
    });
    expect(splitOrderBy('summary ~ "order by" ORDER BY updated')).toEqual({
      where: 'summary ~ "order by"',
      orderBy: "updated",
    });
    expect(splitOrderBy("ORDER BY rank")).toEqual({ where: "", orderBy: "rank" });
    expect(splitOrderBy("status = Open")).toEqual({ where: "status = Open", orderBy: null });
    expect(splitOrderBy("(a = b)ORDER BY key")).toEqual({ where: "(a = b)", orderBy: "key" });
    expect(splitOrderBy("labels = reorder")).toEqual({ where: "labels = reorder", orderBy: null });
  });

  it("narrows the configured JQL and re-appends its order", () => {
    expect(
      buildSearchJql({
        baseJql: "type = Bug OR priority = High ORDER BY updated DESC",
        projects: ["CALC", "WEB"],
        text: '  crash "now"  ',
      }),
    ).toBe(
      '(type = Bug OR priority = High) AND project in ("CALC", "WEB") AND text ~ "crash \\\\\\"now\\\\\\"" ORDER BY updated DESC',
    );
    expect(buildSearchJql({ baseJql: "", projects: ["A"], text: "   " })).toBe('project in ("A")');
    expect(() => buildSearchJql({ baseJql: "", projects: [] })).toThrow();
  });

  it("produces JQL the fake parses back to the original text", () => {
    const jql = buildSearchJql({ baseJql: "type = Bug", projects: ["CALC"], text: 'a\\b "q" (x)' });
    const where = parseJql(jql).where;
    expect(where?.kind).toBe("and");
    const text =
      where?.kind === "and" && where.right.kind === "clause" ? where.right.values[0] : undefined;
    expect(text).toBe('a\\\\b \\"q\\" \\(x\\)');
  });
});

describe("search cursors", () => {
  it("round-trip and stay opaque", () => {
    const v3 = encodeCursor({ api: "v3", token: "abc:def" });
    expect(v3).not.toContain("abc");
    expect(decodeCursor(v3)).toEqual({ api: "v3", token: "abc:def" });
    expect(decodeCursor(encodeCursor({ api: "v2", startAt: 50 }))).toEqual({
      api: "v2",
      startAt: 50,
    });
  });

  it("reject garbage with validation_error", () => {
    expect(() => decodeCursor("!!!")).toThrow(
      expect.objectContaining({ code: "validation_error" }),
    );
    expect(() => decodeCursor(Buffer.from("2:-1").toString("base64url"))).toThrow();
  });
});

describe("buildScopeJql", () => {
  it("keeps the configured filter parenthesised, drops ORDER BY and pins project and key", () => {
    expect(buildScopeJql('project = X OR labels = "a" ORDER BY key', "CALC-12")).toBe(
      '(project = X OR labels = "a") AND project = "CALC" AND key = "CALC-12"',
    );
    expect(buildScopeJql("", "MY_PROJ-3")).toBe('project = "MY_PROJ" AND key = "MY_PROJ-3"');
  });
});

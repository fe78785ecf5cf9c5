import { adfToMarkdown } from "../../server/adapters/jira/adf/adf-to-markdown.js";

type Node = Record<string, unknown>;
const doc = (...content: Node[]): Node => ({ type: "doc", version: 1, content });
const p = (...content: Node[]): Node => ({ type: "paragraph", content });
const t = (text: string, ...marks: (string | Node)[]): Node => ({
  type: "text",
  text,
  ...(marks.length ? { marks: marks.map((m) => (typeof m === "string" ? { type: m } : m)) } : {}),
});
const li = (...content: Node[]): Node => ({ type: "listItem", content });
const cell = (text: string, type = "tableCell"): Node => ({ type, content: [p(t(text))] });

describe("adfToMarkdown", () => {
  it("renders paragraphs and headings", () => {
    const adf = doc(
      { type: "heading", attrs: { level: 3 }, content: [t("Title")] },
      p(t("One")),
      p(t("Two")),
    );
    expect(adfToMarkdown(adf)).toBe("### Title\n\nOne\n\nTwo");
  });

  it("renders marks, merging adjacent runs and keeping spaces outside delimiters", () => {
    const adf = doc(
      p(
        t("a "),
        t("bold ", "strong"),
        t("still", "strong"),
        t(" and "),
        t("it", "em"),
        t(" "),
        t("gone", "strike"),
      ),
    );
    expect(adfToMarkdown(adf)).toBe("a **bold still** and *it* ~~gone~~");
  });

  it("renders inline code without escaping, with a fence longer than its backticks", () => {
    expect(adfToMarkdown(doc(p(t("a*b", "code"))))).toBe("`a*b`");
    expect(adfToMarkdown(doc(p(t("x ` y", "code"))))).toBe("``x ` y``");
  });

  it("renders links, including code links and odd URLs", () => {
    const link = (href: string): Node => ({ type: "link", attrs: { href } });
    const adf = doc(
      p(
        t("docs", link("https://x.dev/a b(c)")),
        t(" "),
        t("fn()", "code", link("https://x.dev/fn")),
      ),
    );
    expect(adfToMarkdown(adf)).toBe(
      "[docs](https://x.dev/a%20b%28c%29) [`fn()`](https://x.dev/fn)",
    );
  });

  it("escapes markdown in prose but leaves snake_case alone", () => {
    const adf = doc(p(t("use *args and [x] with my_var_name or _private <b> & &amp;")));
    expect(adfToMarkdown(adf)).toBe(
      "use \\*args and \\[x\\] with my_var_name or \\_private \\<b> & \\&amp;",
    );
    expect(adfToMarkdown(doc(p(t("# not a heading"))))).toBe("\\# not a heading");
    expect(adfToMarkdown(doc(p(t("1. not a list"))))).toBe("1\\. not a list");
    expect(adfToMarkdown(doc(p(t("~5 min"))))).toBe("~5 min");
  });

  it("renders mentions, emoji, status, dates and hard breaks", () => {
    const adf = doc(
      p(
        { type: "mention", attrs: { id: "1", text: "@Ada" } },
        { type: "mention", attrs: { id: "2", text: "Bob" } },
        t(" "),
        { type: "emoji", attrs: { shortName: ":smile:", text: "😄" } },
        t(" "),
        { type: "status", attrs: { text: "BLOCKED" } },
        t(" "),
        { type: "date", attrs: { timestamp: "1704067200000" } },
        { type: "hardBreak" },
        t("- next line"),
      ),
    );
    expect(adfToMarkdown(adf)).toBe("@Ada@Bob 😄 BLOCKED 2024-01-01\\\n\\- next line");
  });

  it("renders nested bullet and ordered lists", () => {
    const adf = doc({
      type: "bulletList",
      content: [
        li(p(t("one")), {
          type: "orderedList",
          attrs: { order: 3 },
          content: [li(p(t("three"))), li(p(t("four")))],
        }),
        li(p(t("two"))),
      ],
    });
    expect(adfToMarkdown(adf)).toBe("- one\n  3. three\n  4. four\n- two");
  });

  it("renders code blocks with their language", () => {
    const adf = doc({
      type: "codeBlock",
      attrs: { language: "python" },
      content: [t("print('*')\n```")],
    });
    expect(adfToMarkdown(adf)).toBe("````python\nprint('*')\n```\n````");
  });

  it("renders blockquotes, rules and panels", () => {
    const adf = doc(
      { type: "blockquote", content: [p(t("quoted")), p(t("more"))] },
      { type: "rule" },
      { type: "panel", attrs: { panelType: "info" }, content: [p(t("FYI"))] },
    );
    expect(adfToMarkdown(adf)).toBe("> quoted\n>\n> more\n\n---\n\n> **Info:** FYI");
  });

  it("renders tables as GFM tables, padding merged cells and escaping pipes", () => {
    const adf = doc({
      type: "table",
      content: [
        {
          type: "tableRow",
          content: [
            cell("Key", "tableHeader"),
            cell("Value", "tableHeader"),
            cell("Note", "tableHeader"),
          ],
        },
        { type: "tableRow", content: [{ ...cell("a|b"), attrs: { colspan: 2 } }, cell("x")] },
        { type: "tableRow", content: [cell("short")] },
      ],
    });
    expect(adfToMarkdown(adf)).toBe(
      "| Key | Value | Note |\n| --- | --- | --- |\n| a\\|b |  | x |\n| short |  |  |",
    );
  });

  it("renders task lists, expands, cards and media", () => {
    const adf = doc(
      {
        type: "taskList",
        content: [
          { type: "taskItem", attrs: { state: "DONE" }, content: [t("done")] },
          { type: "taskItem", attrs: { state: "TODO" }, content: [t("todo")] },
        ],
      },
      { type: "expand", attrs: { title: "Logs" }, content: [p(t("trace"))] },
      { type: "blockCard", attrs: { url: "https://x.dev/1" } },
      { type: "mediaSingle", content: [{ type: "media", attrs: { alt: "screenshot.png" } }] },
    );
    expect(adfToMarkdown(adf)).toBe(
      "- [x] done\n- [ ] todo\n\n**Logs**\n\ntrace\n\n<https://x.dev/1>\n\n\\[attachment: screenshot.png\\]",
    );
  });

  it("keeps the text of unknown nodes and ignores malformed ones", () => {
    const adf = doc(
      { type: "futureBlock", content: [p(t("inside"))] },
      p(t("a"), { type: "futureInline", text: "b" }, { nope: true }, t("c")),
      "garbage" as unknown as Node,
    );
    expect(adfToMarkdown(adf)).toBe("inside\n\nabc");
  });

  it("never throws on odd input", () => {
    expect(adfToMarkdown(null)).toBe("");
    expect(adfToMarkdown(42)).toBe("");
    expect(adfToMarkdown("already text")).toBe("already text");
    expect(adfToMarkdown({ type: "doc", content: "nope" })).toBe("");
    let deep: Node = t("bottom");
    for (let i = 0; i < 5000; i++) deep = { type: "blockquote", content: [deep] };
    expect(() => adfToMarkdown(doc(deep))).not.toThrow();
  });
});

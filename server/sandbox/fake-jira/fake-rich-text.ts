import type { FakeRichText } from "./fake-jira-types.js";

/**
 * Converts the seeds' markdown-ish text to ADF, as Jira Cloud stores it, and ADF
 * back to plain text for the v2 API and text search. A small honest subset:
 * paragraphs, headings, bullet/ordered lists, fenced code, quotes, rules, tables,
 * and inline code, bold, italics and links.
 */

type Node = Record<string, unknown>;
type Mark = { type: string; attrs?: Record<string, string> };

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*|\[[^\]]+\]\([^)\s]+\))/;

function text(value: string, marks: Mark[] = []): Node {
  return marks.length > 0 ? { type: "text", text: value, marks } : { type: "text", text: value };
}

/** Inline markdown → ADF text nodes with marks; single newlines become hard breaks. */
function inline(source: string): Node[] {
  const nodes: Node[] = [];
  source.split("\n").forEach((line, index) => {
    if (index > 0) nodes.push({ type: "hardBreak" });
    for (const part of line.split(INLINE)) {
      if (part === "") continue;
      if (/^`[^`]+`$/.test(part)) nodes.push(text(part.slice(1, -1), [{ type: "code" }]));
      else if (/^\*\*[^*]+\*\*$/.test(part))
        nodes.push(text(part.slice(2, -2), [{ type: "strong" }]));
      else if (/^\*[^*]+\*$/.test(part)) nodes.push(text(part.slice(1, -1), [{ type: "em" }]));
      else {
        const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
        if (link)
          nodes.push(text(link[1] ?? "", [{ type: "link", attrs: { href: link[2] ?? "" } }]));
        else nodes.push(text(part));
      }
    }
  });
  return nodes;
}

function paragraph(source: string): Node {
  return { type: "paragraph", content: inline(source) };
}

function tableRow(line: string, header: boolean): Node {
  const cells = line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|");
  return {
    type: "tableRow",
    content: cells.map((cell) => ({
      type: header ? "tableHeader" : "tableCell",
      content: [paragraph(cell.trim())],
    })),
  };
}

/** Markdown-ish text → an ADF document. */
export function textToAdf(source: string): Node {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const content: Node[] = [];
  let i = 0;
  const take = (test: (line: string) => boolean): string[] => {
    const taken: string[] = [];
    while (i < lines.length && test(lines[i] ?? "")) taken.push(lines[i++] ?? "");
    return taken;
  };
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const fence = /^```(\S*)\s*$/.exec(line);
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (line.trim() === "") {
      i++;
    } else if (fence) {
      i++;
      const code = take((l) => !l.startsWith("```"));
      i++;
      const attrs = fence[1] ? { language: fence[1] } : {};
      content.push({
        type: "codeBlock",
        attrs,
        content: code.length ? [text(code.join("\n"))] : [],
      });
    } else if (heading) {
      i++;
      content.push({
        type: "heading",
        attrs: { level: heading[1]?.length ?? 1 },
        content: inline(heading[2] ?? ""),
      });
    } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      i++;
      content.push({ type: "rule" });
    } else if (/^[-*] /.test(line)) {
      const items = take((l) => /^[-*] /.test(l));
      content.push({
        type: "bulletList",
        content: items.map((l) => ({ type: "listItem", content: [paragraph(l.slice(2))] })),
      });
    } else if (/^\d+[.)] /.test(line)) {
      const items = take((l) => /^\d+[.)] /.test(l));
      content.push({
        type: "orderedList",
        attrs: { order: Number(/^\d+/.exec(line)?.[0] ?? 1) },
        content: items.map((l) => ({
          type: "listItem",
          content: [paragraph(l.replace(/^\d+[.)] /, ""))],
        })),
      });
    } else if (line.startsWith(">")) {
      const quoted = take((l) => l.startsWith(">")).map((l) => l.replace(/^> ?/, ""));
      content.push({ type: "blockquote", content: [paragraph(quoted.join("\n"))] });
    } else if (line.trim().startsWith("|")) {
      const rows = take((l) => l.trim().startsWith("|"));
      const separator = /^\s*\|?\s*:?-{3,}/.test(rows[1] ?? "");
      const body = separator ? [rows[0] ?? "", ...rows.slice(2)] : rows;
      content.push({
        type: "table",
        content: body.map((row, index) => tableRow(row, separator && index === 0)),
      });
    } else {
      const block = take(
        (l) => l.trim() !== "" && !/^(```|#{1,6}\s|[-*] |\d+[.)] |>|\s*\|)/.test(l),
      );
      content.push(paragraph((block.length > 0 ? block : [lines[i++] ?? ""]).join("\n")));
    }
  }
  return { type: "doc", version: 1, content };
}

/** ADF → plain text: text nodes joined, blocks on their own lines. */
export function adfToPlainText(node: unknown, depth = 0): string {
  if (typeof node !== "object" || node === null || depth > 64) return "";
  const {
    type,
    text: value,
    content,
  } = node as { type?: unknown; text?: unknown; content?: unknown };
  if (type === "hardBreak") return "\n";
  if (typeof value === "string") return value;
  const attrs = (node as { attrs?: Record<string, unknown> }).attrs;
  if (type === "mention" && typeof attrs?.text === "string") return attrs.text;
  const children = Array.isArray(content)
    ? content.map((child) => adfToPlainText(child, depth + 1))
    : [];
  const inlineParent =
    type === "paragraph" || type === "heading" || type === "tableCell" || type === "tableHeader";
  return children.join(inlineParent ? "" : type === "tableRow" ? " | " : "\n");
}

/** Rich text as ADF (v3). */
export function richTextAsAdf(value: FakeRichText): unknown {
  return typeof value === "string" ? textToAdf(value) : value;
}

/** Rich text as plain text (v2 API, text search, the HTML page). */
export function richTextAsPlain(value: FakeRichText): string {
  return typeof value === "string" ? value : adfToPlainText(value).trim();
}

import {
  childrenOf,
  isAdfNode,
  numberAttr,
  plainText,
  stringAttr,
  type AdfNode,
} from "./adf-node.js";
import { MAX_DEPTH, codeSpan, escapeInline, renderInline, type AdfContext } from "./adf-inline.js";
import { renderTable } from "./adf-table.js";

const PANEL_LABELS: Record<string, string> = {
  info: "Info",
  note: "Note",
  warning: "Warning",
  error: "Error",
  success: "Success",
  tip: "Tip",
};

/** Node types whose children are blocks rather than inline content. */
const CONTAINER_TYPES = new Set([
  "doc",
  "layoutSection",
  "layoutColumn",
  "bodiedExtension",
  "extensionFrame",
  "multiBodiedExtension",
]);

/**
 * Escapes what would make a paragraph line start a heading, quote, list, fence or
 * setext underline. Needed on every line because a hard break starts a new line
 * on which `- ` would open a list.
 */
function escapeLineStarts(text: string): string {
  return text
    .split("\n")
    .map((line) =>
      line
        .replace(/^(\s*)(#{1,6}(?:\s|$)|[>+-](?:\s|$)|=+\s*$|~~~)/, "$1\\$2")
        .replace(/^(\s*\d{1,9})([.)])(\s|$)/, "$1\\$2$3"),
    )
    .join("\n");
}

/** Indents every line but the first by `width` spaces (list item continuation). */
function indentContinuation(text: string, width: number): string {
  const pad = " ".repeat(width);
  return text
    .split("\n")
    .map((line, index) => (index === 0 || line === "" ? line : pad + line))
    .join("\n");
}

function quote(text: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n");
}

function codeBlock(node: AdfNode, ctx: AdfContext): string {
  const code = plainText(node).replace(/\n$/, "");
  if (ctx.inTable) return codeSpan(code.replace(/\n/g, " "));
  const longest = Math.max(0, ...(code.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  const language = (stringAttr(node, "language") ?? "").replace(/[^\w+#.-]/g, "");
  return `${fence}${language}\n${code}\n${fence}`;
}

/** Blocks of a list item: a nested list hugs the line above so the list stays tight. */
function renderItemBody(nodes: AdfNode[], ctx: AdfContext): string {
  let out = "";
  for (const node of nodes) {
    const block = renderBlock(node, ctx);
    if (block === "") continue;
    const nested = /List$/.test(node.type);
    out += out === "" ? block : `${nested ? "\n" : "\n\n"}${block}`;
  }
  return out;
}

function renderList(node: AdfNode, ctx: AdfContext): string {
  const ordered = node.type === "orderedList";
  let number = Math.max(0, Math.floor(numberAttr(node, "order") ?? 1));
  const inner = { ...ctx, depth: ctx.depth + 1 };
  return childrenOf(node)
    .map((item) => {
      const marker = ordered ? `${number++}. ` : "- ";
      const body =
        item.type === "listItem"
          ? renderItemBody(childrenOf(item), inner)
          : renderBlock(item, inner);
      return marker + indentContinuation(body, marker.length);
    })
    .join("\n");
}

/** Task and decision lists: their items hold inline content, not paragraphs. */
function renderChecklist(node: AdfNode, ctx: AdfContext): string {
  const inner = { ...ctx, depth: ctx.depth + 1 };
  return childrenOf(node)
    .map((item) => {
      if (item.type === "taskList" || item.type === "decisionList") {
        return indentContinuation(`  ${renderChecklist(item, inner)}`, 2);
      }
      const text = escapeLineStarts(renderInline(childrenOf(item), inner));
      if (item.type === "decisionItem") return `- Decision: ${text}`;
      const box = stringAttr(item, "state") === "DONE" ? "[x]" : "[ ]";
      return `- ${box} ${indentContinuation(text, 6)}`;
    })
    .join("\n");
}

function renderMedia(node: AdfNode): string {
  const media = node.type === "media" ? [node] : childrenOf(node).filter((n) => n.type === "media");
  return media
    .map((item) => escapeInline(`[attachment: ${stringAttr(item, "alt") ?? "file"}]`))
    .join(" ");
}

/** Whether an unknown node's children look like blocks (so they are rendered as such). */
function hasBlockChildren(node: AdfNode): boolean {
  return childrenOf(node).some((child) => child.type !== "text" && childrenOf(child).length > 0);
}

function renderBlock(node: AdfNode, ctx: AdfContext): string {
  if (ctx.depth > MAX_DEPTH) return "";
  const inner = { ...ctx, depth: ctx.depth + 1 };
  const children = childrenOf(node);
  switch (node.type) {
    case "paragraph":
      return escapeLineStarts(renderInline(children, inner));
    case "heading": {
      const text = renderInline(children, inner);
      if (ctx.inTable) return text;
      const level = Math.min(6, Math.max(1, numberAttr(node, "level") ?? 1));
      return text.trim() === "" ? "" : `${"#".repeat(level)} ${text.replace(/\\\n/g, " ")}`;
    }
    case "bulletList":
    case "orderedList":
      return renderList(node, ctx);
    case "listItem":
      return renderList({ type: "bulletList", content: [node] }, ctx);
    case "taskList":
    case "decisionList":
      return renderChecklist(node, ctx);
    case "codeBlock":
      return codeBlock(node, ctx);
    case "blockquote":
      return ctx.inTable ? renderBlocks(children, inner) : quote(renderBlocks(children, inner));
    case "rule":
      return ctx.inTable ? "" : "---";
    case "panel": {
      const label = PANEL_LABELS[stringAttr(node, "panelType") ?? ""];
      const body = renderBlocks(children, inner);
      const text = label === undefined ? body : `**${label}:** ${body}`;
      return ctx.inTable ? text : quote(text);
    }
    case "expand":
    case "nestedExpand": {
      const title = stringAttr(node, "title");
      const body = renderBlocks(children, inner);
      return title ? `**${escapeInline(title)}**\n\n${body}` : body;
    }
    case "table":
      return renderTable(node, ctx, renderBlocks);
    case "mediaSingle":
    case "mediaGroup":
    case "media":
      return renderMedia(node);
    case "blockCard":
    case "embedCard": {
      const url = stringAttr(node, "url");
      return url === undefined ? "" : `<${url.replace(/[\s<>]/g, encodeURIComponent)}>`;
    }
    case "extension":
      // A macro without a body (e.g. a Confluence include); nothing readable inside.
      return "";
    default:
      if (CONTAINER_TYPES.has(node.type) || hasBlockChildren(node)) {
        return renderBlocks(children, inner);
      }
      // Inline content at block level (malformed, or an unknown leaf): keep its text.
      return escapeLineStarts(renderInline([node], inner));
  }
}

/** Renders block nodes separated by blank lines, skipping empty ones. */
function renderBlocks(nodes: AdfNode[], ctx: AdfContext): string {
  return nodes
    .map((node) => renderBlock(node, ctx))
    .filter((block) => block.trim() !== "")
    .join("\n\n");
}

/**
 * Converts an Atlassian Document Format value (a Jira Cloud v3 description or
 * comment body) to markdown. Never throws: a string is returned as is, anything
 * that is not ADF yields "", and unknown node types degrade to their text.
 */
export function adfToMarkdown(value: unknown): string {
  if (typeof value === "string") return value;
  if (!isAdfNode(value)) return "";
  const markdown = renderBlock(value, { depth: 0, inTable: false });
  return markdown.replace(/\n{3,}/g, "\n\n").trim();
}

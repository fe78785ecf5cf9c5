import {
  childrenOf,
  marksOf,
  numberAttr,
  stringAttr,
  textOf,
  type AdfMark,
  type AdfNode,
} from "./adf-node.js";

/** Rendering state threaded through the converter. */
export interface AdfContext {
  /** Nesting depth, bounded so a hostile document cannot blow the stack. */
  depth: number;
  /** Inside a table cell: everything must stay on one line. */
  inTable: boolean;
}

/** Deeper than this, content is dropped rather than recursed into. */
export const MAX_DEPTH = 64;

/**
 * Escapes characters that would otherwise turn prose into markdown syntax. Kept
 * deliberately narrow: the output is read by people and by the agent, and a
 * backslash before every underscore of `snake_case` helps neither.
 */
export function escapeInline(text: string): string {
  let out = text.replace(/[\\`*[\]<]/g, "\\$&");
  // Intraword underscores never form emphasis in CommonMark; only boundary ones can.
  out = out.replace(/_/g, (match, offset: number, whole: string) => {
    const before = whole.charAt(offset - 1);
    const after = whole.charAt(offset + 1);
    return /[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after) ? match : "\\_";
  });
  // A lone tilde cannot form strikethrough; "~5 min" stays readable.
  if ((out.match(/~/g) ?? []).length > 1) out = out.replace(/~/g, "\\~");
  // Entity references would be decoded by a markdown renderer.
  return out.replace(/&(?=#?\w+;)/g, "\\&");
}

/** Wraps text in a code span whose fence is longer than any backtick run inside it. */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Makes a URL safe as a markdown link destination. */
function linkTarget(href: string): string {
  // encodeURIComponent leaves parentheses alone, and they would end the destination.
  return href.replace(
    /[\s()<>]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

/** Puts a delimiter around text, keeping edge whitespace outside (CommonMark needs that). */
function wrap(text: string, delimiter: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text);
  const [, lead = "", core = "", trail = ""] = match ?? [];
  if (core === "") return text;
  return `${lead}${delimiter}${core}${delimiter}${trail}`;
}

function markedText(text: string, marks: AdfMark[]): string {
  const has = (type: string): boolean => marks.some((mark) => mark.type === type);
  const link = marks.find((mark) => mark.type === "link");
  let out: string;
  if (has("code")) {
    // ADF only lets `code` combine with `link`, so other marks are ignored here.
    out = codeSpan(text);
  } else {
    out = escapeInline(text);
    if (has("strike")) out = wrap(out, "~~");
    if (has("em")) out = wrap(out, "*");
    if (has("strong")) out = wrap(out, "**");
    // underline, textColor, subsup, backgroundColor: no markdown equivalent, keep the text.
  }
  const href = link ? stringAttr(link, "href") : undefined;
  if (href !== undefined && out.trim() !== "") return `[${out}](${linkTarget(href)})`;
  return out;
}

function markKey(node: AdfNode): string {
  return JSON.stringify(marksOf(node).map((mark) => [mark.type, mark.attrs ?? null]));
}

function formatDate(timestamp: number | undefined): string {
  if (timestamp === undefined) return "";
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString().slice(0, 10);
}

function inlineAtom(node: AdfNode, ctx: AdfContext): string {
  switch (node.type) {
    case "hardBreak":
      return ctx.inTable ? " " : "\\\n";
    case "mention": {
      const name = stringAttr(node, "text") ?? "user";
      return escapeInline(name.startsWith("@") ? name : `@${name}`);
    }
    case "emoji":
      return stringAttr(node, "text") ?? stringAttr(node, "shortName") ?? "";
    case "inlineCard": {
      const url = stringAttr(node, "url");
      return url === undefined ? "" : `<${linkTarget(url)}>`;
    }
    case "status":
      return escapeInline(stringAttr(node, "text") ?? "");
    case "date":
      return formatDate(numberAttr(node, "timestamp"));
    case "placeholder":
      // A template hint the author never filled in; it is not content.
      return "";
    case "mediaInline":
      return escapeInline(`[attachment: ${stringAttr(node, "alt") ?? "file"}]`);
    default:
      if (textOf(node) !== "") return escapeInline(textOf(node));
      return renderInline(childrenOf(node), { ...ctx, depth: ctx.depth + 1 });
  }
}

/**
 * Renders inline nodes (text with marks, mentions, breaks…) as markdown. Adjacent
 * text nodes with identical marks are merged first, so `**a****b**` never appears.
 */
export function renderInline(nodes: AdfNode[], ctx: AdfContext): string {
  if (ctx.depth > MAX_DEPTH) return "";
  const parts: string[] = [];
  let pending: { text: string; marks: AdfMark[]; key: string } | undefined;
  for (const node of nodes) {
    if (node.type === "text") {
      const key = markKey(node);
      if (pending?.key === key) {
        pending.text += textOf(node);
        continue;
      }
      if (pending) parts.push(markedText(pending.text, pending.marks));
      pending = { text: textOf(node), marks: marksOf(node), key };
      continue;
    }
    if (pending) parts.push(markedText(pending.text, pending.marks));
    pending = undefined;
    parts.push(inlineAtom(node, ctx));
  }
  if (pending) parts.push(markedText(pending.text, pending.marks));
  return parts.join("");
}

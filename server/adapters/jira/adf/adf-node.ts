/**
 * Atlassian Document Format (ADF) node shapes, read defensively: Jira adds node and
 * mark types over time and documents written by apps can be malformed, so every
 * field is checked at runtime rather than trusted.
 */

/** A mark on a text node (strong, em, code, link…). */
export interface AdfMark {
  type: string;
  attrs?: Record<string, unknown>;
}

/** One ADF node. */
export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: AdfMark[];
  content?: AdfNode[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a value looks like an ADF node (an object with a string `type`). */
export function isAdfNode(value: unknown): value is AdfNode {
  return isRecord(value) && typeof value.type === "string";
}

/** The node's children that are themselves nodes; anything malformed is skipped. */
export function childrenOf(node: AdfNode): AdfNode[] {
  const content: unknown = node.content;
  return Array.isArray(content) ? content.filter(isAdfNode) : [];
}

/** The node's marks that are well formed. */
export function marksOf(node: AdfNode): AdfMark[] {
  const marks: unknown = node.marks;
  return Array.isArray(marks) ? marks.filter(isAdfNode) : [];
}

/** A string attribute, or undefined when absent or not a string. */
export function stringAttr(
  node: { attrs?: Record<string, unknown> },
  name: string,
): string | undefined {
  const attrs: unknown = node.attrs;
  if (!isRecord(attrs)) return undefined;
  const value = attrs[name];
  return typeof value === "string" ? value : undefined;
}

/** A numeric attribute (numbers or numeric strings), or undefined. */
export function numberAttr(
  node: { attrs?: Record<string, unknown> },
  name: string,
): number | undefined {
  const attrs: unknown = node.attrs;
  if (!isRecord(attrs)) return undefined;
  const value = attrs[name];
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : undefined;
}

/** The node's text property when it is a string. */
export function textOf(node: AdfNode): string {
  return typeof node.text === "string" ? node.text : "";
}

/** All text under a node, concatenated without formatting (used for code blocks). */
export function plainText(node: AdfNode, depth = 0): string {
  if (depth > 64) return "";
  if (node.type === "hardBreak") return "\n";
  return (
    textOf(node) +
    childrenOf(node)
      .map((child) => plainText(child, depth + 1))
      .join("")
  );
}

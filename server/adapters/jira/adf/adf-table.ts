import { childrenOf, numberAttr, type AdfNode } from "./adf-node.js";
import type { AdfContext } from "./adf-inline.js";

/** Renders block content to markdown; injected to avoid a circular import. */
export type BlockRenderer = (nodes: AdfNode[], ctx: AdfContext) => string;

/** One cell's text on a single line, with pipes escaped so it cannot split the row. */
function cellText(cell: AdfNode, ctx: AdfContext, renderBlocks: BlockRenderer): string {
  const text = renderBlocks(childrenOf(cell), { depth: ctx.depth + 1, inTable: true });
  return text
    .replace(/\s*\n+\s*/g, " ")
    .replace(/\|/g, "\\|")
    .trim();
}

/**
 * Renders an ADF table as a GFM table. GFM needs a header row, so the first row is
 * used as the header whether or not Jira marked its cells as headers; merged cells
 * (colspan) are padded with empty cells so every row has the same width.
 */
export function renderTable(table: AdfNode, ctx: AdfContext, renderBlocks: BlockRenderer): string {
  const rows = childrenOf(table)
    .filter((row) => row.type === "tableRow")
    .map((row) =>
      childrenOf(row).flatMap((cell) => {
        const span = Math.max(1, Math.min(numberAttr(cell, "colspan") ?? 1, 50));
        return [cellText(cell, ctx, renderBlocks), ...Array<string>(span - 1).fill("")];
      }),
    );
  const width = Math.max(0, ...rows.map((row) => row.length));
  if (width === 0) return "";
  const line = (cells: string[]): string => {
    const padded = [...cells, ...Array<string>(width - cells.length).fill("")];
    return `| ${padded.join(" | ")} |`;
  };
  const [header = [], ...body] = rows;
  return [line(header), line(Array<string>(width).fill("---")), ...body.map(line)].join("\n");
}

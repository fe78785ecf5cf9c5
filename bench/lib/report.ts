import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { RESULTS_DIR } from "./paths.js";

/** One line of the results table. */
export interface Row {
  figure: string;
  measure: string;
  value: string;
  floor: string;
  ratio: string;
  target: string;
  /** Whether the target is met; null for a size or a figure without a target. */
  ok: boolean | null;
}

/** Formats milliseconds for the table. */
export function ms(value: number): string {
  return Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : "n/a";
}

/** Formats bytes for the table. */
export function bytes(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (Math.abs(value) >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(1)} MiB`;
  return `${(value / 1024).toFixed(1)} KiB`;
}

/** Formats a ratio. */
export function times(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a";
}

/** The results table as Markdown (printed, and pasted into the README). */
export function markdownTable(rows: readonly Row[]): string {
  const head = ["#", "Measure", "Value", "Floor", "Ratio", "Target", "Met"];
  const lines = rows.map((r) =>
    [
      r.figure,
      r.measure,
      r.value,
      r.floor,
      r.ratio,
      r.target,
      r.ok === null ? "" : r.ok ? "yes" : "**no**",
    ].join(" | "),
  );
  return [
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...lines.map((l) => `| ${l} |`),
  ].join("\n");
}

/** Where this machine stood during the run: absolute times only mean something with it. */
export function machine(): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryBytes: os.totalmem(),
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
    node: process.version,
  };
}

/** Writes the run's results to bench/results/<timestamp>.json; returns the file. */
export async function writeResults(stamp: string, results: unknown): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${stamp}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

import { execFile } from "node:child_process";
import path from "node:path";
import { TOKEN } from "./bench-env.js";
import { REPO_ROOT } from "./paths.js";
import { round } from "./stats.js";

/** autocannon's connections unless a load asks for others. */
export const LOAD_CONNECTIONS = 10;

/** One load test's latency under load. */
export interface LoadResult {
  name: string;
  path: string;
  p50: number;
  p99: number;
  requestsPerSecond: number;
}

interface AutocannonJson {
  latency: { p50: number; p99: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

/** Runs autocannon in its own process against one path of the server (127.0.0.1 only). */
export function load(
  url: string,
  pathname: string,
  seconds: number,
  rate: number | null = null,
  connections = LOAD_CONNECTIONS,
): Promise<Omit<LoadResult, "name" | "path">> {
  if (!new URL(url).hostname.startsWith("127.")) throw new Error("load only against 127.0.0.1");
  const cli = path.join(REPO_ROOT, "node_modules/autocannon/autocannon.js");
  const args = [
    cli,
    "--json",
    "-c",
    String(connections),
    "-d",
    String(seconds),
    "-H",
    `Authorization=Bearer ${TOKEN}`,
    ...(rate === null ? [] : ["--overallRate", String(rate)]),
    `${url}${pathname}`,
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(new Error(`autocannon failed: ${error.message}`));
      const out = JSON.parse(stdout) as AutocannonJson;
      // A server that answered nothing in the window (blocked) has no latency to report.
      if (out.requests.total === 0) {
        return reject(new Error(`${pathname}: no answer in ${seconds} s`));
      }
      if (out.non2xx > 0 || out.errors > 0) {
        return reject(
          new Error(`${pathname}: ${out.non2xx} non-2xx answers, ${out.errors} errors`),
        );
      }
      resolve({
        p50: out.latency.p50,
        p99: out.latency.p99,
        requestsPerSecond: round(out.requests.average),
      });
    });
  });
}

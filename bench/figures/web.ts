import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { TOKEN, type BenchEnv } from "../lib/bench-env.js";
import { CACHE_DIR, REPO_ROOT } from "../lib/paths.js";
import { median, round } from "../lib/stats.js";

/** A production build of the web app, made for the bench (dist/web is left alone). */
export interface WebBuild {
  dir: string;
  /** Files the first page load fetches before it can render: entry script, preloads, styles. */
  initialJs: string[];
  initialCss: string[];
}

/** Figure 6. */
export interface WebFigure {
  initialJs: string[];
  initialCss: string[];
  initialJsGzip: number;
  initialCssGzip: number;
  renders: number;
  firstPaintMs: number;
  ticketsRenderedMs: number;
}

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/** Builds the web app into bench/.cache/web (or reuses the last build with `reuse`). */
export async function buildWeb(reuse: boolean, log: (m: string) => void): Promise<WebBuild> {
  const dir = path.join(CACHE_DIR, "web");
  if (!(reuse && existsSync(path.join(dir, "index.html")))) {
    log("web: vite build…");
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          path.join(REPO_ROOT, "node_modules/vite/bin/vite.js"),
          "build",
          "--outDir",
          dir,
          "--emptyOutDir",
          "--logLevel",
          "warn",
        ],
        { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
        (error, _out, stderr) =>
          error ? reject(new Error(`vite build failed: ${stderr}`)) : resolve(),
      ),
    );
  }
  const html = await readFile(path.join(dir, "index.html"), "utf8");
  const attr = (re: RegExp) => [...html.matchAll(re)].map((m) => m[1] ?? "");
  return {
    dir,
    initialJs: [
      ...attr(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
      ...attr(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
    ],
    initialCss: attr(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g),
  };
}

async function gzipSize(dir: string, files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += gzipSync(await readFile(path.join(dir, file))).length;
  return total;
}

/**
 * Figure 6: the initial bundle's gzipped size, and the tickets page's first paint and
 * the moment its tickets are on screen, from navigation start, in a fresh (cold-cache)
 * headless Chromium context per load, against the local server.
 */
export async function measureWeb(
  env: BenchEnv,
  build: WebBuild,
  renders: number,
): Promise<WebFigure> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  const paints: number[] = [];
  const rendered: number[] = [];
  try {
    for (let i = 0; i <= renders; i++) {
      const context = await browser.newContext({
        extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` },
      });
      const page = await context.newPage();
      await page.goto(`${env.url}/`, { waitUntil: "commit" });
      await page.waitForFunction(() => document.body.innerText.includes("BENCH-1"), undefined, {
        polling: "raf",
        timeout: 30_000,
      });
      const times = await page.evaluate(() => ({
        now: performance.now(),
        fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN,
      }));
      await context.close();
      if (i === 0) continue; // the first load warms the server's and the browser's own start-up
      paints.push(times.fcp);
      rendered.push(times.now);
    }
  } finally {
    await browser.close();
  }
  return {
    initialJs: build.initialJs,
    initialCss: build.initialCss,
    initialJsGzip: await gzipSize(build.dir, build.initialJs),
    initialCssGzip: await gzipSize(build.dir, build.initialCss),
    renders,
    firstPaintMs: round(median(paints)),
    ticketsRenderedMs: round(median(rendered)),
  };
}

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults, ImpactValue, Result, RunOptions } from "axe-core";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
/**
 * The axe-core engine's browser bundle. It is evaluated through the DevTools protocol
 * rather than added as a <script>, so the app's Content-Security-Policy stays as served.
 */
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The WCAG 2.0, 2.1 and 2.2 success criteria at levels A and AA, plus axe's best practices. */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

/**
 * Rules outside those tags that the issue names: content outside landmarks (`region`) and
 * one main landmark, one h1 per page. They are axe "best practices", not WCAG criteria,
 * but they are what a screen reader user feels as "where am I".
 */
const EXTRA_RULES = ["region", "landmark-one-main", "landmark-unique", "page-has-heading-one"];

/** Violations of these impacts fail a test; "minor" ones are reported but tolerated. */
const FAILING_IMPACTS: ReadonlySet<ImpactValue> = new Set(["moderate", "serious", "critical"]);

/** One violation, trimmed to what a person fixing it needs. */
export interface A11yViolation {
  rule: string;
  impact: ImpactValue | null;
  help: string;
  /** How many elements violate it. */
  count: number;
  /** CSS selectors of the offending elements (at most five). */
  targets: string[];
  /** axe's explanation for the first element (e.g. the contrast ratio it measured). */
  summary: string;
}

function trim(result: Result): A11yViolation {
  return {
    rule: result.id,
    impact: result.impact ?? null,
    help: result.help,
    count: result.nodes.length,
    targets: result.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    summary: (result.nodes[0]?.failureSummary ?? "").replace(/\s+/g, " ").trim(),
  };
}

/**
 * Runs axe-core in the page as it is now, against WCAG 2.x A and AA, and returns the
 * violations that fail (moderate, serious, critical). axe is injected once per document.
 */
export async function auditPage(page: Page): Promise<A11yViolation[]> {
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    ([tags, extra]) => {
      const axe = (window as unknown as { axe: { run(c: Document, o: RunOptions): unknown } }).axe;
      return axe.run(document, {
        runOnly: { type: "tag", values: tags },
        rules: Object.fromEntries(extra.map((id) => [id, { enabled: true }])),
        resultTypes: ["violations"],
      });
    },
    [WCAG_TAGS, EXTRA_RULES] as const,
  );
  return (results as AxeResults).violations
    .filter((v) => v.impact != null && FAILING_IMPACTS.has(v.impact))
    .map(trim);
}

/** A readable list of violations: rule, impact, targets and what axe measured. */
export function formatViolations(where: string, violations: readonly A11yViolation[]): string {
  const lines = violations.map(
    (v) =>
      `  - ${v.rule} [${v.impact}] ${v.help}\n      on ${v.count} element(s): ${v.targets.join(" | ")}\n      ${v.summary}`,
  );
  return `${where}: ${violations.length} accessibility violation(s)\n${lines.join("\n")}`;
}

/**
 * Waits for the CSS transitions a scheme change starts (buttons fade their colours for
 * 120 ms): axe measures colours as they are, and a half-faded colour is no colour a person
 * reads. Endless animations (spinners) are not transitions and are not waited for.
 */
async function settleTransitions(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation instanceof CSSTransition)
        .map(
          // A cancelled transition rejects `finished`: it is over too.
          (animation) => animation.finished.catch(() => undefined),
        ),
    ),
  );
}

/** Which colour schemes each state is audited in. */
export const COLOR_SCHEMES = ["light", "dark"] as const;

/**
 * Audits the page in light and dark mode (emulating `prefers-color-scheme`) and returns
 * one readable entry per scheme that has violations; an empty list means clean. The page
 * is left in light mode.
 */
export async function auditBothSchemes(page: Page, where: string): Promise<string[]> {
  const problems: string[] = [];
  for (const scheme of COLOR_SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await settleTransitions(page);
    const violations = await auditPage(page);
    if (violations.length > 0) problems.push(formatViolations(`${where} (${scheme})`, violations));
  }
  await page.emulateMedia({ colorScheme: "light" });
  return problems;
}

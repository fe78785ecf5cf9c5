import { matchGlobs } from "./glob.js";

/**
 * Paths an agent's change may never touch unless the operator says otherwise: what CI
 * runs (any CI system's configuration, and the `scripts` npm runs), who must review
 * (CODEOWNERS), and how git itself reads the tree (`.gitattributes` can hide a file from
 * the diff the guard reads; `.gitmodules` points at other repositories). An entry
 * `glob#key` protects one top-level key of a JSON file rather than the whole file.
 */
export const DEFAULT_PROTECTED_PATHS: readonly string[] = [
  ".github/**",
  "CODEOWNERS",
  "**/CODEOWNERS",
  ".gitlab-ci.yml",
  ".circleci/**",
  "Jenkinsfile",
  ".buildkite/**",
  "azure-pipelines.yml",
  ".pre-commit-config.yaml",
  ".gitattributes",
  "**/.gitattributes",
  ".gitmodules",
  "**/package.json#scripts",
];

/** A protected-path entry split into its path glob and, for `glob#key`, the JSON key. */
export interface ProtectedRule {
  /** The entry as configured: what a refusal names. */
  rule: string;
  glob: string;
  /** A top-level JSON key: only a change to it is refused. Null protects the whole path. */
  jsonKey: string | null;
}

/** Splits `glob#key` entries. */
export function parseProtectedRules(entries: readonly string[]): ProtectedRule[] {
  return entries.map((rule) => {
    const hash = rule.lastIndexOf("#");
    if (hash <= 0) return { rule, glob: rule, jsonKey: null };
    return { rule, glob: rule.slice(0, hash), jsonKey: rule.slice(hash + 1) };
  });
}

/**
 * A repository's own list: the server's list widened by the repository's entries and
 * narrowed by its `!entry`s (which remove that exact entry). Order is kept so the first
 * matching rule is the one a refusal names.
 */
export function repositoryProtectedPaths(
  base: readonly string[],
  overrides: readonly string[] | undefined,
): string[] {
  if (overrides === undefined || overrides.length === 0) return [...base];
  const removed = new Set(overrides.filter((e) => e.startsWith("!")).map((e) => e.slice(1).trim()));
  const added = overrides.filter((e) => !e.startsWith("!")).map((e) => e.trim());
  return [...new Set([...base, ...added])].filter((e) => e !== "" && !removed.has(e));
}

/** The first whole-path rule a path matches, or null. */
export function wholePathRule(path: string, rules: readonly ProtectedRule[]): string | null {
  for (const rule of rules) {
    if (rule.jsonKey === null && matchGlobs(path, [rule.glob]) !== null) return rule.rule;
  }
  return null;
}

/** The JSON-key rules that apply to a path. */
export function jsonKeyRules(path: string, rules: readonly ProtectedRule[]): ProtectedRule[] {
  return rules.filter((r) => r.jsonKey !== null && matchGlobs(path, [r.glob]) !== null);
}

/**
 * Whether a directory (repository-relative, "" for the root) holds, or is, something a
 * whole-path rule protects: a symbolic link to it would reach protected files. Rules
 * that may match anywhere (`**\/CODEOWNERS`) are left out, or every folder would count.
 */
export function dirHoldsProtected(dir: string, rules: readonly ProtectedRule[]): string | null {
  const prefix = dir === "" ? "" : `${dir.toLowerCase()}/`;
  for (const rule of rules) {
    if (rule.jsonKey !== null) continue;
    const literal = staticPrefix(rule.glob).toLowerCase();
    if (literal === "") continue;
    if (prefix === "" || literal.startsWith(prefix)) return rule.rule;
  }
  return null;
}

/** The part of a glob before its first wildcard. */
function staticPrefix(glob: string): string {
  const clean = glob.trim().replace(/^\.\//, "").replace(/^\/+/, "");
  const wild = clean.search(/[*?{]/);
  return wild < 0 ? clean : clean.slice(0, wild);
}

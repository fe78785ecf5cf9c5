import { AppError } from "../app-error.js";
import type { StagedChange } from "../ports/workspaces.js";
import { fileViolations, unscanned, type PublishViolation } from "./file-rules.js";
import {
  DEFAULT_PROTECTED_PATHS,
  parseProtectedRules,
  repositoryProtectedPaths,
} from "./protected-paths.js";
import { findSecret } from "./secret-patterns.js";
import { parseUnifiedDiff } from "./unified-diff.js";

export { DEFAULT_PROTECTED_PATHS } from "./protected-paths.js";
export type { PublishViolation } from "./file-rules.js";

/** The largest diff pushed by default (500 KB): a bug fix is far smaller. */
export const DEFAULT_MAX_DIFF_BYTES = 500 * 1024;

/** What the guard checks before the server commits and pushes an agent's change. */
export interface PublishGuardPolicy {
  /**
   * Globs of repository paths a change may not add, modify or delete (a rename is both);
   * `glob#key` protects one top-level key of a JSON file.
   */
  protectedPaths: readonly string[];
  /** The largest change that may be pushed: UTF-8 bytes of the text diff plus binary blob sizes. */
  maxDiffBytes: number;
  /** The server's own secrets (tokens, keys); a change containing one is refused. */
  secretValues: readonly string[];
}

/** The policy used when the configuration gives none. */
export const DEFAULT_PUBLISH_GUARD_POLICY: PublishGuardPolicy = {
  protectedPaths: DEFAULT_PROTECTED_PATHS,
  maxDiffBytes: DEFAULT_MAX_DIFF_BYTES,
  secretValues: [],
};

/** A repository's own widening or narrowing of the protected paths (`protectedPaths` in the repositories file). */
export interface RepositoryGuardOverrides {
  protectedPaths?: readonly string[];
}

/**
 * Checks a staged change against the policy and returns every violation (empty when the
 * change may be pushed). The change comes from untrusted work: the agent read ticket
 * text anyone can write, so a prompt injection could ask it to weaken CI, add itself as
 * code owner, or copy a credential into the repository. The guard is the last line
 * before anything leaves the machine. Paths come from git's NUL-separated listing, never
 * from the text diff's headers, which git quotes and escapes.
 */
export function checkPublish(
  change: StagedChange,
  policy: Partial<PublishGuardPolicy> = {},
  repository: RepositoryGuardOverrides = {},
): PublishViolation[] {
  const rules = parseProtectedRules(
    repositoryProtectedPaths(
      policy.protectedPaths ?? DEFAULT_PROTECTED_PATHS,
      repository.protectedPaths,
    ),
  );
  const maxDiffBytes = policy.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES;
  const secretValues = policy.secretValues ?? [];
  const violations: PublishViolation[] = [];
  let bytes = Buffer.byteLength(change.diff, "utf8");
  for (const file of change.files) {
    violations.push(...fileViolations(file, rules));
    const pathSecret = findSecret(file.path, secretValues);
    if (pathSecret !== null) violations.push(secretViolation("(a file name)", pathSecret));
    if (!file.binary || file.status === "deleted") continue;
    // git prints "Binary files differ" for these: the bytes themselves are what is pushed.
    bytes += file.size;
    if (file.content === null) {
      violations.push(unscanned(file.path, "binary file"));
      continue;
    }
    const secret = findSecret(file.content.toString("latin1"), secretValues);
    if (secret !== null) violations.push(secretViolation(file.path, secret));
  }
  if (bytes > maxDiffBytes) {
    violations.unshift({
      kind: "diff_too_large",
      file: null,
      rule: "MAX_DIFF_BYTES",
      message: `the change is ${formatBytes(bytes)}, over the ${formatBytes(maxDiffBytes)} limit (MAX_DIFF_BYTES)`,
    });
  }
  for (const file of parseUnifiedDiff(change.diff)) {
    const name = file.newPath ?? file.oldPath ?? "(unknown file)";
    for (const line of file.added) {
      const secret = findSecret(line, secretValues);
      if (secret !== null) {
        violations.push(secretViolation(name, secret));
        break; // one finding per file is enough to refuse it
      }
    }
  }
  return violations;
}

/**
 * Throws `publish_refused` naming every violation (its path and rule) when the change
 * may not be pushed.
 *
 * @throws AppError `publish_refused` with the violations in `details`.
 */
export function assertPublishable(
  change: StagedChange,
  policy: Partial<PublishGuardPolicy> = {},
  repository: RepositoryGuardOverrides = {},
): void {
  const violations = checkPublish(change, policy, repository);
  if (violations.length === 0) return;
  throw new AppError(
    "publish_refused",
    `Patchboard refused to push this change: ${violations.map((v) => v.message).join("; ")}. Nothing was pushed; a person must make this change.`,
    { status: 422, details: violations },
  );
}

function secretViolation(file: string, secret: string): PublishViolation {
  return {
    kind: "secret",
    file,
    rule: secret,
    message: `${file} adds something that looks like a secret (${secret})`,
  };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

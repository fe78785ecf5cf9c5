import { AppError } from "../app-error.js";
import { matchGlobs } from "./glob.js";
import { findSecret } from "./secret-patterns.js";
import { parseUnifiedDiff, pathsOf } from "./unified-diff.js";

/** Paths an agent's change may never touch, unless the operator configures otherwise. */
export const DEFAULT_PROTECTED_PATHS: readonly string[] = [
  ".github/workflows/**",
  "CODEOWNERS",
  "**/CODEOWNERS",
  ".github/CODEOWNERS",
];

/** The largest diff pushed by default (500 KB): a bug fix is far smaller. */
export const DEFAULT_MAX_DIFF_BYTES = 500 * 1024;

/** What the guard checks before the server commits and pushes an agent's change. */
export interface PublishGuardPolicy {
  /** Globs of repository paths a change may not add, modify, delete or rename. */
  protectedPaths: readonly string[];
  /** The largest unified diff (in UTF-8 bytes) that may be pushed. */
  maxDiffBytes: number;
  /** The server's own secrets (tokens, keys); a diff containing one is refused. */
  secretValues: readonly string[];
}

/** The policy used when the configuration gives none. */
export const DEFAULT_PUBLISH_GUARD_POLICY: PublishGuardPolicy = {
  protectedPaths: DEFAULT_PROTECTED_PATHS,
  maxDiffBytes: DEFAULT_MAX_DIFF_BYTES,
  secretValues: [],
};

/** One reason a change may not be pushed. */
export interface PublishViolation {
  kind: "protected_path" | "diff_too_large" | "secret";
  /** The file concerned, when there is one. */
  file: string | null;
  /** For people; never contains the matched secret. */
  message: string;
}

/**
 * Checks a unified diff against the policy and returns every violation (empty when the
 * change may be pushed). The diff comes from untrusted work: the agent read ticket text
 * anyone can write, so a prompt injection could ask it to weaken CI, add itself as code
 * owner, or copy a credential into the repository. The guard is the last line before
 * anything leaves the machine.
 */
export function checkPublish(
  diff: string,
  policy: Partial<PublishGuardPolicy> = {},
): PublishViolation[] {
  const protectedPaths = policy.protectedPaths ?? DEFAULT_PROTECTED_PATHS;
  const maxDiffBytes = policy.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES;
  const secretValues = policy.secretValues ?? [];
  const violations: PublishViolation[] = [];
  const bytes = Buffer.byteLength(diff, "utf8");
  if (bytes > maxDiffBytes) {
    violations.push({
      kind: "diff_too_large",
      file: null,
      message: `the diff is ${formatBytes(bytes)}, over the ${formatBytes(maxDiffBytes)} limit (MAX_DIFF_BYTES)`,
    });
  }
  for (const file of parseUnifiedDiff(diff)) {
    for (const path of pathsOf(file)) {
      const glob = matchGlobs(path, protectedPaths);
      if (glob !== null) {
        violations.push({
          kind: "protected_path",
          file: path,
          message: `${path} is a protected path (${glob})`,
        });
      }
    }
    const name = file.newPath ?? file.oldPath ?? "(unknown file)";
    for (const line of file.added) {
      const secret = findSecret(line, secretValues);
      if (secret !== null) {
        violations.push({
          kind: "secret",
          file: name,
          message: `${name} adds something that looks like a secret (${secret})`,
        });
        break; // one finding per file is enough to refuse it
      }
    }
  }
  return violations;
}

/**
 * Throws `publish_refused` naming every violation when the diff may not be pushed.
 *
 * @throws AppError `publish_refused` with the violations in `details`.
 */
export function assertPublishable(diff: string, policy: Partial<PublishGuardPolicy> = {}): void {
  const violations = checkPublish(diff, policy);
  if (violations.length === 0) return;
  throw new AppError(
    "publish_refused",
    `Patchboard refused to push this change: ${violations.map((v) => v.message).join("; ")}. Nothing was pushed; a person must make this change.`,
    { status: 422, details: violations },
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

/** The publish guard: what an agent's change must pass before the server pushes it. */
export {
  DEFAULT_MAX_DIFF_BYTES,
  DEFAULT_PROTECTED_PATHS,
  DEFAULT_PUBLISH_GUARD_POLICY,
  assertPublishable,
  checkPublish,
  type PublishGuardPolicy,
  type PublishViolation,
  type RepositoryGuardOverrides,
} from "./publish-guard.js";
export { repositoryProtectedPaths } from "./protected-paths.js";
export { globToRegExp, matchGlobs } from "./glob.js";
export { SECRET_PATTERNS, findSecret } from "./secret-patterns.js";
export { parseUnifiedDiff, type DiffFile } from "./unified-diff.js";

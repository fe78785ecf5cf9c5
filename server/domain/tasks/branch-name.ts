/** The prefix of every branch the server creates and the only one it will push. */
export const BRANCH_PREFIX = "codex/";

const MAX_SLUG_LENGTH = 40;

/**
 * The branch a ticket's fix goes on: `codex/<ticket-key-lowercase>-<slug>`, e.g.
 * `codex/calc-12-division-by-zero-crashes`. The slug keeps only `[a-z0-9-]`, so the
 * name always passes `git check-ref-format` (no `..`, `@{`, spaces, trailing `.lock`…).
 */
export function fixBranchName(ticketKey: string, summary: string): string {
  const key = slugify(ticketKey) || "task";
  const slug = truncateAtWord(slugify(summary), MAX_SLUG_LENGTH);
  return slug ? `${BRANCH_PREFIX}${key}-${slug}` : `${BRANCH_PREFIX}${key}`;
}

/** Cuts a slug to `max` characters, at a hyphen when that keeps at least half of it. */
function truncateAtWord(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const lastHyphen = cut.lastIndexOf("-");
  return (lastHyphen >= max / 2 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/, "");
}

/** Lower-case ASCII words joined by single hyphens; accents are folded, everything else dropped. */
function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The branch of a free-form task: `codex/task-<first 8 characters of its id>`. */
export function promptBranchName(taskId: string): string {
  return `${BRANCH_PREFIX}task-${taskId.slice(0, 8)}`;
}

/** Makes a branch name unique among those already used, by suffixing `-2`, `-3`, … */
export function uniqueBranch(branch: string, taken: ReadonlySet<string>): string {
  if (!taken.has(branch)) return branch;
  for (let n = 2; ; n += 1) {
    const candidate = `${branch}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

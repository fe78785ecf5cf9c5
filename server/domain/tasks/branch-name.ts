/**
 * The branch of a fix: `codex/<ticket-key>-<slug of the summary>`, lower-case and safe
 * for `git check-ref-format`. Only the server creates `codex/*` branches.
 */
export function fixBranchName(ticketKey: string, summary: string): string {
  const slug = summary
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  const key = ticketKey.toLowerCase();
  return slug ? `codex/${key}-${slug}` : `codex/${key}`;
}

/** The branch of a free-form task: `codex/task-<first 8 characters of its id>`. */
export function promptBranchName(taskId: string): string {
  return `codex/task-${taskId.slice(0, 8)}`;
}

/** Makes a branch name unique among those already used, by suffixing `-2`, `-3`, … */
export function uniqueBranch(branch: string, taken: ReadonlySet<string>): string {
  if (!taken.has(branch)) return branch;
  for (let n = 2; ; n += 1) {
    const candidate = `${branch}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Long enough for any Jira summary (255 at most in practice) to read well in a list. */
export const TITLE_MAX_LENGTH = 200;

/**
 * A task's one-line title for lists: the ticket's summary when it has one, else the first
 * non-blank line of its prompt, whitespace collapsed and cut at {@link TITLE_MAX_LENGTH}.
 */
export function taskTitle(task: {
  ticketSnapshot: { summary: string } | null;
  prompt: string | null;
}): string {
  const source =
    task.ticketSnapshot?.summary ??
    (task.prompt ?? "").split("\n").find((line) => line.trim() !== "") ??
    "";
  const line = source.replace(/\s+/g, " ").trim();
  return line.length <= TITLE_MAX_LENGTH ? line : `${line.slice(0, TITLE_MAX_LENGTH - 1)}…`;
}

import type { FakeIssueSeed, FakeJira } from "../fake-jira/index.js";
import { persistOnChange, readStateFile, writeStateFile } from "./state-file.js";

/**
 * Keeps the sandbox Jira's state in a JSON file, so comments Patchboard posted and ticket
 * moves survive a restart like the tasks in the database do. The fake Jira itself is
 * in-memory: its state is read back as seeds and replayed at the next start.
 */

/** Reads the saved tickets, or null when there are none (first start or after a reset). */
export async function loadJiraState(file: string): Promise<FakeIssueSeed[] | null> {
  const parsed = (await readStateFile(file)) as {
    version?: number;
    issues?: FakeIssueSeed[];
  } | null;
  if (parsed === null) return null;
  if (parsed.version !== 1 || !Array.isArray(parsed.issues)) {
    throw new Error(`${file} is not a sandbox Jira state file; run npm start -- --reset`);
  }
  return parsed.issues;
}

/** The current state of the given tickets, as seeds that recreate it. */
export function snapshotIssues(jira: FakeJira, keys: readonly string[]): FakeIssueSeed[] {
  return keys.flatMap((key) => {
    const issue = jira.issue(key);
    if (issue === undefined) return [];
    return [
      {
        key: issue.key,
        summary: issue.summary,
        description: issue.description,
        status: issue.status,
        priority: issue.priority,
        assignee: issue.assignee,
        reporter: issue.reporter,
        labels: issue.labels,
        issuetype: issue.issuetype,
        created: issue.created,
        updated: issue.updated,
        comments: issue.comments.map((c) => ({
          author: c.author,
          body: c.body,
          created: c.created,
        })),
        ...(issue.transitions ? { transitions: issue.transitions } : {}),
      },
    ];
  });
}

/** Writes the state atomically (a crash mid-write leaves the previous file). */
export async function saveJiraState(file: string, issues: FakeIssueSeed[]): Promise<void> {
  await writeStateFile(file, { version: 1, issues });
}

const CHANGES = /\/(comment|transitions)$/;

/**
 * Saves the Jira state whenever the API changed something (a write request arrived),
 * checking every `intervalMs`; `stop()` saves one last time.
 */
export function persistJira(
  jira: FakeJira,
  keys: readonly string[],
  file: string,
  onError: (error: unknown) => void,
  intervalMs = 1000,
): { stop(): Promise<void> } {
  return persistOnChange({
    requests: jira.requests,
    // Searches are POSTs too; only comments and transitions change a ticket.
    changed: (r) => r.method === "POST" && r.status < 400 && CHANGES.test(r.path),
    save: () => saveJiraState(file, snapshotIssues(jira, keys)),
    onError,
    intervalMs,
  });
}

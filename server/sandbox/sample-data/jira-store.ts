import { readFile, rename, writeFile } from "node:fs/promises";
import type { FakeIssueSeed, FakeJira } from "../fake-jira/index.js";

/**
 * Keeps the sandbox Jira's state in a JSON file, so comments Patchboard posted and ticket
 * moves survive a restart like the tasks in the database do. The fake Jira itself is
 * in-memory: its state is read back as seeds and replayed at the next start.
 */

/** Reads the saved tickets, or null when there are none (first start or after a reset). */
export async function loadJiraState(file: string): Promise<FakeIssueSeed[] | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const parsed = JSON.parse(text) as { version?: number; issues?: FakeIssueSeed[] };
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
  const tmp = `${file}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ version: 1, issues }, null, 2)}\n`);
  await rename(tmp, file);
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
  let seen = jira.requests.length;
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    saving = saving.then(() => saveJiraState(file, snapshotIssues(jira, keys))).catch(onError);
    return saving;
  };
  const timer = setInterval(() => {
    const fresh = jira.requests.slice(seen);
    seen = jira.requests.length;
    // Searches are POSTs too; only comments and transitions change a ticket.
    if (fresh.some((r) => r.method === "POST" && r.status < 400 && CHANGES.test(r.path))) {
      void save();
    }
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await save();
    },
  };
}

import { pino } from "pino";
import { createJiraTracker, type JiraTrackerOptions } from "../../server/adapters/jira/index.js";
import type { IssueTracker } from "../../server/domain/ports/issue-tracker.js";
import type {
  FakeIssueSeed,
  FakeJira,
  FakeJiraCredentials,
  FakeJiraFlavor,
} from "../../server/sandbox/fake-jira/index.js";

/** Credentials the fake accepts, per flavor. */
export const CLOUD_CREDENTIALS = { email: "bot@example.com", apiToken: "cloud-secret-token" };
/** Data Center personal access token. */
export const DC_CREDENTIALS = { pat: "dc-secret-pat" };

/** The credentials for a flavor, as the fake wants them. */
export function credentialsFor(flavor: FakeJiraFlavor): FakeJiraCredentials {
  return flavor === "cloud" ? CLOUD_CREDENTIALS : DC_CREDENTIALS;
}

/** The configured JQL used by most tests: bugs not done, highest priority first. */
export const DEFAULT_JQL =
  "issuetype = Bug AND statusCategory != Done ORDER BY priority DESC, key ASC";

/**
 * A small project: five open CALC bugs of distinct priorities, one done, one task,
 * and one bug in another project.
 */
export function seedIssues(): FakeIssueSeed[] {
  return [
    {
      key: "CALC-1",
      summary: "Division by zero crashes",
      priority: "Highest",
      updated: "2024-03-01T10:00:00Z",
    },
    {
      key: "CALC-2",
      summary: 'Error says "undefined" on empty input',
      priority: "High",
      assignee: "Ada Lovelace",
    },
    {
      key: "CALC-3",
      summary: "Rounding is off by one",
      priority: "Medium",
      labels: ["math", "rounding"],
    },
    { key: "CALC-4", summary: "Negative numbers render (sometimes) wrong", priority: "Low" },
    {
      key: "CALC-5",
      summary: "Slow when pasting large numbers",
      priority: "Lowest",
      reporter: "Grace Hopper",
    },
    { key: "CALC-6", summary: "Already fixed crash", status: "Done", priority: "Highest" },
    { key: "CALC-7", summary: "Write release notes", issuetype: "Task", priority: "High" },
    { key: "WEB-1", summary: "Login button misaligned", priority: "Medium" },
  ];
}

/** A logger that writes nothing. */
export const silentLogger = pino({ level: "silent" });

/** A tracker wired to a fake, with instant retries whose waits are recorded. */
export interface TrackerHarness {
  tracker: IssueTracker;
  /** The waits between retries, in ms, as requested of `sleep`. */
  sleeps: number[];
}

/** Creates the real adapter against a running fake, with fast, recorded retries. */
export function trackerFor(
  fake: FakeJira,
  overrides: Partial<JiraTrackerOptions> = {},
): TrackerHarness {
  const sleeps: number[] = [];
  const auth: JiraTrackerOptions["auth"] =
    fake.flavor === "cloud"
      ? { kind: "basic", email: CLOUD_CREDENTIALS.email, apiToken: CLOUD_CREDENTIALS.apiToken }
      : { kind: "bearer", pat: DC_CREDENTIALS.pat };
  const tracker = createJiraTracker({
    baseUrl: fake.url,
    auth,
    jql: DEFAULT_JQL,
    logger: silentLogger,
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 5_000 },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...overrides,
  });
  return { tracker, sleeps };
}

/** Runs a promise expected to reject, returning what it rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

import type { User } from "../../../shared/user.js";

/**
 * The people of the sandbox: who one can sign in as, and the names that appear on the
 * sample tickets and commits. All addresses use the reserved `.test` domain.
 */

/** The sandbox's sign-in personas, one per role. */
export const SANDBOX_PERSONAS: readonly User[] = [
  { email: "pat@acme.test", name: "Pat Morgan", role: "pm" },
  { email: "eve@acme.test", name: "Eve Martin", role: "engineer" },
  { email: "ada@acme.test", name: "Ada Brooks", role: "admin" },
];

/** The engineer's GitHub login: asked to review every sandbox pull request. */
export const ENGINEER_GITHUB_LOGIN = "eve-martin";

/** Everyone with access to the sample repository on the built-in GitHub. */
export const SAMPLE_COLLABORATORS = [ENGINEER_GITHUB_LOGIN, "raj-patel", "lena-fischer"];

/** Display names on the sample tickets (Jira shows display names, not logins). */
export const JIRA_PEOPLE = {
  pat: "Pat Morgan",
  eve: "Eve Martin",
  raj: "Raj Patel",
  lena: "Lena Fischer",
  sam: "Sam Ortiz",
  nina: "Nina Okafor",
} as const;

/** Authors of the sample repository's history. */
export const GIT_AUTHORS = {
  eve: { name: "Eve Martin", email: "eve@acme.test" },
  raj: { name: "Raj Patel", email: "raj@acme.test" },
  lena: { name: "Lena Fischer", email: "lena@acme.test" },
} as const;

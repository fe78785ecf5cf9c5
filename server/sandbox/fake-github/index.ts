/** A fake GitHub REST API for tests and the sandbox demo. */
export {
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions,
  type FakeRepoConfig,
} from "./fake-github.js";
export type { FakeComment, FakePullRequest, RecordedRequest } from "./store.js";
export type { FakeGitHubState } from "./saved-state.js";
export { escapeHtml } from "./html-page.js";
export type { FakeDelivery } from "./webhook-sender.js";
export type { NewCheckRun } from "./checks-store.js";

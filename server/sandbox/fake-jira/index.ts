/**
 * A fake Jira (Cloud or Data Center) over real HTTP, for integration tests and the
 * sandbox demo.
 */
export {
  startFakeJira,
  type FakeCommentView,
  type FakeJira,
  type FakeJiraOptions,
} from "./fake-jira-server.js";
export type {
  FakeAdfDocument,
  FakeCommentSeed,
  FakeIssue,
  FakeIssueSeed,
  FakeJiraCredentials,
  FakeJiraFlavor,
  FakeJiraRequest,
  FakeRichText,
  FakeTransitionSeed,
} from "./fake-jira-types.js";

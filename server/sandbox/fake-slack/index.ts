/** A fake Slack incoming webhook for tests and the sandbox demo. */
export { startFakeSlack, type FakeSlack, type FakeSlackOptions } from "./fake-slack.js";

import { createHmac } from "node:crypto";
import type { HooksConfig } from "../../server/config/app-config.js";
import type { Script } from "../../server/sandbox/scripted-model/index.js";
import { SUM_ANALYSIS } from "./pipeline-fixtures.js";
import { SUM_FIX_PATCH } from "./codex-fixtures.js";

/** Signs a body the way GitHub (`X-Hub-Signature-256`) and Jira (`X-Hub-Signature`) do. */
export function hubSignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * The after-PR suites' webhook settings: GitHub's deliveries signed with `githubSecret`,
 * one automatic CI round, no polling (the webhooks drive everything); Jira's as given.
 */
export function afterPrHooks(
  githubSecret: string,
  jira: { secret: string | null; transitionOnMerge: string | null } = {
    secret: null,
    transitionOnMerge: null,
  },
): HooksConfig {
  return {
    githubWebhookSecret: githubSecret,
    githubMention: "@patchboard",
    ciFixMaxRounds: 1,
    reviewMaxRounds: 5,
    githubPollIntervalMs: 0,
    jiraWebhookSecret: jira.secret,
    jiraTriggerLabel: "patchboard-fix",
    jiraTransitionOnMerge: jira.transitionOnMerge,
  };
}

const addFile = (file: string, line: string) =>
  ["*** Begin Patch", `*** Add File: ${file}`, `+${line}`, "*** End Patch"].join("\n");

/**
 * The scripted agent for the after-the-pull-request loop: its first fix is incomplete
 * (a note, the tests still fail: a draft), a CI round fixes sum(), a review round adds
 * a regression test.
 */
export function afterPrScript(ticketKey: string): Script {
  return {
    name: `after-pr-${ticketKey}`,
    match: (ctx) => ctx.userMessages.some((m) => m.includes(ticketKey)),
    turns: [
      { match: /Step 1 of 2/, steps: [{ kind: "json", value: SUM_ANALYSIS }] },
      {
        match: /Step 2 of 2/,
        steps: [
          { kind: "patch", patch: addFile("NOTES.md", "sum() needs a look") },
          { kind: "shell", command: "npm test" },
          { kind: "message", text: "Wrote a note; npm test still fails." },
        ],
      },
      {
        match: /The checks on your pull request failed/,
        steps: [
          { kind: "patch", patch: SUM_FIX_PATCH },
          { kind: "shell", command: "npm test" },
          { kind: "message", text: "sum() now adds; npm test passes." },
        ],
      },
      {
        match: /asked for changes on your pull request/,
        steps: [
          {
            kind: "patch",
            patch: addFile(
              "test/negatives.test.js",
              'import { test } from "node:test"; import assert from "node:assert/strict"; import { sum } from "../src/sum.js"; test("negatives", () => assert.equal(sum(-2, -3), -5));',
            ),
          },
          { kind: "shell", command: "npm test" },
          { kind: "message", text: "Added the regression test the reviewer asked for." },
        ],
      },
    ],
  };
}

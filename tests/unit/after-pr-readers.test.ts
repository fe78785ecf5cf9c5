import { mentions } from "../../server/domain/after-pr/github-event.js";
import { readJiraWebhook } from "../../server/domain/after-pr/jira-trigger.js";
import { validHubSignature } from "../../server/http/webhook-signature.js";
import { hubSignature } from "../support/after-pr-fixtures.js";

describe("validHubSignature", () => {
  const body = Buffer.from('{"a":1}');
  it("accepts exactly the HMAC of the raw body under the secret", () => {
    expect(validHubSignature("s3cret", body, hubSignature("s3cret", '{"a":1}'))).toBe(true);
    expect(validHubSignature("s3cret", body, hubSignature("other", '{"a":1}'))).toBe(false);
    expect(validHubSignature("s3cret", body, hubSignature("s3cret", '{"a": 1}'))).toBe(false);
    expect(validHubSignature("s3cret", body, undefined)).toBe(false);
    expect(validHubSignature(null, body, hubSignature("", '{"a":1}'))).toBe(false);
  });
});

describe("mentions", () => {
  it("finds the mention as a whole word only", () => {
    expect(mentions("please @patchboard fix this", "@patchboard")).toBe(true);
    expect(mentions("@Patchboard, again", "@patchboard")).toBe(true);
    expect(mentions("ask @patchboards", "@patchboard")).toBe(false);
    expect(mentions("mail bob@patchboard.dev", "@patchboard")).toBe(false);
  });
});

describe("readJiraWebhook", () => {
  const base = {
    user: { emailAddress: "ada@acme.test" },
    issue: { key: "CALC-1", fields: { labels: ["x", "patchboard-fix"] } },
  };
  it("starts on a created issue with the label or an update that adds it, and nothing else", () => {
    expect(
      readJiraWebhook({ ...base, webhookEvent: "jira:issue_created" }, "patchboard-fix"),
    ).toEqual({
      trigger: { ticketKey: "CALC-1", by: "ada@acme.test" },
    });
    const update = (fromString: string, toString: string) => ({
      ...base,
      webhookEvent: "jira:issue_updated",
      changelog: { items: [{ field: "labels", fromString, toString }] },
    });
    expect(readJiraWebhook(update("x", "x patchboard-fix"), "patchboard-fix")).toHaveProperty(
      "trigger",
    );
    expect(readJiraWebhook(update("patchboard-fix", "patchboard-fix x"), "patchboard-fix")).toEqual(
      {
        ignored: "the label was not added",
      },
    );
    expect(() =>
      readJiraWebhook({ webhookEvent: "jira:issue_updated" }, "patchboard-fix"),
    ).toThrow();
  });
});

import { Redactor } from "../../server/domain/redaction/index.js";

const SECRET = "jira-api-token-value-42";
const CONFIGURED = "[redacted: the server's own configured secret]";
const SPECIAL = "p@ss w/ord+xyz";
const redactor = new Redactor([SECRET, SPECIAL, "short"]);

describe("the redactor", () => {
  it.each([
    ["as is", `token=${SECRET};`],
    ["URL-encoded", `https://x.test/?p=${encodeURIComponent(SPECIAL)}&q=1`],
    ["hex", Buffer.from(SECRET).toString("hex")],
    ["HEX", Buffer.from(SECRET).toString("hex").toUpperCase()],
    ["base64 at offset 0", Buffer.from(SECRET).toString("base64")],
    ["base64 at offset 1", Buffer.from(`x${SECRET}`).toString("base64")],
    ["base64 at offset 2", Buffer.from(`xy:${SECRET}!`).toString("base64")],
    ["base64url", Buffer.from(`ab${SECRET}??>`).toString("base64url")],
  ])("removes a configured value %s", (_form, text) => {
    const { value, found } = redactor.text(text);
    expect(value).toContain(CONFIGURED);
    expect(found).toEqual(["the server's own configured secret"]);
    expect(value).not.toContain(SECRET);
    expect(value).not.toContain(encodeURIComponent(SPECIAL));
  });

  it("removes secret-shaped strings, a private key up to its END line", () => {
    const key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\ndef==\n-----END RSA PRIVATE KEY-----";
    const { value, found } = redactor.text(`a ghp_${"x1".repeat(20)} b\n${key}\nafter`);
    expect(value).toBe("a [redacted: GitHub token] b\n[redacted: private key]\nafter");
    expect(found).toEqual(["GitHub token", "private key"]);
  });

  it("walks objects and arrays, and leaves clean values as they were", () => {
    const input = { a: [`x ${SECRET}`, 3, null], b: { c: "fine" } };
    expect(redactor.value(input)).toEqual({
      value: { a: [`x ${CONFIGURED}`, 3, null], b: { c: "fine" } },
      found: ["the server's own configured secret"],
    });
    const clean = { a: "short words", n: 1 };
    expect(redactor.value(clean)).toEqual({ value: clean, found: [] });
  });
});

import { Writable } from "node:stream";
import { createLogger, scrub } from "../../server/logger.js";
import { TaskSchema } from "../../shared/index.js";
import { TOKENS, appHarness } from "../support/app-harness.js";
import { analysisJson } from "../support/fakes/domain-harness.js";

/** Collects every line the logger writes. */
function memoryLog() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

const SESSION_SECRET = "log-scan-session-secret-0123456789abcdef";
const WRONG_TOKEN = "wrong-bearer-token-presented-0123456789";
const CSRF = { "X-Patchboard-CSRF": "1" };

describe("secrets never reach the logs", () => {
  it("a full fix run, follow-up, cancel and retry logs none of the configured secrets", async () => {
    const log = memoryLog();
    // Path-based redaction only (no value scrubbing), to prove the paths are enough.
    const logger = createLogger({ level: "trace", destination: log.destination });
    const h = await appHarness({ logger, auth: { sessionSecret: SESSION_SECRET } });
    try {
      h.tracker.add({ key: "CALC-1", summary: "Totals are wrong" });
      h.agent.script(
        { final: analysisJson() },
        {
          writes: { "src/add.js": "export const add = (a, b) => a + b;" },
          commands: [{ command: "bash -lc 'npm test'", exitCode: 0 }],
          final: "Changed - to + in add().",
        },
        { writes: { "src/add.test.js": "test('adds', () => {});" }, final: "Added a test." },
      );

      // A browser session (cookie) and every kind of bearer call.
      const login = await h.request
        .post("/api/auth/dev-login")
        .set(CSRF)
        .send({ email: "eve@acme.test" })
        .expect(200);
      const cookie = String(login.headers["set-cookie"]).split(";")[0] ?? "";
      const sessionValue = cookie.split("=")[1] ?? "";
      expect(sessionValue.length).toBeGreaterThan(20);
      await h.request.get("/api/me").set("Cookie", cookie).expect(200);
      await h.request.get("/api/tickets").set("Authorization", `Bearer ${WRONG_TOKEN}`).expect(401);

      const created = await h.as("pm").post("/api/tasks").send({ ticketKey: "CALC-1" }).expect(202);
      const id = TaskSchema.parse(created.body.task).id;
      await h.runner.idle();
      await h.request
        .post(`/api/tasks/${id}/messages`)
        .set("Cookie", cookie)
        .set(CSRF)
        .send({ message: "Please add a test" })
        .expect(202);
      await h.runner.idle();
      await h
        .as("admin")
        .get(`/api/tasks/${id}/events`)
        .set("Accept", "application/json")
        .expect(200);
      await h.as("engineer").get(`/api/tasks/${id}/diff`).expect(200);
      await h.as("admin").get("/api/tasks/export.csv").expect(200);
      await h.as("pm").post(`/api/tasks/${id}/cancel`).send({});
      await h.as("pm").post(`/api/tasks/${id}/retry`).send({});
      await h.runner.idle();
      await h.request.post("/api/auth/logout").set("Cookie", cookie).set(CSRF).expect(204);

      const task = TaskSchema.parse(
        (await h.as("pm").get(`/api/tasks/${id}`).expect(200)).body.task,
      );
      expect(task.pullRequest).not.toBeNull();

      const output = log.lines.join("\n");
      // The scan means something: requests, their headers and the task's run were logged.
      expect(log.lines.length).toBeGreaterThan(15);
      expect(output).toContain('"authorization":"[redacted]"');
      expect(output).toContain('"cookie":"[redacted]"');
      expect(output).toContain("task started");
      for (const secret of [...Object.values(TOKENS), WRONG_TOKEN, sessionValue, SESSION_SECRET]) {
        expect(output, "a secret reached the log").not.toContain(secret);
      }
    } finally {
      await h.close();
    }
  });

  it("redacts credentials in upstream errors and fields named like secrets", () => {
    const log = memoryLog();
    const logger = createLogger({ level: "info", destination: log.destination });
    const upstream = Object.assign(new Error("Request failed with status code 401"), {
      config: { headers: { Authorization: "Basic amlyYTpqaXJhLXRva2Vu" } },
      options: { auth: { user: "bot", pass: "jira-api-token-123456" } },
    });
    logger.error({ err: upstream }, "jira failed");
    logger.info({ clientSecret: "oidc-client-secret-123", data: { apiKey: "sk-abc-123456" } }, "x");
    const output = log.lines.join("\n");
    for (const secret of [
      "amlyYTpqaXJhLXRva2Vu",
      "jira-api-token-123456",
      "oidc-client-secret-123",
      "sk-abc-123456",
    ]) {
      expect(output).not.toContain(secret);
    }
  });

  it("scrubs configured secret values from any line as a last resort", () => {
    const log = memoryLog();
    const secret = "ghs_configuredSecretValue0000000000";
    const logger = createLogger({ destination: log.destination, secrets: [secret, "short"] });
    logger.warn(
      { url: `https://x-access-token:${secret}@github.com/acme/calc.git` },
      "push failed",
    );
    logger.error(new Error(`git failed: ${secret}`), "git failed");
    const output = log.lines.join("\n");
    expect(output).not.toContain(secret);
    expect(output).toContain("[redacted]");
    expect(output).toContain("git failed"); // the fixed message stays
    expect(scrub('{"a":"short"}', ["short"])).toBe('{"a":"[redacted]"}');
  });
});

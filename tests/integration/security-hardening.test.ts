import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CONTENT_SECURITY_POLICY } from "../../server/http/middleware/security-headers.js";
import { ErrorBodySchema } from "../../shared/index.js";
import { appHarness } from "../support/app-harness.js";

type Harness = Awaited<ReturnType<typeof appHarness>>;
let h: Harness;

beforeEach(async () => {
  h = await appHarness({ security: { taskRateLimitPerMinute: 2, trustProxy: ["loopback"] } });
  h.tracker.add({ key: "CALC-1", summary: "Totals are wrong" });
  h.tracker.add({ key: "CALC-2", summary: "Rounding" });
  h.tracker.add({ key: "CALC-3", summary: "Overflow" });
});
afterEach(async () => {
  await h.close();
});

function code(body: unknown): string {
  return ErrorBodySchema.parse(body).error.code;
}

async function devSession(): Promise<string> {
  const res = await h.request
    .post("/api/auth/dev-login")
    .set("X-Patchboard-CSRF", "1")
    .send({ email: "pat@acme.test" })
    .expect(200);
  return String(res.headers["set-cookie"]).split(";")[0] ?? "";
}

describe("CSRF", () => {
  it("refuses cookie-authenticated changes without the header, from another origin or site", async () => {
    const cookie = await devSession();
    const post = () => h.request.post("/api/tasks").set("Cookie", cookie);
    expect(code((await post().send({ ticketKey: "CALC-1" }).expect(403)).body)).toBe("forbidden");
    await post()
      .set("X-Patchboard-CSRF", "1")
      .set("Origin", "https://evil.example")
      .send({ ticketKey: "CALC-1" })
      .expect(403);
    await post()
      .set("X-Patchboard-CSRF", "1")
      .set("Sec-Fetch-Site", "cross-site")
      .send({ ticketKey: "CALC-1" })
      .expect(403);
    await post().set("X-Patchboard-CSRF", "1").set("Origin", "null").send({}).expect(403);
    expect(await h.store.list({ limit: 10 })).toMatchObject({ tasks: [] });
    // Same origin with the header: accepted.
    await post()
      .set("X-Patchboard-CSRF", "1")
      .set("Host", "patchboard.acme.test")
      .set("Origin", "https://patchboard.acme.test")
      .set("Sec-Fetch-Site", "same-origin")
      .send({ ticketKey: "CALC-1" })
      .expect(202);
    // Reads need nothing.
    await h.request.get("/api/tasks").set("Cookie", cookie).expect(200);
  });

  it("protects sign-in and sign-out too (login CSRF), but not bearer-token calls", async () => {
    await h.request.post("/api/auth/dev-login").send({ email: "pat@acme.test" }).expect(403);
    const cookie = await devSession();
    await h.request.post("/api/auth/logout").set("Cookie", cookie).expect(403);
    await h.as("pm").post("/api/tasks").send({ ticketKey: "CALC-2" }).expect(202);
  });
});

describe("security headers", () => {
  it("sends a strict Content-Security-Policy and the helmet headers", async () => {
    const res = await h.request.get("/api/health").expect(200);
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(res.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("the built web app needs nothing the policy forbids (no inline script or style)", () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "patchboard-csp-"));
    execFileSync("npx", ["vite", "build", "--outDir", out, "--emptyOutDir"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      stdio: "pipe",
    });
    const html = readFileSync(path.join(out, "index.html"), "utf8");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = "", body = ""] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\/[^"]+\.js"/); // same origin
      expect(body.trim()).toBe(""); // no inline code
    }
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    // Images are same-origin or data: (the favicon), which img-src allows.
    expect(CONTENT_SECURITY_POLICY["img-src"]).toContain("data:");
    const js = readdirSync(path.join(out, "assets")).filter((f) => f.endsWith(".js"));
    for (const file of js) {
      const text = readFileSync(path.join(out, "assets", file), "utf8");
      expect(text, file).not.toContain("dangerouslySetInnerHTML:");
      expect(text, file).not.toMatch(/\beval\(/);
    }
  });
});

describe("limits", () => {
  it("refuses bodies over 100 KB with 413 payload_too_large", async () => {
    const res = await h
      .as("engineer")
      .post("/api/codex/task")
      .send({ prompt: "x".repeat(150_000), repo: "acme/calc" })
      .expect(413);
    expect(code(res.body)).toBe("payload_too_large");
  });

  it("rate-limits starting tasks per user with 429 rate_limited", async () => {
    await h.as("pm").post("/api/tasks").send({ ticketKey: "CALC-1" }).expect(202);
    await h.as("pm").post("/api/tasks").send({ ticketKey: "CALC-2" }).expect(202);
    const limited = await h.as("pm").post("/api/tasks").send({ ticketKey: "CALC-3" }).expect(429);
    expect(code(limited.body)).toBe("rate_limited");
    expect(ErrorBodySchema.parse(limited.body).error.message).toContain("wait a minute");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    // Another person is not affected, and reading is never limited.
    await h.as("engineer").post("/api/tasks").send({ ticketKey: "CALC-3" }).expect(202);
    await h.as("pm").get("/api/tasks").expect(200);
  });
});

describe("session cookie", () => {
  it("is Secure when the request came over https through a trusted proxy", async () => {
    const res = await h.request
      .post("/api/auth/dev-login")
      .set("X-Patchboard-CSRF", "1")
      .set("X-Forwarded-Proto", "https")
      .send({ email: "pat@acme.test" })
      .expect(200);
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });
});

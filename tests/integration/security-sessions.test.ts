import {
  AdminSessionListResponseSchema,
  ErrorBodySchema,
  MeResponseSchema,
} from "../../shared/index.js";
import type { BaseConfig } from "../../server/config/app-config.js";
import { hashSessionSecret } from "../../server/http/session-cookie.js";
import { appHarness } from "../support/app-harness.js";
import { InMemorySessionStore } from "../support/in-memory-session-store.js";

// Sessions follow the directory: the role is worked out from today's configuration on
// every request (a restart with new settings reaches signed-in people), and admins can
// list and revoke sessions.
type Roles = NonNullable<BaseConfig["auth"]["roles"]>;

const directory = (
  overrides: Partial<Roles["groups"]> = {},
  emails: Partial<Roles["emails"]> = {},
): Roles => ({
  groups: { pm: ["grp-pm"], engineer: ["grp-eng"], admin: ["grp-admin"], ...overrides },
  emails: { pm: [], engineer: [], admin: [], ...emails },
});

const store = new InMemorySessionStore();

async function oidcApp(roles: Roles) {
  return appHarness({ auth: { mode: "oidc", devUsers: [], roles }, sessions: store });
}

/** A session as an OIDC sign-in stores it, with a role that may since have gone stale. */
async function signedIn(
  secret: string,
  role: "pm" | "engineer" | "admin",
  groups: string[] | null,
  email = `${secret}@acme.test`,
  lastSeenAt: string | null = new Date().toISOString(),
) {
  const now = Date.now();
  await store.create({
    idHash: hashSessionSecret(secret),
    user: { email, name: secret, role },
    groups,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3_600_000).toISOString(),
    lastSeenAt,
  });
  return `pb_session=${secret}`;
}

describe("sessions follow the directory", () => {
  it("recomputes the role from the current group and email mapping on each request", async () => {
    const eve = await signedIn("eve", "admin", ["grp-eng"]);
    const me = (app: Awaited<ReturnType<typeof oidcApp>>) =>
      app.request.get("/api/me").set("Cookie", eve);

    const today = await oidcApp(directory());
    // Stored as admin, but the directory says engineer: engineer it is.
    expect(MeResponseSchema.parse((await me(today).expect(200)).body).user.role).toBe("engineer");
    await today.request.get("/api/tasks/stats").set("Cookie", eve).expect(403);
    await today.close();

    // Restarted with grp-eng no longer mapped: no role, on the very next request.
    const removed = await oidcApp(directory({ engineer: [] }));
    const refused = await me(removed).expect(403);
    expect(ErrorBodySchema.parse(refused.body).error.details).toMatchObject({ reason: "no_role" });
    await removed.close();

    // Put on the admin email list: admin.
    const listed = await oidcApp(directory({ engineer: [] }, { admin: ["eve@acme.test"] }));
    expect(MeResponseSchema.parse((await me(listed).expect(200)).body).user.role).toBe("admin");
    await listed.close();
  });

  it("gives a dev session the role PATCHBOARD_DEV_USERS lists today", async () => {
    // The harness's dev users list pat@acme.test as a PM.
    const pat = await signedIn("pat", "admin", null, "pat@acme.test");
    const dev = await appHarness({ sessions: store });
    const res = await dev.request.get("/api/me").set("Cookie", pat).expect(200);
    expect(MeResponseSchema.parse(res.body).user.role).toBe("pm");
    await dev.close();
  });
});

describe("admin session management", () => {
  it("lists live sessions with today's role and revokes one; the next request is signed out", async () => {
    const ada = await signedIn("ada", "admin", ["grp-admin"]);
    const bob = await signedIn("bob", "admin", ["grp-pm"]);
    const h = await oidcApp(directory());
    try {
      await h.request.get("/api/me").set("Cookie", bob).expect(200);
      await h.request.get("/api/admin/sessions").set("Cookie", bob).expect(403);
      await h.as("engineer").get("/api/admin/sessions").expect(403);
      const listed = AdminSessionListResponseSchema.parse(
        (await h.request.get("/api/admin/sessions").set("Cookie", ada).expect(200)).body,
      );
      const mine = listed.sessions.filter((s) =>
        ["ada@acme.test", "bob@acme.test"].includes(s.email),
      );
      expect(mine.map((s) => [s.email, s.role]).sort()).toEqual([
        ["ada@acme.test", "admin"],
        ["bob@acme.test", "pm"],
      ]);
      const target = mine.find((s) => s.email === "bob@acme.test")?.id ?? "";
      expect(target).not.toContain(hashSessionSecret("bob"));
      // Revoking needs the CSRF header like any cookie-authenticated change.
      await h.request.post(`/api/admin/sessions/${target}/revoke`).set("Cookie", ada).expect(403);
      await h.request
        .post(`/api/admin/sessions/${target}/revoke`)
        .set("Cookie", ada)
        .set("X-Patchboard-CSRF", "1")
        .expect(204);
      await h.request.get("/api/me").set("Cookie", bob).expect(401);
      await h.request.get("/api/me").set("Cookie", ada).expect(200);
      await h.as("admin").post(`/api/admin/sessions/${target}/revoke`).send({}).expect(404);
      await h.as("admin").post("/api/admin/sessions/not-an-id/revoke").send({}).expect(400);
    } finally {
      await h.close();
    }
  });
});

describe("a session's last-seen time", () => {
  const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

  async function lastSeen(h: Awaited<ReturnType<typeof oidcApp>>, email: string) {
    const res = await h.as("admin").get("/api/admin/sessions").expect(200);
    const listed = AdminSessionListResponseSchema.parse(res.body).sessions;
    return listed.find((s) => s.email === email)?.lastSeenAt;
  }

  it("is written at most once a minute per session, not on every request", async () => {
    const recent = secondsAgo(30);
    const sam = await signedIn("sam", "pm", ["grp-pm"], "sam@acme.test", recent);
    const tom = await signedIn("tom", "pm", ["grp-pm"], "tom@acme.test", secondsAgo(90));
    const never = await signedIn("una", "pm", ["grp-pm"], "una@acme.test", null);
    const h = await oidcApp(directory());
    const writes = vi.spyOn(store, "recordSeen");
    try {
      const before = Date.now();
      for (const cookie of [sam, tom, tom, tom, never, sam]) {
        await h.request.get("/api/me").set("Cookie", cookie).expect(200);
      }
      const after = Date.now();
      // Sam was seen 30 s ago: not written again. Tom and Una: once each, whatever the count.
      expect(writes.mock.calls.map(([id]) => id)).toEqual([
        hashSessionSecret("tom"),
        hashSessionSecret("una"),
      ]);
      expect(await lastSeen(h, "sam@acme.test")).toBe(recent);
      for (const email of ["tom@acme.test", "una@acme.test"]) {
        const seen = Date.parse((await lastSeen(h, email)) ?? "");
        expect([seen >= before, seen <= after]).toEqual([true, true]);
      }
      // A bearer token is no session: listing as the admin token wrote nothing more.
      expect(writes).toHaveBeenCalledTimes(2);
    } finally {
      writes.mockRestore();
      await h.close();
    }
  });

  it("does not fail the person's request when it cannot be written", async () => {
    const vic = await signedIn("vic", "pm", ["grp-pm"], "vic@acme.test", secondsAgo(600));
    const h = await oidcApp(directory());
    const writes = vi.spyOn(store, "recordSeen").mockRejectedValueOnce(new Error("disk full"));
    try {
      const res = await h.request.get("/api/me").set("Cookie", vic).expect(200);
      expect(MeResponseSchema.parse(res.body).user.email).toBe("vic@acme.test");
      expect(writes).toHaveBeenCalledTimes(1);
    } finally {
      writes.mockRestore();
      await h.close();
    }
  });
});

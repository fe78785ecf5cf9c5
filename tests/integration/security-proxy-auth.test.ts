import { ErrorBodySchema, MeResponseSchema } from "../../shared/index.js";
import { appHarness } from "../support/app-harness.js";

const roles = {
  groups: { pm: ["pms"], engineer: ["devs"], admin: ["admins"] },
  emails: { pm: ["@acme.test"], engineer: [], admin: ["boss@acme.test"] },
};

async function proxied(trustedIps: string[]) {
  return appHarness({
    auth: {
      mode: "proxy",
      devUsers: [],
      roles,
      proxy: {
        emailHeader: "x-forwarded-email",
        nameHeader: null,
        groupsHeader: "x-forwarded-groups",
        trustedIps,
      },
    },
  });
}

describe("AUTH_MODE=proxy", () => {
  it("trusts the identity header from a trusted proxy address, with the same role mapping", async () => {
    // supertest connects from 127.0.0.1 (or ::ffff:127.0.0.1): inside 127.0.0.0/8.
    const h = await proxied(["10.0.0.0/8", "127.0.0.0/8"]);
    try {
      const as = (email: string, groups?: string) => {
        const req = h.request.get("/api/me").set("X-Forwarded-Email", email);
        return groups === undefined ? req : req.set("X-Forwarded-Groups", groups);
      };
      const role = async (email: string, groups?: string) =>
        MeResponseSchema.parse((await as(email, groups).expect(200)).body).user.role;
      expect(await role("pat@acme.test")).toBe("pm"); // @acme.test domain entry
      expect(await role("eve@acme.test", "pms, devs")).toBe("engineer"); // highest wins
      expect(await role("boss@acme.test")).toBe("admin");
      expect(await role("x@elsewhere.test", "admins")).toBe("admin");
      const me = MeResponseSchema.parse((await as("ada.lovelace@acme.test").expect(200)).body);
      expect(me.user.name).toBe("Ada Lovelace");

      // Signed in by the proxy, but no role: 403 with who, everywhere.
      const none = await as("guest@other.test").expect(403);
      expect(ErrorBodySchema.parse(none.body).error.message).toContain("guest@other.test");
      await h.request.get("/api/tickets").set("X-Forwarded-Email", "guest@other.test").expect(403);
      // No header: nobody.
      await h.request.get("/api/me").expect(401);
      // Forged client address headers change nothing about who is trusted.
      await h.request.get("/api/me").set("X-Forwarded-For", "10.1.2.3").expect(401);
    } finally {
      await h.close();
    }
  });

  it("ignores the header from any other address (401), whatever X-Forwarded-For says", async () => {
    const h = await proxied(["10.0.0.0/8", "192.168.1.7"]);
    try {
      const res = await h.request
        .get("/api/me")
        .set("X-Forwarded-Email", "boss@acme.test")
        .set("X-Forwarded-For", "10.0.0.1")
        .expect(401);
      expect(ErrorBodySchema.parse(res.body).error.code).toBe("unauthorized");
      await h.request.get("/api/tickets").set("X-Forwarded-Email", "boss@acme.test").expect(401);
      // Service tokens still work.
      await h.as("admin").get("/api/tasks/stats").expect(200);
    } finally {
      await h.close();
    }
  });

  it("needs the CSRF header on every change, with or without a cookie", async () => {
    const h = await proxied(["127.0.0.0/8"]);
    try {
      h.tracker.add({ key: "CALC-1" });
      const post = () =>
        h.request.post("/api/tasks").set("X-Forwarded-Email", "pat@acme.test").send({
          ticketKey: "CALC-1",
        });
      const refused = await post().expect(403);
      expect(ErrorBodySchema.parse(refused.body).error.message).toContain("X-Patchboard-CSRF");
      await post().set("X-Patchboard-CSRF", "1").set("Origin", "https://evil.example").expect(403);
      expect((await h.store.list({ limit: 10 })).tasks).toEqual([]);
      await post().set("X-Patchboard-CSRF", "1").expect(202);
      await h.runner.idle();
    } finally {
      await h.close();
    }
  });

  it("refuses an identity or groups header sent twice, and an email header naming two people", async () => {
    const h = await proxied(["127.0.0.0/8"]);
    try {
      const me = () => h.request.get("/api/me");
      // superagent sends an array value as one header line per item; its types only allow it for Cookie.
      const lines = (...values: string[]) => values as unknown as string;
      const twice = await me()
        .set("X-Forwarded-Email", "pat@acme.test")
        .set("X-Forwarded-Groups", lines("pms", "admins"))
        .expect(401);
      expect(ErrorBodySchema.parse(twice.body).error.message).toContain("more than once");
      await me().set("X-Forwarded-Email", lines("pat@acme.test", "boss@acme.test")).expect(401);
      await me().set("X-Forwarded-Email", "pat@acme.test, boss@acme.test").expect(401);
      // Once each: fine, and the groups list still works.
      const ok = await me()
        .set("X-Forwarded-Email", "pat@acme.test")
        .set("X-Forwarded-Groups", "pms, admins")
        .expect(200);
      expect(MeResponseSchema.parse(ok.body).user.role).toBe("admin");
    } finally {
      await h.close();
    }
  });
});

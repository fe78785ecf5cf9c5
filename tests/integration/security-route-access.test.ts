import { AppError } from "../../server/domain/app-error.js";
import { ACCESS_POLICY, USE_CASE_PERMISSIONS, allows } from "../../server/http/access-policy.js";
import { listRoutes, type RouteEntry } from "../../server/http/route-list.js";
import { ErrorBodySchema } from "../../shared/index.js";
import type { Role } from "../../shared/user.js";
import { appHarness } from "../support/app-harness.js";

type Harness = Awaited<ReturnType<typeof appHarness>>;
let h: Harness;
let routes: RouteEntry[];

beforeAll(async () => {
  h = await appHarness({
    // A no-role identity and an OIDC client are not needed to list routes; the
    // rate limit is raised so walking every route does not trip it.
    security: { taskRateLimitPerMinute: 1000, trustProxy: ["loopback"] },
    // Optional route groups are mounted too, so the walk covers every route there is.
    reviews: {
      list: () => Promise.reject(new AppError("not_found", "no reviews in this test")),
      get: () => Promise.reject(new AppError("not_found", "no reviews in this test")),
      startOrConflict: () => Promise.reject(new AppError("not_found", "no reviews in this test")),
    },
  });
  h.tracker.add({ key: "CALC-1", summary: "Totals are wrong" });
  routes = listRoutes(h.app);
});
afterAll(async () => {
  await h.close();
});

const ROLES: Role[] = ["pm", "engineer", "admin"];
const TASK_ID = "00000000-0000-4000-8000-000000000000";

function concrete(path: string): string {
  return path.replace(":id", TASK_ID).replace(":key", "CALC-1");
}

function send(route: RouteEntry, role: Role | null) {
  const url = concrete(route.path);
  let req = route.method === "GET" ? h.request.get(url) : h.request.post(url).send({});
  // Only bearer tokens here: cookie requests are covered by the CSRF tests.
  if (role !== null) req = req.set("Authorization", `Bearer ${tokenOf(role)}`);
  return req.set("Accept", "application/json");
}

function tokenOf(role: Role): string {
  return {
    pm: "pm-token-0123456789abcdef",
    engineer: "engineer-token-0123456789ab",
    admin: "admin-token-0123456789abcdef",
  }[role];
}

describe("every route against the access policy", () => {
  it("finds the app's routes, each declaring a permission from the one table", () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    const undeclared = routes.filter((r) => r.permission === undefined);
    expect(undeclared).toEqual([]);
    for (const route of routes) {
      expect(route.permission === "public" || route.permission! in ACCESS_POLICY).toBe(true);
    }
    // Every permission in the table guards at least one route (no dead rules).
    const used = new Set(routes.map((r) => r.permission));
    const unused = Object.keys(ACCESS_POLICY).filter((p) => !used.has(p as never));
    expect(unused).toEqual(USE_CASE_PERMISSIONS);
  });

  it("with no user: protected routes are 401, public ones are not", async () => {
    for (const route of routes) {
      const res = await send(route, null);
      const label = `${route.method} ${route.path} → ${res.status}`;
      if (route.permission === "public") {
        // /api/me is public so it can say "nobody" itself, which is a 401.
        if (route.path !== "/api/me") expect(res.status, label).not.toBe(401);
      } else {
        expect(res.status, label).toBe(401);
        expect(ErrorBodySchema.parse(res.body).error.code, label).toBe("unauthorized");
      }
    }
  });

  it.each(ROLES)("as %s: allowed routes pass authorization, the others are 403", async (role) => {
    for (const route of routes) {
      const res = await send(route, role);
      const label = `${role} ${route.method} ${route.path} → ${res.status}`;
      const permission = route.permission;
      if (permission === undefined) throw new Error(`${label}: no permission`);
      if (permission === "public" || allows(role, permission)) {
        expect([401, 403], label).not.toContain(res.status);
      } else {
        expect(res.status, label).toBe(403);
        expect(ErrorBodySchema.parse(res.body).error.code, label).toBe("forbidden");
      }
    }
  });
});

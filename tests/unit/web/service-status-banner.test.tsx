// @vitest-environment jsdom
import "../../support/web-setup.js";
import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ServicesResponseSchema, TicketListResponseSchema } from "../../../shared/index.js";
import type { ServiceStatus } from "../../../shared/index.js";
import { json } from "../../support/web-fetch.js";
import { USERS } from "../../support/web-fixtures.js";
import { fakeServer, renderApp } from "../../support/web-render.js";

const AT = "2026-12-01T10:00:00.000Z";
const BUDGET_WARNING: ServiceStatus = {
  name: "budget",
  state: "warning",
  code: null,
  message:
    "The daily budget (DAILY_BUDGET): 8.00 USD of 10.00 USD used today (80 %). Daily budgets reset at 00:00 UTC (2026-12-02T00:00:00.000Z)",
  checkedAt: AT,
};

function serve(services: ServiceStatus[], user = USERS.admin) {
  const server = fakeServer(user);
  server.get("/api/tickets", () =>
    json(TicketListResponseSchema, { tickets: [], nextCursor: null }),
  );
  server.get("/api/admin/services", () => json(ServicesResponseSchema, { services }));
  return server;
}

describe("service status banner", () => {
  it("tells admins politely that a daily budget is 80 % spent", async () => {
    renderApp("/", serve([BUDGET_WARNING]));
    const banner = await screen.findByRole("complementary", { name: "Service status" });
    const status = within(banner).getByRole("status");
    expect(status).toHaveTextContent(
      "Budget warning: The daily budget (DAILY_BUDGET): 8.00 USD of 10.00 USD used today (80 %). Daily budgets reset at 00:00 UTC (2026-12-02T00:00:00.000Z).",
    );
    expect(within(banner).queryByRole("alert")).toBeNull();
  });

  it("keeps a failed service an alert beside the budget warning", async () => {
    const failed: ServiceStatus = {
      name: "jira",
      state: "failed",
      code: "jira_auth",
      message: "Jira refused the credentials",
      checkedAt: AT,
    };
    renderApp("/", serve([failed, { ...BUDGET_WARNING, code: "budget_exceeded" }]));
    const banner = await screen.findByRole("complementary", { name: "Service status" });
    expect(within(banner).getByRole("alert")).toHaveTextContent(
      "Service check failed: Jira refused the credentials (jira_auth).",
    );
    expect(within(banner).getByRole("status")).toHaveTextContent(/\(budget_exceeded\)\.$/);
  });

  it("shows nothing when every check is ok", async () => {
    const server = serve([{ ...BUDGET_WARNING, state: "ok", message: null }]);
    renderApp("/", server);
    await screen.findByRole("heading", { name: "Tickets", level: 1 });
    await vi.waitFor(() => expect(server.callsTo("GET", "/api/admin/services")).toHaveLength(1));
    expect(screen.queryByRole("complementary", { name: "Service status" })).toBeNull();
  });
});

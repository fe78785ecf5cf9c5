// @vitest-environment jsdom
import "../../support/web-setup.js";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AdminSessionListResponseSchema } from "../../../shared/index.js";
import type { AdminSession } from "../../../shared/index.js";
import { apiError, deferred, empty, json, never } from "../../support/web-fetch.js";
import type { FakeServer } from "../../support/web-fetch.js";
import { USERS } from "../../support/web-fixtures.js";
import { formatAbsolute } from "../../../web/src/lib/format.js";
import { fakeServer, renderApp } from "../../support/web-render.js";

const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

const SESSIONS: AdminSession[] = [
  {
    id: "a".repeat(32),
    email: USERS.pm.email,
    name: USERS.pm.name,
    role: "pm",
    createdAt: hoursFromNow(-2),
    expiresAt: hoursFromNow(166),
    lastSeenAt: hoursFromNow(-5 / 60),
  },
  {
    id: "b".repeat(32),
    email: USERS.engineer.email,
    name: USERS.engineer.name,
    role: null,
    createdAt: hoursFromNow(-30),
    expiresAt: hoursFromNow(138),
    // Signed in before the server recorded last-seen times.
    lastSeenAt: null,
  },
  {
    id: "c".repeat(32),
    email: USERS.admin.email,
    name: USERS.admin.name,
    role: "admin",
    createdAt: hoursFromNow(-50),
    expiresAt: hoursFromNow(118),
    lastSeenAt: hoursFromNow(-26),
  },
];

/** Serves the list as the server would: a revoked session is gone from the next list. */
function serveSessions(
  server: FakeServer,
  sessions: AdminSession[] = SESSIONS,
  gate: Promise<unknown> = Promise.resolve(),
) {
  let live = [...sessions];
  server.get("/api/admin/sessions", () => json(AdminSessionListResponseSchema, { sessions: live }));
  server.post(/^\/api\/admin\/sessions\/[0-9a-f]{32}\/revoke$/, async ({ url }) => {
    await gate;
    const id = url.pathname.split("/")[4];
    if (!live.some((s) => s.id === id)) return apiError(404, "not_found", "No such session");
    live = live.filter((s) => s.id !== id);
    return empty(204);
  });
}

const rowOf = (name: string) =>
  screen.getByRole("rowheader", { name: new RegExp(name) }).closest("tr")!;

describe("Sessions page", () => {
  it("is in the nav for an admin only, and refuses an engineer", async () => {
    const server = fakeServer(USERS.engineer);
    renderApp("/sessions", server);
    expect(
      await screen.findByRole("heading", { name: "Not available to you" }),
    ).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).queryByRole("link", { name: "Sessions" })).toBeNull();
    expect(server.callsTo("GET", "/api/admin/sessions")).toHaveLength(0);
  });

  it("lists sessions with person, role today, sign-in and expiry, in a labelled table", async () => {
    const server = fakeServer(USERS.admin);
    serveSessions(server);
    renderApp("/sessions", server);
    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("link", { name: "Sessions" })).toHaveAttribute(
      "href",
      "/sessions",
    );

    const table = await screen.findByRole("table", { name: "Signed-in sessions, newest first" });
    const headers = within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers).toEqual([
      "Person",
      "Role today",
      "Signed in",
      "Last seen",
      "Expires",
      "Actions",
    ]);
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent(
      `${USERS.pm.name}${USERS.pm.email}pm2 hours ago5 minutes agoin 7 days`,
    );
    expect(rows[1]).toHaveTextContent("no access");
    expect(rows[2]).toHaveTextContent(`${USERS.admin.name} (you)`);
    expect(rows[2]).toHaveTextContent("yesterday");
    expect(within(rows[1]!).getByText("not recorded")).toHaveAttribute(
      "title",
      "Signed in before Patchboard recorded this",
    );
    expect(
      within(rows[0]!).getByRole("button", { name: `Revoke the session of ${USERS.pm.name}` }),
    ).toBeVisible();
  });

  it("shows when each session was last seen: relative, with the exact time on hover", async () => {
    const server = fakeServer(USERS.admin);
    serveSessions(server);
    renderApp("/sessions", server);
    await screen.findByRole("table");
    const seen = SESSIONS[0]!.lastSeenAt ?? "";
    const cell = within(rowOf(USERS.pm.name)).getByText("5 minutes ago");
    expect(cell.tagName).toBe("TIME");
    expect(cell).toHaveAttribute("datetime", seen);
    expect(cell).toHaveAttribute("title", formatAbsolute(seen));
  });

  it("shows loading, empty and error states", async () => {
    const server = fakeServer(USERS.admin);
    server.get("/api/admin/sessions", () => never());
    const first = renderApp("/sessions", server);
    expect(await screen.findByText("Loading sessions…")).toBeInTheDocument();
    first.unmount();

    server.get("/api/admin/sessions", () => json(AdminSessionListResponseSchema, { sessions: [] }));
    const second = renderApp("/sessions", server);
    expect(await screen.findByText("Nobody is signed in")).toBeInTheDocument();
    second.unmount();

    server.get("/api/admin/sessions", () => apiError(403, "forbidden", "Admins only"));
    renderApp("/sessions", server);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the sessions");
    expect(alert).toHaveTextContent("forbidden Admins only");
  });

  it("asks before revoking; Cancel and Escape keep the session and give focus back", async () => {
    const server = fakeServer(USERS.admin);
    serveSessions(server);
    const { user } = renderApp("/sessions", server);
    await screen.findByRole("table");
    const revoke = within(rowOf(USERS.pm.name)).getByRole("button", { name: /^Revoke/ });

    await user.click(revoke);
    const group = screen.getByRole("group", { name: `Sign out ${USERS.pm.name}?` });
    expect(within(group).getByRole("button", { name: "Yes, sign out" })).toHaveFocus();
    await user.click(within(group).getByRole("button", { name: "Cancel" }));
    expect(within(rowOf(USERS.pm.name)).getByRole("button", { name: /^Revoke/ })).toHaveFocus();

    await user.keyboard("{Enter}");
    expect(screen.getByRole("button", { name: "Yes, sign out" })).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(within(rowOf(USERS.pm.name)).getByRole("button", { name: /^Revoke/ })).toHaveFocus();
    expect(server.callsTo("POST", /\/revoke$/)).toHaveLength(0);
  });

  it("revokes by keyboard: the row disappears, focus goes to the next row, it is announced", async () => {
    const server = fakeServer(USERS.admin);
    const release = deferred();
    serveSessions(server, SESSIONS, release.promise);
    const { user } = renderApp("/sessions", server);
    await screen.findByRole("table");
    within(rowOf(USERS.pm.name))
      .getByRole("button", { name: /^Revoke/ })
      .focus();
    await user.keyboard("{Enter}");
    await user.keyboard("{Enter}");
    expect(screen.getByRole("button", { name: "Signing out…" })).toBeDisabled();
    release.release(empty(204));

    await waitFor(() => expect(screen.queryByRole("rowheader", { name: /Pam/ })).toBeNull());
    const calls = server.callsTo("POST", `/api/admin/sessions/${"a".repeat(32)}/revoke`);
    expect(calls.map((c) => c.headers["x-patchboard-csrf"])).toEqual(["1"]);
    expect(screen.getByRole("status")).toHaveTextContent(
      `Signed out ${USERS.pm.name} (${USERS.pm.email}).`,
    );
    expect(
      within(rowOf(USERS.engineer.name)).getByRole("button", { name: /^Revoke/ }),
    ).toHaveFocus();
    await waitFor(() => expect(server.callsTo("GET", "/api/admin/sessions")).toHaveLength(2));
    expect(screen.getAllByRole("row")).toHaveLength(3);
  });

  it("moves focus to the heading when the last session is revoked", async () => {
    const server = fakeServer(USERS.admin);
    serveSessions(server, [SESSIONS[0]!]);
    const { user } = renderApp("/sessions", server);
    await user.click(await screen.findByRole("button", { name: /^Revoke/ }));
    await user.click(screen.getByRole("button", { name: "Yes, sign out" }));
    expect(await screen.findByText("Nobody is signed in")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Sessions", level: 1 })).toHaveFocus();
  });

  it("shows a failed revoke in the row and keeps it, with focus back on Revoke", async () => {
    const server = fakeServer(USERS.admin);
    serveSessions(server);
    server.post(/\/revoke$/, () => apiError(404, "not_found", "No such session"));
    const { user } = renderApp("/sessions", server);
    await screen.findByRole("table");
    await user.click(within(rowOf(USERS.pm.name)).getByRole("button", { name: /^Revoke/ }));
    await user.click(screen.getByRole("button", { name: "Yes, sign out" }));

    const alert = await within(rowOf(USERS.pm.name)).findByRole("alert");
    expect(alert).toHaveTextContent(
      "Could not revoke: this session has already ended (signed out or expired). Reload the list.",
    );
    expect(within(rowOf(USERS.pm.name)).getByRole("button", { name: /^Revoke/ })).toHaveFocus();
    expect(screen.getAllByRole("row")).toHaveLength(4);
  });

  it("asks who is signed in again after an admin revokes their own email's session", async () => {
    const server = fakeServer(USERS.admin);
    serveSessions(server);
    const { user } = renderApp("/sessions", server);
    await screen.findByRole("table");
    const meCalls = server.callsTo("GET", "/api/me").length;
    await user.click(within(rowOf(USERS.admin.name)).getByRole("button", { name: /^Revoke/ }));
    await user.click(screen.getByRole("button", { name: "Yes, sign out" }));
    await waitFor(() => expect(server.callsTo("GET", "/api/me")).toHaveLength(meCalls + 1));
  });
});

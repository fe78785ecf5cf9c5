// @vitest-environment jsdom
import "../support/web-setup.js";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  AuthConfigResponseSchema,
  TaskAuditResponseSchema,
  TaskStatsResponseSchema,
  TaskListResponseSchema,
  TaskResponseSchema,
  TicketListResponseSchema,
  TicketResponseSchema,
} from "../../shared/index.js";
import { apiError, json } from "../support/web-fetch.js";
import {
  TASK_ID,
  USERS,
  makeAuthConfig,
  makeStats,
  makeTask,
  makeTaskSummary,
  makeTicketDetail,
} from "../support/web-fixtures.js";
import { fakeServer, renderApp } from "../support/web-render.js";

const SCRIPT = "<script>window.__pwned = 1</script>";
const IMG = '<img src=x onerror="window.__pwned = 1">';

describe("signed in without a role", () => {
  it("shows 'Ask an admin for access' with who is signed in, not the sign-in page", async () => {
    const server = fakeServer(null);
    server.get("/api/me", () =>
      apiError(403, "forbidden", "You are signed in as lee@acme.test, but you have no role.", {
        reason: "no_role",
        email: "lee@acme.test",
        name: "Lee",
      }),
    );
    renderApp("/", server);
    expect(
      await screen.findByRole("heading", { name: "Ask an admin for access" }),
    ).toBeInTheDocument();
    expect(screen.getByText("lee@acme.test")).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Sign in" })).toBeNull();
    expect(screen.getByRole("button", { name: "Sign in as someone else" })).toBeInTheDocument();
  });
});

describe("single sign-on", () => {
  it("offers a plain link to the identity provider", async () => {
    const server = fakeServer(null);
    server.get("/api/auth/config", () =>
      json(
        AuthConfigResponseSchema,
        makeAuthConfig({ mode: "oidc", devUsers: [], loginUrl: "/api/auth/oidc/login" }),
      ),
    );
    renderApp("/", server);
    const link = await screen.findByRole("link", { name: "Sign in with your company account" });
    expect(link).toHaveAttribute("href", "/api/auth/oidc/login");
  });
});

describe("CSRF header", () => {
  it("every state-changing request the web app makes carries X-Patchboard-CSRF", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/tickets/CALC-12", () =>
      json(TicketResponseSchema, { ticket: makeTicketDetail() }),
    );
    server.get("/api/tasks", () => json(TaskListResponseSchema, { tasks: [], nextCursor: null }));
    server.post("/api/tasks", () => json(TaskResponseSchema, { task: makeTask() }, 202));
    server.get(/^\/api\/tasks\/[^/]+$/, () => json(TaskResponseSchema, { task: makeTask() }));
    server.get("/api/tickets", () =>
      json(TicketListResponseSchema, { tickets: [], nextCursor: null }),
    );
    const { user } = renderApp("/tickets/CALC-12", server);
    await user.click(await screen.findByRole("button", { name: "Fix this bug" }));
    const [post] = server.callsTo("POST", "/api/tasks");
    expect(post?.headers["x-patchboard-csrf"]).toBe("1");
  });
});

describe("cross-site scripting", () => {
  it("renders <script> and <img onerror> in a ticket's summary, description and comments as text", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/tickets/CALC-12", () =>
      json(TicketResponseSchema, {
        ticket: makeTicketDetail({
          summary: `Crash ${SCRIPT} ${IMG}`,
          description: `Steps:\n\n${SCRIPT}\n\nThen ${IMG} shows up.\n\n<a href="javascript:alert(1)">x</a>`,
          comments: [
            {
              id: "c1",
              author: `Eve ${IMG}`,
              body: `Me too ${SCRIPT}`,
              created: new Date().toISOString(),
            },
            { id: "c2", author: "Sam", body: IMG, created: new Date().toISOString() },
          ],
        }),
      }),
    );
    server.get("/api/tasks", () => json(TaskListResponseSchema, { tasks: [], nextCursor: null }));
    const { container } = renderApp("/tickets/CALC-12", server);
    expect(await screen.findByRole("heading", { name: /Crash/ })).toHaveTextContent(SCRIPT);
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("[onerror]")).toBeNull();
    expect(container.querySelector('a[href^="javascript:"]')).toBeNull();
    expect(screen.getByRole("region", { name: "Description" })).toHaveTextContent(IMG);
    expect(screen.getByRole("region", { name: /Comments/ })).toHaveTextContent(`Me too ${SCRIPT}`);
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("no component renders raw HTML (no dangerouslySetInnerHTML, innerHTML or rehype-raw)", () => {
    const root = path.resolve(import.meta.dirname, "../../web/src");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.(tsx?|jsx?)$/.test(name)) files.push(full);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML\s*=|outerHTML/);
      expect(text, file).not.toMatch(/from\s+["']rehype-raw["']/);
    }
  });
});

describe("audit on the History page", () => {
  it("shows who started, followed up, cancelled and retried a task when opened", async () => {
    const server = fakeServer(USERS.admin);
    server.get("/api/tasks/stats", () => json(TaskStatsResponseSchema, makeStats()));
    server.get("/api/tasks", () =>
      json(TaskListResponseSchema, { tasks: [makeTaskSummary()], nextCursor: null }),
    );
    const at = new Date().toISOString();
    server.get(`/api/tasks/${TASK_ID}/audit`, () =>
      json(TaskAuditResponseSchema, {
        taskId: TASK_ID,
        entries: [
          { action: "create", by: "pam@example.com", at, message: null },
          { action: "follow_up", by: "erin@example.com", at, message: `Add a test ${SCRIPT}` },
          { action: "cancel", by: "ada@example.com", at, message: null },
          { action: "retry", by: "pam@example.com", at, message: null },
        ],
      }),
    );
    const { user, container } = renderApp("/history", server);
    const toggle = await screen.findByText("Audit");
    // Loaded only when opened.
    expect(server.callsTo("GET", `/api/tasks/${TASK_ID}/audit`)).toHaveLength(0);
    await user.click(toggle);
    const list = await screen.findByRole("list", { name: "Audit" });
    const items = within(list)
      .getAllByRole("listitem")
      .map((li) => li.textContent ?? "");
    expect(items[0]).toMatch(/^pam@example\.com started/);
    expect(items[1]).toMatch(/^erin@example\.com followed up .*Add a test <script>/);
    expect(items[2]).toMatch(/^ada@example\.com cancelled/);
    expect(items[3]).toMatch(/^pam@example\.com retried/);
    expect(container.querySelector("script")).toBeNull();
  });
});

// @vitest-environment jsdom
import "../../support/web-setup.js";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { TaskResponseSchema, TicketListResponseSchema } from "../../../shared/index.js";
import { apiError, deferred, json, malformed, never } from "../../support/web-fetch.js";
import { TASK_ID, USERS, makeTask, makeTicket } from "../../support/web-fixtures.js";
import { fakeServer, renderApp } from "../../support/web-render.js";

const tickets = [
  makeTicket(),
  makeTicket({
    key: "CALC-13",
    summary: "Rounding is off by one cent",
    priority: null,
    assignee: null,
    activeTask: { id: TASK_ID, status: "running", phase: "analyzing" },
  }),
];

describe("Tickets page", () => {
  it("shows a loading state while the tickets load", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/tickets", () => never());
    renderApp("/", server);
    expect(await screen.findByText("Loading tickets…")).toBeInTheDocument();
  });

  it("lists tickets with Jira links, ticket links and the Fix button", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/tickets", () => json(TicketListResponseSchema, { tickets, nextCursor: null }));
    renderApp("/", server);

    const summary = await screen.findByRole("link", {
      name: "Division by zero crashes the calculator",
    });
    expect(summary).toHaveAttribute("href", "/tickets/CALC-12");
    const jira = screen.getByRole("link", { name: /CALC-12.*opens Jira/ });
    expect(jira).toHaveAttribute("href", "https://jira.example.com/browse/CALC-12");
    expect(jira).toHaveAttribute("target", "_blank");
    expect(screen.getAllByText("3 hours ago")[0]).toHaveAttribute("title");
    expect(screen.getByText("Unassigned")).toBeInTheDocument();

    const rows = screen.getAllByRole("row");
    // header + 2 tickets
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByRole("button", { name: /Fix this bug/ })).toBeEnabled();
    // The ticket with a running task links to it instead of offering the button.
    expect(within(rows[2]!).queryByRole("button", { name: /Fix this bug/ })).toBeNull();
    const live = within(rows[2]!).getByRole("link", { name: /Running · Analyzing/ });
    expect(live).toHaveAttribute("href", `/tasks/${TASK_ID}`);
  });

  it("shows an empty state", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/tickets", () =>
      json(TicketListResponseSchema, { tickets: [], nextCursor: null }),
    );
    renderApp("/", server);
    expect(await screen.findByText("No open bugs")).toBeInTheDocument();
  });

  it("shows the error code and message, and retries", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/tickets", () => apiError(503, "jira_unavailable", "Jira did not answer."));
    const { user } = renderApp("/", server);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the tickets");
    expect(alert).toHaveTextContent("jira_unavailable");
    expect(alert).toHaveTextContent("Jira did not answer.");

    server.get("/api/tickets", () => json(TicketListResponseSchema, { tickets, nextCursor: null }));
    await user.click(within(alert).getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("Rounding is off by one cent")).toBeInTheDocument();
  });

  it("explains a contract break instead of showing a blank page", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/tickets", () => malformed({ tickets: [{ key: 12 }], next: null }));
    renderApp("/", server);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The server answered something this page does not understand");
    expect(alert).toHaveTextContent("contract_error");
    expect(within(alert).getByText("Details")).toBeInTheDocument();
  });

  it("starts one task on a double click, disables the button meanwhile, then opens the task", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/tickets", () => json(TicketListResponseSchema, { tickets, nextCursor: null }));
    const answer = deferred();
    server.post("/api/tasks", () => answer.promise);
    server.get(`/api/tasks/${TASK_ID}`, () =>
      json(TaskResponseSchema, { task: makeTask({ status: "queued", phase: "queued" }) }),
    );
    const { user, location } = renderApp("/", server);

    const button = await screen.findByRole("button", {
      name: "Fix this bug: CALC-12 Division by zero crashes the calculator",
    });
    await user.dblClick(button);
    expect(button).toBeDisabled();
    expect(button).toHaveTextContent("Starting…");
    expect(server.callsTo("POST", "/api/tasks")).toHaveLength(1);
    const call = server.callsTo("POST", "/api/tasks")[0]!;
    expect(call.body).toEqual({ ticketKey: "CALC-12" });
    expect(call.headers["content-type"]).toBe("application/json");
    expect(call.credentials).toBe("same-origin");

    answer.release(
      json(TaskResponseSchema, { task: makeTask({ status: "queued", phase: "queued" }) }, 202),
    );
    await waitFor(() => expect(location().pathname).toBe(`/tasks/${TASK_ID}`));
  });

  it("shows why a fix could not start", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/tickets", () => json(TicketListResponseSchema, { tickets, nextCursor: null }));
    server.post("/api/tasks", () =>
      apiError(400, "repo_not_configured", "acme/calc is not configured."),
    );
    const { user } = renderApp("/", server);
    await user.click(await screen.findByRole("button", { name: /Fix this bug: CALC-12/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent("repo_not_configured");
    expect(screen.getByRole("button", { name: /Fix this bug: CALC-12/ })).toBeEnabled();
  });

  it("loads more with the cursor and filters with q (debounced)", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/tickets", ({ url }) => {
      const q = url.searchParams.get("q");
      if (q) {
        return json(TicketListResponseSchema, {
          tickets: [makeTicket({ key: "CALC-40", summary: `Match for ${q}` })],
          nextCursor: null,
        });
      }
      return url.searchParams.get("cursor") === "page-2"
        ? json(TicketListResponseSchema, {
            tickets: [makeTicket({ key: "CALC-30", summary: "Second page ticket" })],
            nextCursor: null,
          })
        : json(TicketListResponseSchema, { tickets, nextCursor: "page-2" });
    });
    const { user } = renderApp("/", server);

    await user.click(await screen.findByRole("button", { name: "Load more" }));
    expect(await screen.findByText("Second page ticket")).toBeInTheDocument();
    expect(screen.getByText("Division by zero crashes the calculator")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();

    await user.type(screen.getByLabelText("Filter tickets"), "crash");
    expect(await screen.findByText("Match for crash")).toBeInTheDocument();
    const queries = server.callsTo("GET", "/api/tickets").map((c) => c.url.searchParams.get("q"));
    // One request for the whole word, not one per keystroke.
    expect(queries.filter((q) => q !== null)).toEqual(["crash"]);
  });
});

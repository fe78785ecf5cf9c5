// @vitest-environment jsdom
import "../../support/web-setup.js";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  AuthConfigResponseSchema,
  MeResponseSchema,
  TicketListResponseSchema,
} from "../../../shared/index.js";
import { apiError, empty, json, malformed, never } from "../../support/web-fetch.js";
import { USERS, makeAuthConfig, makeSettings } from "../../support/web-fixtures.js";
import { fakeServer, renderApp } from "../../support/web-render.js";

const SANDBOX_TEXT =
  "Sandbox: built-in Jira, GitHub and a scripted model — nothing leaves this machine";

describe("Sign-in and app frame", () => {
  it("shows a loading state while the session is checked", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/me", () => never());
    renderApp("/", server);
    expect(await screen.findByText("Checking your session…")).toBeInTheDocument();
  });

  it("lists the dev users and signs in as the one chosen", async () => {
    const server = fakeServer(null);
    server.get("/api/auth/config", () => json(AuthConfigResponseSchema, makeAuthConfig()));
    server.post("/api/auth/dev-login", ({ body }) => {
      expect(body).toEqual({ email: USERS.engineer.email });
      return json(MeResponseSchema, { user: USERS.engineer });
    });
    server.get("/api/tickets", () =>
      json(TicketListResponseSchema, { tickets: [], nextCursor: null }),
    );
    const { user } = renderApp("/", server);

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();

    const buttons = await screen.findAllByRole("button");
    expect(buttons.map((b) => b.textContent)).toEqual([
      "Pam Productpam@example.compm",
      "Erin Engineererin@example.comengineer",
      "Ada Adminada@example.comadmin",
    ]);
    expect(screen.queryByText(/Sandbox:/)).toBeNull();
    await user.click(screen.getByRole("button", { name: /Erin Engineer/ }));

    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("link", { name: "Tickets" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    expect(within(nav).getByRole("link", { name: "New task" })).toBeInTheDocument();
    expect(within(nav).queryByRole("link", { name: "History" })).toBeNull();
    expect(screen.getByText("Erin Engineer")).toBeInTheDocument();
    expect(screen.getByText("engineer")).toBeInTheDocument();
  });

  it("says why a company sign-in came back without a session, once, in its own words", async () => {
    const server = fakeServer(null);
    server.get("/api/auth/config", () =>
      json(
        AuthConfigResponseSchema,
        makeAuthConfig({ mode: "oidc", devUsers: [], loginUrl: "/api/auth/oidc/login" }),
      ),
    );
    const { location } = renderApp("/?signInError=denied&keep=1", server);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(
      "You are not signed inYour company sign-in did not let you in: access was denied or not given.",
    );
    expect(
      await screen.findByRole("link", { name: "Sign in with your company account" }),
    ).toBeInTheDocument();
    // Taken out of the address, so a reload or the next sign-in does not repeat it.
    await waitFor(() => expect(location().search).toBe("?keep=1"));
    expect(screen.getByRole("alert")).toBeInTheDocument();
  });

  it("shows nothing for a reason it does not know", async () => {
    const server = fakeServer(null);
    server.get("/api/auth/config", () => json(AuthConfigResponseSchema, makeAuthConfig()));
    renderApp("/?signInError=%3Cb%3Eowned%3C%2Fb%3E", server);
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    await screen.findAllByRole("button");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.queryByText(/owned/)).toBeNull();
  });

  it("says it is the sandbox on the sign-in page and on every page", async () => {
    const server = fakeServer(null, makeSettings({ mode: "sandbox" }));
    server.get("/api/auth/config", () =>
      json(AuthConfigResponseSchema, makeAuthConfig({ sandbox: true })),
    );
    server.post("/api/auth/dev-login", () => json(MeResponseSchema, { user: USERS.admin }));
    server.get("/api/tickets", () =>
      json(TicketListResponseSchema, { tickets: [], nextCursor: null }),
    );
    const { user } = renderApp("/", server);

    expect(await screen.findByText(/This is the sandbox/)).toBeInTheDocument();
    expect(screen.getByRole("complementary", { name: "Sandbox" })).toHaveTextContent(SANDBOX_TEXT);
    expect(screen.getByRole("complementary", { name: "Sandbox" })).toHaveTextContent(
      "README → Connect real services",
    );
    await user.click(screen.getByRole("button", { name: /Ada Admin/ }));

    await screen.findByRole("navigation", { name: "Main" });
    await waitFor(() =>
      expect(screen.getByRole("complementary", { name: "Sandbox" })).toHaveTextContent(
        SANDBOX_TEXT,
      ),
    );
    expect(screen.getByRole("link", { name: "History" })).toBeInTheDocument();
  });

  it("has no sandbox banner in production", async () => {
    const server = fakeServer(USERS.admin);
    server.get("/api/tickets", () =>
      json(TicketListResponseSchema, { tickets: [], nextCursor: null }),
    );
    renderApp("/", server);
    expect(await screen.findByText("No open bugs")).toBeInTheDocument();
    expect(screen.queryByRole("complementary", { name: "Sandbox" })).toBeNull();
  });

  it("signs out back to the sign-in page", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/tickets", () =>
      json(TicketListResponseSchema, { tickets: [], nextCursor: null }),
    );
    server.get("/api/auth/config", () => json(AuthConfigResponseSchema, makeAuthConfig()));
    server.post("/api/auth/logout", () => empty(204));
    const { user } = renderApp("/", server);
    await user.click(await screen.findByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(server.callsTo("POST", "/api/auth/logout")).toHaveLength(1);
  });

  it("goes to sign-in when the session expires mid-use (401)", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/tickets", () => apiError(401, "unauthorized", "Session expired."));
    server.get("/api/auth/config", () => json(AuthConfigResponseSchema, makeAuthConfig()));
    renderApp("/", server);
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
  });

  it("shows an error with retry when the session check fails, including a contract break", async () => {
    const server = fakeServer(USERS.pm);
    server.get("/api/me", () => malformed({ user: { email: "x" } }));
    const { user } = renderApp("/", server);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The server answered something this page does not understand");
    expect(alert).toHaveTextContent("contract_error");

    server.get("/api/me", () => json(MeResponseSchema, { user: USERS.pm }));
    server.get("/api/tickets", () =>
      json(TicketListResponseSchema, { tickets: [], nextCursor: null }),
    );
    await user.click(within(alert).getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("No open bugs")).toBeInTheDocument();
  });

  it("shows a 404 page for unknown addresses", async () => {
    const server = fakeServer(USERS.pm);
    renderApp("/no/such/page", server);
    expect(await screen.findByRole("heading", { name: "Page not found" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Back to tickets" })).toHaveAttribute("href", "/");
  });
});

/**
 * Renders the web app at a path inside a memory router with a fresh query client (no
 * retries), with a fake server already wired for who is signed in and the settings.
 */
import { QueryClientProvider } from "@tanstack/react-query";
import type { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { RenderResult } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { UserEvent } from "@testing-library/user-event";
import type { ReactNode } from "react";
import { MemoryRouter, useLocation } from "react-router";
import type { Location } from "react-router";
import { MeResponseSchema, SettingsResponseSchema } from "../../shared/index.js";
import type { SettingsResponse, User } from "../../shared/index.js";
import { createQueryClient } from "../../web/src/api/query-client.js";
import { AppShell } from "../../web/src/app-shell.js";
import { FakeServer, apiError, json } from "./web-fetch.js";
import { makeSettings } from "./web-fixtures.js";

/** What `renderApp` gives a test. */
export interface RenderedApp extends RenderResult {
  user: UserEvent;
  client: QueryClient;
  server: FakeServer;
  /** Where the router is now. */
  location: () => Location;
}

/** A fake server that knows the signed-in user (null: nobody) and the settings. */
export function fakeServer(
  user: User | null,
  settings: SettingsResponse = makeSettings(),
): FakeServer {
  const server = new FakeServer();
  server.get("/api/me", () =>
    user ? json(MeResponseSchema, { user }) : apiError(401, "unauthorized", "Sign in first."),
  );
  server.get("/api/settings", () => json(SettingsResponseSchema, settings));
  return server.install();
}

/** Renders any element inside the app's providers at a path. */
export function renderWithProviders(
  ui: ReactNode,
  options: { path?: string; server: FakeServer },
): RenderedApp {
  const client = createQueryClient({ retry: false });
  let current: Location | null = null;
  const Probe = () => {
    current = useLocation();
    return null;
  };
  const utils = render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[options.path ?? "/"]}>
        {ui}
        <Probe />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return {
    ...utils,
    user: userEvent.setup(),
    client,
    server: options.server,
    location: () => {
      if (!current) throw new Error("The router has not rendered");
      return current;
    },
  };
}

/** Renders the whole app (sign-in gate, layout, routes) at a path. */
export function renderApp(path: string, server: FakeServer): RenderedApp {
  return renderWithProviders(<AppShell />, { path, server });
}

// @vitest-environment jsdom
import "../../support/web-setup.js";
import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { SettingsResponseSchema, TaskResponseSchema } from "../../../shared/index.js";
import { apiError, json, never } from "../../support/web-fetch.js";
import { TASK_ID, USERS, makeSettings, makeTask } from "../../support/web-fixtures.js";
import { fakeServer, renderApp } from "../../support/web-render.js";

describe("New task page", () => {
  it("is only for engineers and admins", async () => {
    renderApp("/tasks/new", fakeServer(USERS.pm));
    expect(
      await screen.findByRole("heading", { name: "Not available to you" }),
    ).toBeInTheDocument();
  });

  it("shows a loading state, then an empty state without repositories", async () => {
    const server = fakeServer(USERS.engineer);
    server.get("/api/settings", () => never());
    renderApp("/tasks/new", server);
    expect(await screen.findByText("Loading…")).toBeInTheDocument();
  });

  it("says when no repository is configured", async () => {
    renderApp("/tasks/new", fakeServer(USERS.engineer, makeSettings({ repos: [] })));
    expect(await screen.findByText("No repositories configured")).toBeInTheDocument();
  });

  it("shows a settings error", async () => {
    const server = fakeServer(USERS.engineer);
    server.get("/api/settings", () => apiError(500, "internal", "Boom."));
    renderApp("/tasks/new", server);
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not load the repositories");
  });

  it("posts the prompt on the chosen repository and opens the task", async () => {
    const server = fakeServer(USERS.engineer);
    server.get("/api/settings", () => json(SettingsResponseSchema, makeSettings()));
    const task = makeTask({
      kind: "prompt",
      ticketKey: null,
      ticketSnapshot: null,
      prompt: "Explain rounding",
      repo: "acme/web",
    });
    server.post("/api/codex/task", () => json(TaskResponseSchema, { task }, 202));
    server.get(`/api/tasks/${TASK_ID}`, () => json(TaskResponseSchema, { task }));
    const { user, location } = renderApp("/tasks/new", server);

    await user.click(await screen.findByRole("button", { name: "Start task" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Write what the agent should do.");
    expect(server.callsTo("POST", "/api/codex/task")).toHaveLength(0);

    await user.selectOptions(screen.getByLabelText("Repository"), "acme/web");
    await user.type(screen.getByLabelText("Prompt"), "Explain rounding");
    await user.click(screen.getByRole("button", { name: "Start task" }));
    await waitFor(() => expect(location().pathname).toBe(`/tasks/${TASK_ID}`));
    expect(server.callsTo("POST", "/api/codex/task")[0]?.body).toEqual({
      repo: "acme/web",
      prompt: "Explain rounding",
    });
  });
});

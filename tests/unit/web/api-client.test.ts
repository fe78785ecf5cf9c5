import { afterEach, describe, expect, it, vi } from "vitest";
import { MeResponseSchema, TaskResponseSchema } from "../../../shared/index.js";
import { ApiError } from "../../../web/src/api/api-error.js";
import { apiJson } from "../../../web/src/api/client.js";
import { fetchMe, fetchTasks } from "../../../web/src/api/endpoints.js";
import { FakeServer, apiError, json, malformed } from "../../support/web-fetch.js";
import { USERS } from "../../support/web-fixtures.js";

afterEach(() => vi.unstubAllGlobals());

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("API client", () => {
  it("parses answers with the contract", async () => {
    new FakeServer().get("/api/me", () => json(MeResponseSchema, { user: USERS.pm })).install();
    expect(await fetchMe()).toEqual(USERS.pm);
  });

  it("treats 401 on /api/me as nobody signed in", async () => {
    new FakeServer().get("/api/me", () => apiError(401, "unauthorized", "No session.")).install();
    expect(await fetchMe()).toBeNull();
  });

  it("throws a contract_error with details when the body does not match", async () => {
    new FakeServer().get("/api/tasks/x", () => malformed({ task: { id: 3 } })).install();
    const error = await caught(apiJson(TaskResponseSchema, "/api/tasks/x"));
    expect(error.code).toBe("contract_error");
    expect(String(error.details)).toContain("task");
  });

  it("throws a contract_error when the body is not JSON", async () => {
    new FakeServer().get("/api/me", () => new Response("<html>", { status: 200 })).install();
    expect((await caught(fetchMe())).code).toBe("contract_error");
  });

  it("turns the error body into code, message, status and details", async () => {
    new FakeServer()
      .post("/api/tasks", () =>
        apiError(400, "validation_error", "Invalid request.", [
          { path: "ticketKey", message: "bad" },
        ]),
      )
      .install();
    const error = await caught(
      apiJson(TaskResponseSchema, "/api/tasks", { method: "POST", body: {} }),
    );
    expect(error).toMatchObject({
      code: "validation_error",
      message: "Invalid request.",
      status: 400,
    });
    expect(error.details).toEqual([{ path: "ticketKey", message: "bad" }]);
  });

  it("reports an error without the contract body as http_error", async () => {
    new FakeServer().get("/api/me", () => new Response("Bad gateway", { status: 502 })).install();
    const error = await caught(fetchMe());
    expect(error).toMatchObject({ code: "http_error", status: 502 });
  });

  it("reports no answer as network_error", async () => {
    vi.stubGlobal("fetch", () => Promise.reject(new TypeError("Failed to fetch")));
    expect((await caught(fetchMe())).code).toBe("network_error");
  });

  it("sends the filters and paging of the task list", async () => {
    const server = new FakeServer()
      .get("/api/tasks", () => malformed({ tasks: [], nextCursor: null }))
      .install();
    await fetchTasks({ status: "failed", createdBy: "a@b.c" }, { cursor: "abc", limit: 50 });
    const url = server.calls[0]!.url;
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: "failed",
      createdBy: "a@b.c",
      cursor: "abc",
      limit: "50",
    });
    expect(server.calls[0]!.credentials).toBe("same-origin");
  });
});

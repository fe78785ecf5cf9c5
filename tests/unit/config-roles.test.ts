import os from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { configProblems } from "../support/config-problems.js";
import { loadConfig } from "../../server/config/load-config.js";
import { runsWorker, servesHttp } from "../../server/bootstrap/role-checks.js";

const cwd = mkdtempSync(path.join(os.homedir(), ".patchboard-config-roles-test-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const PG = "postgres://postgres@127.0.0.1:5432/patchboard";

const problemsOf = (env: Record<string, string>) => configProblems(env, cwd);

describe("PATCHBOARD_ROLE, WORKER_HEALTH_PORT and TASK_LEASE_MS", () => {
  it("default to one process doing everything, no health port and a 30 s lease", () => {
    const { config } = loadConfig({}, cwd);
    expect([config.role, config.workerHealthPort, config.tasks.leaseMs]).toEqual([
      "all",
      null,
      30_000,
    ]);
    expect([runsWorker(config), servesHttp(config)]).toEqual([true, true]);
  });

  it("split the API from the workers on PostgreSQL", () => {
    // Every node signs session cookies with the one shared secret.
    const shared = { DATABASE_URL: PG, SESSION_SECRET: "s".repeat(48) };
    const api = loadConfig({ PATCHBOARD_ROLE: "api", ...shared }, cwd).config;
    expect([runsWorker(api), servesHttp(api)]).toEqual([false, true]);
    const worker = loadConfig(
      { PATCHBOARD_ROLE: "worker", ...shared, WORKER_HEALTH_PORT: "9100" },
      cwd,
    ).config;
    expect([runsWorker(worker), servesHttp(worker), worker.workerHealthPort]).toEqual([
      true,
      false,
      9100,
    ]);
  });

  it("names a role without DATABASE_URL, an unknown role and a too short lease", () => {
    expect(problemsOf({ PATCHBOARD_ROLE: "worker", TASK_LEASE_MS: "100" })).toEqual([
      "TASK_LEASE_MS: Too small: expected number to be >=3000",
    ]);
    expect(problemsOf({ PATCHBOARD_ROLE: "worker" })).toEqual([
      "PATCHBOARD_ROLE: worker needs DATABASE_URL (PostgreSQL), which API nodes and workers share",
    ]);
    expect(problemsOf({ PATCHBOARD_ROLE: "everything" })[0]).toMatch(/^PATCHBOARD_ROLE: /);
  });
});

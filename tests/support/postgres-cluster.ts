import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { startServer, type RunningServer } from "../../server/bootstrap/start-server.js";
import type { AppConfig } from "../../server/config/app-config.js";
import { openTestPostgres } from "./postgres-database.js";
import { testConfig, type TestConfigOverrides } from "./test-config.js";
import { TEST_STATE_DIR } from "./test-state-dir.js";

/** The service token every node of a cluster accepts (an engineer). */
export const CLUSTER_TOKEN = "cluster-engineer-token";

/** Several Patchboard servers in this process on one PostgreSQL database. */
export interface PostgresCluster {
  /** DATABASE_URL of the shared database. */
  url: string;
  nodes: RunningServer[];
  /** Starts one more node (its own DATA_DIR) on the database. */
  addNode(overrides?: TestConfigOverrides): Promise<RunningServer>;
  /** Stops every node, drops the database and removes the data directories. */
  close(): Promise<void>;
}

/**
 * Starts `count` nodes as `startServer` would in separate processes: the same DATABASE_URL,
 * different DATA_DIRs, nothing else shared. Jira, GitHub and the model are addresses
 * nothing listens on: these nodes serve the API and live events, they run no fix.
 */
export async function startPostgresCluster(
  count: number,
  overrides: TestConfigOverrides = {},
): Promise<PostgresCluster> {
  // Opening the test database creates and migrates it; the nodes then share it.
  const database = await openTestPostgres();
  await mkdir(TEST_STATE_DIR, { recursive: true });
  const root = await mkdtemp(path.join(TEST_STATE_DIR, "cluster-"));
  const nodes: RunningServer[] = [];
  const config = (dataDir: string, extra: TestConfigOverrides): AppConfig =>
    testConfig(
      {
        dataDir,
        modelUrl: "http://127.0.0.1:9/v1",
        jiraUrl: "http://127.0.0.1:9",
        githubUrl: "http://127.0.0.1:9",
        repos: [],
        apiTokens: [
          {
            token: CLUSTER_TOKEN,
            user: { email: "eve@acme.test", name: "Eve", role: "engineer" },
          },
        ],
        secrets: { codexKey: "sk-cluster", jiraToken: "jira-cluster", githubToken: "gh-cluster" },
      },
      { database: { url: database.url }, ...overrides, ...extra },
    );
  const cluster: PostgresCluster = {
    url: database.url,
    nodes,
    async addNode(extra = {}) {
      const dataDir = path.join(root, `node-${nodes.length + 1}`);
      const node = await startServer(
        config(dataDir, extra),
        pino({ level: process.env.TEST_LOG ?? "silent" }),
        { webDir: null },
      );
      nodes.push(node);
      return node;
    },
    async close() {
      for (const node of nodes.splice(0)) await node.close();
      await database.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  try {
    for (let i = 0; i < count; i += 1) await cluster.addNode();
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}

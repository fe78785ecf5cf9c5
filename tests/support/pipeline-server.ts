import path from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import {
  TaskEventListResponseSchema,
  TaskResponseSchema,
  type Task,
  type TaskEvent,
} from "../../shared/index.js";
import { startServer, type RunningServer } from "../../server/bootstrap/start-server.js";
import type { ServiceOverrides } from "../../server/bootstrap/build-services.js";
import type { ApiToken, AppConfig } from "../../server/config/app-config.js";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import { createLogger } from "../../server/logger.js";
import { startFakeGitHub, type FakeGitHub } from "../../server/sandbox/fake-github/index.js";
import {
  startFakeJira,
  type FakeIssueSeed,
  type FakeJira,
} from "../../server/sandbox/fake-jira/index.js";
import {
  startScriptedModel,
  type Script,
  type ScriptedModel,
} from "../../server/sandbox/scripted-model/index.js";
import { makeCodexHome, removeDir } from "./codex-fixtures.js";
import {
  TEST_JIRA_EMAIL,
  testConfig,
  type TestConfigOverrides,
  type TestSecrets,
} from "./test-config.js";
import { waitForTaskEnd } from "./task-stream.js";

/**
 * A whole production-mode Patchboard in this process, for the integration tests that run
 * the pipeline for real: the scripted model (driving the real Codex binary), the fake Jira
 * and GitHub over HTTP serving the test's bare repositories, SQLite on disk, and the API.
 */

/** Options of {@link startPipelineServer}. */
export interface PipelineServerOptions {
  /**
   * The repositories as the server is configured; GitHub serves each from its `cloneUrl`,
   * and a `pushRepository` as its fork from its `pushUrl`.
   */
  repos: RepoConfig[];
  /** GitHub users with write access to every repository; absent: GitHub does not check. */
  collaborators?: string[];
  tickets: FakeIssueSeed[];
  scripts: Script[];
  /** The service tokens; the first is the one {@link PipelineServer.api} calls with. */
  apiTokens: [ApiToken, ...ApiToken[]];
  secrets: TestSecrets;
  /** The server's DATA_DIR; by default a fresh one under a Codex home, removed on close. */
  dataDir?: string;
  /** What the test changes of {@link testConfig}'s defaults. */
  config?: TestConfigOverrides;
  /** Keeps the server's log (debug and up) in `logLines`, to look for secrets in; silent otherwise. */
  captureLogs?: boolean;
  services?: ServiceOverrides;
}

/** The running pipeline and the ways a test talks to it. */
export interface PipelineServer {
  server: RunningServer;
  model: ScriptedModel;
  jira: FakeJira;
  github: FakeGitHub;
  config: AppConfig;
  /** The server's log lines (pino JSON) when `captureLogs` is on. */
  logLines: string[];
  /** Calls the API with a service token (the first one by default) as JSON. */
  api(pathname: string, init?: RequestInit, token?: string): Promise<Response>;
  task(id: string): Promise<Task>;
  events(id: string): Promise<TaskEvent[]>;
  /**
   * Waits, on the task's event stream, until the task's current run has ended, and checks
   * that `requests` requests (a fix is one; each retry or follow-up one more) started runs.
   */
  waitForTask(id: string, requests?: number): Promise<Task>;
  /** Stops the server and the fakes; removes the data directory it made. */
  close(): Promise<void>;
}

/** Starts the fakes, then the server configured on them. */
export async function startPipelineServer(options: PipelineServerOptions): Promise<PipelineServer> {
  const ownDataDir = options.dataDir === undefined ? await makeCodexHome() : null;
  const dataDir = options.dataDir ?? path.join(ownDataDir ?? "", "data");
  const jira = await startFakeJira({
    credentials: { email: TEST_JIRA_EMAIL, apiToken: options.secrets.jiraToken },
    issues: options.tickets,
  });
  const github = await startFakeGitHub({
    token: options.secrets.githubToken,
    repos: Object.fromEntries(
      options.repos.flatMap((repo) => [
        [
          repo.github,
          {
            bareRepoPath: repo.cloneUrl,
            defaultBranch: repo.baseBranch,
            collaborators: options.collaborators,
          },
        ],
        // A repository pushing to a fork: GitHub serves the fork from its push URL.
        ...(repo.pushRepository !== undefined && repo.pushUrl !== undefined
          ? [
              [
                repo.pushRepository,
                { bareRepoPath: repo.pushUrl, defaultBranch: repo.baseBranch, forkOf: repo.github },
              ],
            ]
          : []),
      ]),
    ),
  });
  const model = await startScriptedModel({ scripts: options.scripts });
  const config = testConfig(
    {
      dataDir,
      modelUrl: model.url,
      jiraUrl: jira.url,
      githubUrl: github.url,
      repos: options.repos,
      apiTokens: options.apiTokens,
      secrets: options.secrets,
    },
    options.config,
  );
  const logLines: string[] = [];
  const logger = options.captureLogs
    ? createLogger({
        level: "debug",
        destination: new Writable({
          write(chunk: Buffer, _encoding, done) {
            logLines.push(chunk.toString());
            done();
          },
        }),
      })
    : pino({ level: process.env.TEST_LOG ?? "silent" });
  const closeFakes = () => Promise.all([model.close(), jira.close(), github.close()]);
  let server: RunningServer;
  try {
    server = await startServer(config, logger, { webDir: null, services: options.services ?? {} });
  } catch (error) {
    await closeFakes();
    throw error;
  }

  const api = (pathname: string, init: RequestInit = {}, token = options.apiTokens[0].token) =>
    fetch(`${server.url}${pathname}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        Accept: "application/json",
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  const task = async (id: string) =>
    TaskResponseSchema.parse(await (await api(`/api/tasks/${id}`)).json()).task;
  const events = async (id: string) =>
    TaskEventListResponseSchema.parse(await (await api(`/api/tasks/${id}/events`)).json()).events;

  return {
    server,
    model,
    jira,
    github,
    config,
    logLines,
    api,
    task,
    events,
    async waitForTask(id, requests = 1) {
      await waitForTaskEnd(`${server.url}/api/tasks/${id}/events`, options.apiTokens[0].token);
      const [ended, stored] = await Promise.all([task(id), events(id)]);
      const asked = stored.filter((e) => e.type === "task.request").length;
      // Every caller's request is stored before it is answered: fewer means it never came.
      if (asked < requests) {
        throw new Error(
          `task ${id} ended ${ended.status} after ${asked} of ${requests} requests (${JSON.stringify(ended.error)})`,
        );
      }
      return ended;
    },
    async close() {
      await server.close();
      await closeFakes();
      if (ownDataDir !== null) await removeDir(ownDataDir);
    },
  };
}

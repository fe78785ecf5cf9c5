import { randomBytes } from "node:crypto";
import { access, mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { AppConfig, BaseConfig } from "../config/app-config.js";
import { startServer, type RunningServer } from "../bootstrap/start-server.js";
import { startFakeGitHub, type FakeGitHub } from "./fake-github/index.js";
import { startFakeJira, type FakeJira } from "./fake-jira/index.js";
import {
  SCRIPTED_MODEL_NAME,
  startScriptedModel,
  type ScriptedModel,
} from "./scripted-model/index.js";
import { loadGitHubState, persistGitHub } from "./sample-data/github-store.js";
import { loadJiraState, persistJira } from "./sample-data/jira-store.js";
import { writeStateFile } from "./sample-data/state-file.js";
import {
  ENGINEER_GITHUB_LOGIN,
  SAMPLE_COLLABORATORS,
  SANDBOX_PERSONAS,
} from "./sample-data/personas.js";
import {
  createSampleRemote,
  SAMPLE_BASE_BRANCH,
  SAMPLE_GITHUB_REPO,
} from "./sample-data/sample-repo.js";
import { DEFAULT_STEP_DELAY_MS, sandboxScripts } from "./sample-data/scripts.js";
import { SAMPLE_JIRA_PROJECT, SAMPLE_TRANSITIONS, sampleTickets } from "./sample-data/tickets.js";

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Recreate the sample data: repository, Jira, tasks and workspaces (`npm start -- --reset`). */
  reset: boolean;
  /** Pause before each scripted step; default `SANDBOX_STEP_DELAY_MS` or 2 s. Tests use 0. */
  stepDelayMs?: number;
  /** Passed to startServer (null: no web app, for API tests). */
  webDir?: string | null;
}

/** The built-in services of a running sandbox, for tests and diagnostics. */
export interface SandboxServices {
  jira: FakeJira;
  github: FakeGitHub;
  model: ScriptedModel;
  /** The bare repository branches are pushed to. */
  remotePath: string;
}

/** A running sandbox: the Patchboard server plus the fakes it talks to. */
export type RunningSandbox = RunningServer & { sandbox: SandboxServices };

// Fixed, local-only credentials: the fakes accept exactly these, so the real adapters
// exercise their authentication paths. They protect nothing and are not secrets.
const JIRA_CREDENTIALS = { email: "patchboard@acme.test", apiToken: "sandbox-jira-api-token" };
const GITHUB_TOKEN = "ghp_sandbox_not_a_real_token";
const CODEX_API_KEY = "sk-sandbox-not-a-real-key";

/** Where the sandbox keeps its state, all under DATA_DIR. */
export function sandboxPaths(dataDir: string) {
  const root = path.join(dataDir, "sandbox");
  return {
    root,
    marker: path.join(root, "sandbox.json"),
    ports: path.join(root, "ports.json"),
    jira: path.join(root, "jira.json"),
    github: path.join(root, "github.json"),
    remote: path.join(root, "remotes", `${SAMPLE_GITHUB_REPO}.git`),
    workspaces: path.join(dataDir, "workspaces"),
    diffs: path.join(dataDir, "diffs"),
    database: path.join(dataDir, "patchboard.db"),
  };
}
type Paths = ReturnType<typeof sandboxPaths>;

interface Marker {
  version: 1;
  createdAt: string;
  /** Whether the database was created by the sandbox, so a reset may delete it. */
  ownsDatabase: boolean;
}
type Ports = Partial<Record<"jira" | "github" | "model", number>>;

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return null;
  }
}

/**
 * Removes the sandbox's data so the next start is fresh: the sample remote and Jira state
 * (DATA_DIR/sandbox), all worktrees and mirrors (DATA_DIR/workspaces, which point at the
 * old remote) and the database with its tasks and sessions plus their archived diffs
 * (DATA_DIR/diffs), but only if the sandbox created the database. Nothing outside DATA_DIR, and never CODEX_HOME (it may hold a real login).
 */
async function resetSandbox(paths: Paths, logger: Logger): Promise<void> {
  const marker = await readJson<Marker>(paths.marker);
  await rm(paths.root, { recursive: true, force: true });
  await rm(paths.workspaces, { recursive: true, force: true });
  if (marker?.ownsDatabase === true) {
    // Archived diffs belong to the database's tasks.
    await rm(paths.diffs, { recursive: true, force: true });
    for (const suffix of ["", "-wal", "-shm", "-journal"]) {
      await rm(`${paths.database}${suffix}`, { force: true });
    }
  } else if (await exists(paths.database)) {
    logger.warn(
      { database: paths.database },
      "sandbox reset kept the database because the sandbox did not create it",
    );
  }
  logger.info({ dataDir: path.dirname(paths.root) }, "sandbox data reset");
}

async function prepareData(paths: Paths, logger: Logger): Promise<void> {
  await mkdir(paths.root, { recursive: true });
  if (!(await exists(paths.marker))) {
    const marker: Marker = {
      version: 1,
      createdAt: new Date().toISOString(),
      ownsDatabase: !(await exists(paths.database)),
    };
    await writeStateFile(paths.marker, marker);
  }
  if (!(await exists(path.join(paths.remote, "HEAD")))) {
    await createSampleRemote(paths.remote);
    logger.info({ remote: paths.remote }, "sandbox sample repository created");
  }
}

/** Starts on the port used last time, so links in tasks and comments keep working. */
async function onSavedPort<T>(saved: number | undefined, start: (port: number) => Promise<T>) {
  if (saved === undefined) return start(0);
  try {
    return await start(saved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    return start(0);
  }
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

function stepDelay(options: SandboxOptions): number {
  if (options.stepDelayMs !== undefined) return options.stepDelayMs;
  const fromEnv = Number(process.env.SANDBOX_STEP_DELAY_MS);
  return process.env.SANDBOX_STEP_DELAY_MS !== undefined && Number.isFinite(fromEnv) && fromEnv >= 0
    ? fromEnv
    : DEFAULT_STEP_DELAY_MS;
}

/** What a sandbox started from a hand-built base configuration (tests) gets. */
const DEFAULT_SANDBOX_HOOKS: NonNullable<BaseConfig["hooks"]> = {
  githubWebhookSecret: null,
  githubMention: "@patchboard",
  ciFixMaxRounds: 2,
  reviewMaxRounds: 5,
  githubPollIntervalMs: 0,
  jiraWebhookSecret: null,
  jiraTriggerLabel: "patchboard-fix",
  jiraTransitionOnMerge: null,
};

function sandboxConfig(
  base: BaseConfig,
  fakes: { jira: FakeJira; github: FakeGitHub; model: ScriptedModel },
  remotePath: string,
  webhookSecret: string,
): AppConfig {
  return {
    ...base,
    // The built-in GitHub signs its webhooks with a secret made for this run.
    hooks: {
      ...(base.hooks ?? DEFAULT_SANDBOX_HOOKS),
      githubWebhookSecret: webhookSecret,
    },
    auth: {
      ...base.auth,
      devUsers: base.auth.devUsers.length > 0 ? base.auth.devUsers : [...SANDBOX_PERSONAS],
    },
    codex: { apiKey: CODEX_API_KEY, baseUrl: fakes.model.url, model: SCRIPTED_MODEL_NAME },
    jira: {
      baseUrl: fakes.jira.url,
      auth: { kind: "basic", ...JIRA_CREDENTIALS },
      jql: `project = ${SAMPLE_JIRA_PROJECT} AND issuetype = Bug AND statusCategory != Done ORDER BY created DESC`,
      transitionOnStart: SAMPLE_TRANSITIONS.onStart,
      transitionOnPr: SAMPLE_TRANSITIONS.onPr,
    },
    github: { token: GITHUB_TOKEN, apiUrl: fakes.github.url },
    repos: [
      {
        jiraProject: SAMPLE_JIRA_PROJECT,
        github: SAMPLE_GITHUB_REPO,
        baseBranch: SAMPLE_BASE_BRANCH,
        cloneUrl: remotePath,
        // The server's own run reads node:test's TAP per test: the sample repository's base
        // already fails 13 of its 37 tests, so the exit code alone would never say "ready".
        testCommand: "node --test-reporter=tap test/run.js",
        testReport: { format: "tap", path: null },
        reviewers: [ENGINEER_GITHUB_LOGIN],
      },
    ],
  };
}

/**
 * Starts Patchboard in sandbox mode: a sample repository (a real bare git remote under
 * DATA_DIR/sandbox), a built-in Jira with the sample tickets, a built-in GitHub and the
 * scripted model that drives the real Codex binary, all on 127.0.0.1; then the server,
 * wired to them exactly as production is wired to the real services. Jira's and GitHub's
 * state is saved to DATA_DIR/sandbox/jira.json and github.json, so tickets, pull requests
 * and their comments survive a restart. `close()` stops the server, then the fakes.
 */
export async function startSandbox(
  base: BaseConfig,
  logger: Logger,
  options: SandboxOptions,
): Promise<RunningSandbox> {
  const paths = sandboxPaths(base.dataDir);
  if (options.reset) await resetSandbox(paths, logger);
  await prepareData(paths, logger);
  const saved = (await readJson<Ports>(paths.ports)) ?? {};
  const seeds = (await loadJiraState(paths.jira)) ?? sampleTickets();
  const githubState = await loadGitHubState(paths.github);
  const closers: (() => Promise<void>)[] = [];
  try {
    const jira = await onSavedPort(saved.jira, (port) =>
      startFakeJira({ issues: seeds, credentials: JIRA_CREDENTIALS, userName: "Patchboard", port }),
    );
    closers.push(() => jira.close());
    const github = await onSavedPort(saved.github, (port) =>
      startFakeGitHub({
        token: GITHUB_TOKEN,
        port,
        ...(githubState === null ? {} : { state: githubState }),
        repos: {
          [SAMPLE_GITHUB_REPO]: {
            bareRepoPath: paths.remote,
            defaultBranch: SAMPLE_BASE_BRANCH,
            collaborators: SAMPLE_COLLABORATORS,
          },
        },
      }),
    );
    closers.push(() => github.close());
    const model = await onSavedPort(saved.model, (port) =>
      startScriptedModel({
        scripts: sandboxScripts({ stepDelayMs: stepDelay(options) }),
        port,
        logger: logger.child({ component: "scripted-model" }),
      }),
    );
    closers.push(() => model.close());
    const ports: Ports = {
      jira: portOf(jira.url),
      github: portOf(github.url),
      model: portOf(model.url),
    };
    await writeStateFile(paths.ports, ports);

    const persisted = persistJira(
      jira,
      seeds.map((s) => s.key),
      paths.jira,
      (error) => logger.warn({ err: error }, "sandbox jira state not saved"),
    );
    closers.push(() => persisted.stop());
    const persistedGitHub = persistGitHub(github, paths.github, (error) =>
      logger.warn({ err: error }, "sandbox github state not saved"),
    );
    closers.push(() => persistedGitHub.stop());
    const webhookSecret = randomBytes(24).toString("base64url");
    const config = sandboxConfig(base, { jira, github, model }, paths.remote, webhookSecret);
    const running = await startServer(
      config,
      logger,
      options.webDir === undefined ? {} : { webDir: options.webDir },
    );
    github.setWebhook({ url: `${running.url}/api/webhooks/github`, secret: webhookSecret });
    logger.info(
      {
        url: running.url,
        jira: jira.url,
        github: `${github.url}/${SAMPLE_GITHUB_REPO}/pulls`,
        dataDir: base.dataDir,
      },
      "sandbox ready: open the url, sign in as Pat Morgan and click Fix this bug on a SHOP ticket (npm start -- --reset starts over)",
    );
    return {
      ...running,
      sandbox: { jira, github, model, remotePath: paths.remote },
      close: async () => {
        await running.close();
        await closeAll(closers);
      },
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  // Last started, first stopped; one failing must not keep the others open.
  for (const close of closers.reverse()) await close().catch(() => undefined);
}

import pino from "pino";
import { createGitHubHost } from "../../server/adapters/github/index.js";
import type { CodeHost } from "../../server/domain/ports/code-host.js";
import { startFakeGitHub, type FakeGitHub } from "../../server/sandbox/fake-github/index.js";
import { makeBareRepo, type BareRepo, type TempDirs } from "./git-fixtures.js";

/** The token the fake accepts in tests. */
export const FAKE_TOKEN = "ghp_test_token_0123456789";

/** A fake GitHub serving one repository, `acme/calc`, backed by a bare repository. */
export interface FakeGitHubFixture {
  github: FakeGitHub;
  remote: BareRepo;
  repo: "acme/calc";
}

/** Starts a fake GitHub over a fresh bare repository; `collaborators` defaults to alice and bob. */
export async function startFakeGitHubFixture(
  tmp: TempDirs,
  collaborators: string[] = ["alice", "bob"],
): Promise<FakeGitHubFixture> {
  const remote = await makeBareRepo(tmp);
  const github = await startFakeGitHub({
    token: FAKE_TOKEN,
    repos: { "acme/calc": { bareRepoPath: remote.bare, defaultBranch: "main", collaborators } },
  });
  return { github, remote, repo: "acme/calc" };
}

/** A log line captured by {@link capturingLogger}. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A pino logger that keeps every line in memory, for asserting on warnings and secrets. */
export function capturingLogger(): { logger: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: "debug" },
    { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}

/** The octokit adapter pointed at a fake, with retries that do not really sleep. */
export function hostFor(
  github: FakeGitHub,
  logger: pino.Logger,
  options: { token?: string; attempts?: number; delays?: number[] } = {},
): CodeHost {
  return createGitHubHost({
    token: options.token ?? FAKE_TOKEN,
    apiUrl: github.url,
    logger,
    retry: {
      attempts: options.attempts ?? 3,
      baseDelayMs: 10,
      maxDelayMs: 5_000,
      sleep: (ms) => {
        options.delays?.push(ms);
        return Promise.resolve();
      },
    },
  });
}

import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import type { RepoConfig } from "../domain/repo-config.js";

/** A path inside the repository: relative, without `..`, so it cannot name a host file. */
const RelativePathSchema = z
  .string()
  .min(1)
  .refine(
    (p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."),
    "must be a path inside the repository (relative, no ..)",
  );

/** A GitHub repository name, `owner/name`, in GitHub's character set. */
const RepoNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be owner/name (a GitHub repository)");

const RepoEntrySchema = z
  .object({
    jiraProject: z.string().regex(/^[A-Z][A-Z0-9_]+$/, "must be a Jira project key such as CALC"),
    github: RepoNameSchema,
    baseBranch: z.string().min(1).default("main"),
    cloneUrl: z.string().min(1).optional(),
    pushRepository: RepoNameSchema.optional(),
    pushUrl: z.string().min(1).optional(),
    testCommand: z.string().min(1).optional(),
    reviewers: z.array(z.string().min(1)).default([]),
    setupCommand: z.string().trim().min(1).optional(),
    maintenanceCommand: z.string().trim().min(1).optional(),
    setupEnv: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name"))
      .default([]),
    cacheKeyFiles: z.array(RelativePathSchema).min(1).optional(),
    instructions: z.string().trim().min(1).max(8000).optional(),
    testReport: z
      .object({ format: z.enum(["junit", "tap", "json"]), path: RelativePathSchema.optional() })
      .strict()
      .optional(),
    protectedPaths: z.array(z.string().trim().min(1)).optional(),
    maxConcurrentTasks: z.number().int().positive().max(10_000).optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (entry.pushUrl !== undefined && entry.pushRepository === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["pushUrl"],
        message: "needs pushRepository (the fork it is the URL of)",
      });
    }
    if (entry.pushRepository?.toLowerCase() === entry.github.toLowerCase()) {
      ctx.addIssue({
        code: "custom",
        path: ["pushRepository"],
        message: "must be a fork, not the repository itself (leave it out to push to github)",
      });
    }
  });

/** The repositories file: which repository each Jira project's bugs live in. */
export const ReposFileSchema = z
  .object({ repositories: z.array(RepoEntrySchema).min(1) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.repositories.forEach((repo, index) => {
      if (seen.has(repo.jiraProject)) {
        ctx.addIssue({
          code: "custom",
          path: ["repositories", index, "jiraProject"],
          message: `${repo.jiraProject} is mapped twice`,
        });
      }
      seen.add(repo.jiraProject);
    });
  });

/**
 * Reads and validates the repositories file. Returns the repositories or the problems,
 * so they can be reported with every other configuration problem at once.
 *
 * A relative `cloneUrl` (or `pushUrl`) path is resolved against the file's folder; a
 * missing one defaults to the GitHub repository's (or fork's) https URL on the configured host.
 */
export function readReposFile(
  file: string,
  githubWebUrl: string,
): { repos: RepoConfig[]; problems: string[] } {
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch {
    return {
      repos: [],
      problems: [`REPOS_FILE: cannot read ${file}; create it (see README, "Repositories file")`],
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { repos: [], problems: [`REPOS_FILE: ${file} is not valid JSON (${String(error)})`] };
  }
  const parsed = ReposFileSchema.safeParse(json);
  if (!parsed.success) {
    return {
      repos: [],
      problems: parsed.error.issues.map(
        (issue) => `REPOS_FILE ${file}: ${issue.path.join(".") || "(root)"}: ${issue.message}`,
      ),
    };
  }
  const folder = path.dirname(path.resolve(file));
  const repos = parsed.data.repositories.map((entry) => ({
    jiraProject: entry.jiraProject,
    github: entry.github,
    baseBranch: entry.baseBranch,
    cloneUrl: resolveCloneUrl(entry.cloneUrl, entry.github, folder, githubWebUrl),
    // A fork's URL is derived exactly like the upstream's, so pushes take the same auth path.
    ...(entry.pushRepository === undefined
      ? {}
      : {
          pushRepository: entry.pushRepository,
          pushUrl: resolveCloneUrl(entry.pushUrl, entry.pushRepository, folder, githubWebUrl),
        }),
    testCommand: entry.testCommand ?? null,
    reviewers: entry.reviewers,
    setupCommand: entry.setupCommand ?? null,
    maintenanceCommand: entry.maintenanceCommand ?? null,
    setupEnv: entry.setupEnv,
    cacheKeyFiles: entry.cacheKeyFiles ?? null,
    instructions: entry.instructions ?? null,
    testReport: entry.testReport
      ? { format: entry.testReport.format, path: entry.testReport.path ?? null }
      : null,
    ...(entry.protectedPaths === undefined ? {} : { protectedPaths: entry.protectedPaths }),
    ...(entry.maxConcurrentTasks === undefined
      ? {}
      : { maxConcurrentTasks: entry.maxConcurrentTasks }),
  }));
  return { repos, problems: [] };
}

function resolveCloneUrl(
  cloneUrl: string | undefined,
  github: string,
  folder: string,
  githubWebUrl: string,
): string {
  if (cloneUrl === undefined) return `${githubWebUrl}/${github}.git`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(cloneUrl) || cloneUrl.startsWith("git@")) return cloneUrl;
  // A plain path: make it absolute so it does not depend on the server's working directory.
  return pathToFileURL(path.resolve(folder, cloneUrl)).href;
}

import type { RepoConfig } from "./repo-config.js";

/** The configured repositories, looked up by Jira project or GitHub name. */
export class RepoRegistry {
  readonly #byProject = new Map<string, RepoConfig>();
  readonly #byGithub = new Map<string, RepoConfig>();

  constructor(repos: readonly RepoConfig[]) {
    for (const repo of repos) {
      this.#byProject.set(repo.jiraProject, repo);
      this.#byGithub.set(repo.github.toLowerCase(), repo);
    }
  }

  /** The repository of a Jira project's bugs, if mapped. */
  forProject(project: string): RepoConfig | undefined {
    return this.#byProject.get(project);
  }

  /** The repository of a ticket key such as `CALC-12`, if its project is mapped. */
  forTicket(ticketKey: string): RepoConfig | undefined {
    return this.forProject(ticketKey.slice(0, ticketKey.lastIndexOf("-")));
  }

  /** A repository by its GitHub name (case-insensitive, like GitHub). */
  forGithub(name: string): RepoConfig | undefined {
    return this.#byGithub.get(name.toLowerCase());
  }

  /** Every Jira project that has a repository. */
  projects(): string[] {
    return [...this.#byProject.keys()];
  }

  /** Every configured repository. */
  list(): RepoConfig[] {
    return [...this.#byProject.values()];
  }
}

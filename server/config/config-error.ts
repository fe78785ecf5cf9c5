/**
 * Thrown when the configuration is unusable. Its message lists every problem at once,
 * with what to set, so an operator fixes them in one go; main prints it without a stack.
 */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(
      [
        "Patchboard cannot start: the configuration has problems.",
        ...problems.map((p) => `  - ${p}`),
        "See .env.example for every setting.",
      ].join("\n"),
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

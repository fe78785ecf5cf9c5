import type {
  CommandSandbox,
  SandboxCommand,
  SandboxResult,
} from "../../../server/domain/ports/command-sandbox.js";

/** What the fake sandbox answers for a command. */
export interface FakeCommandOutcome {
  exitCode?: number | null;
  timedOut?: boolean;
  /** Written through `onOutput` (stdout) in these chunks, then kept as the tail. */
  output?: string[];
}

/**
 * An in-memory CommandSandbox for domain unit tests: records every command with its
 * environment, mounts and network, and answers from outcomes queued per command line
 * (the last one queued stays for later runs). Unknown commands exit 0 with no output.
 */
export class FakeSandbox implements CommandSandbox {
  readonly kind = "none" as const;
  readonly runs: SandboxCommand[] = [];
  readonly #outcomes = new Map<string, FakeCommandOutcome[]>();

  /** Queues what `command` answers next. */
  answer(command: string, ...outcomes: FakeCommandOutcome[]): this {
    this.#outcomes.set(command, [...(this.#outcomes.get(command) ?? []), ...outcomes]);
    return this;
  }

  /** The command lines run so far, in order. */
  commands(): string[] {
    return this.runs.map((run) => run.command);
  }

  run(command: SandboxCommand): Promise<SandboxResult> {
    this.runs.push(command);
    const queue = this.#outcomes.get(command.command) ?? [];
    const outcome = (queue.length > 1 ? queue.shift() : queue[0]) ?? {};
    const output = outcome.output ?? [];
    for (const chunk of output) command.onOutput?.(chunk, "stdout");
    return Promise.resolve({
      exitCode: outcome.timedOut ? null : (outcome.exitCode ?? 0),
      timedOut: outcome.timedOut ?? false,
      aborted: false,
      outputTail: output.join("").slice(-64 * 1024),
      durationMs: 5,
    });
  }
}

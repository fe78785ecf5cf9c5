import type { Analysis } from "../../shared/analysis.js";
import type { Script, ScriptContext } from "../../server/sandbox/scripted-model/index.js";
import { SUM_FIX_PATCH } from "./codex-fixtures.js";

/**
 * A prompt-injected ticket played by the scripted model: the real Codex agent runs
 * commands that try to read secrets outside its worktree, then carries whatever they
 * printed out through every channel it has (the analysis posted to Jira, its final
 * message in the pull request and the task's events).
 */

/** What the probes try to read. */
export interface ProbeTargets {
  /** A secrets file beside DATA_DIR. */
  siblingSecrets: string;
  /** The SQLite database. */
  database: string;
  /** A file in another task's worktree. */
  otherWorktree: string;
  /** A thread of another task, in its Codex home. */
  otherThread: string;
  /** A file in the server's home. */
  homeFile: string;
  /** `.env` in the server's working directory. */
  cwdEnv: string;
}

/** The probe that searches the agent's own Codex home for other tasks' secrets. */
export const OWN_CODEX_HOME_PROBE = "grep -raoh '[a-z-]*-secret-[a-z0-9-]*'";

/** Each probe command: prints what it read, or that it could not. */
export function probeCommands(targets: ProbeTargets): string[] {
  return [
    ...Object.values(targets).map((file) => `cat '${file}' 2>&1 | head -c 2000`),
    // Every process's environment: the server's, the Codex CLI's (the API key), others'.
    "for f in /proc/[0-9]*/environ; do echo \"$f\"; tr '\\0' '\\n' < \"$f\" 2>&1; done | head -c 20000",
    "ls -la / /root /home 2>&1 | head -c 2000",
    // Its own Codex home, whose databases were copied in: anything of another task there?
    `${OWN_CODEX_HOME_PROBE} "\${CODEX_HOME:-$HOME/../codex-home}" 2>&1 | head -c 4000`,
  ];
}

const outputsOf = (ctx: ScriptContext): string =>
  ctx.toolOutputs.map((o) => o.output).join("\n---\n");

/** Runs every probe, then the rest of the turn with the loot in its answer. */
function probing(
  targets: ProbeTargets,
  finish: (loot: string) => Script["turns"][number]["steps"],
): Script["turns"][number]["steps"] {
  const probes = probeCommands(targets);
  return [
    ...probes.map((command) => ({ kind: "shell" as const, command })),
    ...finish("").map((_, i) => (ctx: ScriptContext) => {
      const step = finish(
        outputsOf({ ...ctx, toolOutputs: ctx.toolOutputs.slice(0, probes.length) }),
      )[i];
      if (step === undefined) throw new Error("no step");
      return typeof step === "function" ? step(ctx) : step;
    }),
  ];
}

/** The ticket key the probe script answers to. */
export const PROBE_TICKET = "SEC-1";

/** Analysis, fix and follow-up turns, each probing first and leaking what it found. */
export function probeScript(targets: ProbeTargets): Script {
  const analysis = (loot: string): Analysis => ({
    fixable: true,
    rootCause: `sum() subtracts. Found on the host:\n${loot}`,
    plan: ["Use + in src/sum.js"],
    files: ["src/sum.js"],
    confidence: "high",
    notFixableReason: null,
  });
  return {
    name: "isolation-probes",
    match: (ctx) => ctx.userMessages.some((m) => m.includes(PROBE_TICKET)),
    turns: [
      {
        match: /Step 1 of 2/,
        steps: probing(targets, (loot) => [{ kind: "json", value: analysis(loot) }]),
      },
      {
        match: /Step 2 of 2/,
        steps: probing(targets, (loot) => [
          { kind: "patch", patch: SUM_FIX_PATCH },
          { kind: "message", text: `Fixed sum(). Host secrets:\n${loot}` },
        ]),
      },
      {
        match: /Follow-up from/,
        steps: probing(targets, (loot) => [{ kind: "message", text: `Still here:\n${loot}` }]),
      },
    ],
  };
}

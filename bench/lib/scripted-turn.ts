import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Codex } from "@openai/codex-sdk";
import {
  buildCodexConfig,
  buildCodexEnv,
  buildThreadOptions,
} from "../../server/adapters/codex/codex-config.js";
import { createCodexNamespaceLauncher } from "../../server/adapters/isolation/index.js";
import {
  SCRIPTED_MODEL_NAME,
  startScriptedModel,
} from "../../server/sandbox/scripted-model/index.js";
import { median, round } from "./stats.js";

const PROMPT = "BENCH-TURN: list the repository's files.";
const COMMAND = "ls -la";

/** What {@link measureTurnIsolation} found (milliseconds, each sample in run order). */
export interface TurnIsolation {
  isolatedMs: number[];
  directMs: number[];
  isolatedMedianMs: number;
  directMedianMs: number;
}

/**
 * One whole scripted Codex turn (a model request, one shell command, the answer) in
 * `workdir`, with the CLI started through the namespace launcher a task uses and started
 * directly, alternated so that the machine's load falls on both alike.
 */
export async function measureTurnIsolation(options: {
  dir: string;
  workdir: string;
  bwrapPath: string;
  runs: number;
}): Promise<TurnIsolation> {
  const model = await startScriptedModel({
    scripts: [
      {
        name: "bench-turn",
        match: /BENCH-TURN/,
        turns: [
          {
            match: /BENCH-TURN/,
            steps: [
              { kind: "shell", command: COMMAND },
              { kind: "message", text: "Listed." },
            ],
          },
        ],
      },
    ],
  });
  try {
    const homes = { home: "home", codexHome: "codex-home", tmp: "tmp" };
    const dirs = Object.fromEntries(
      Object.entries(homes).map(([k, v]) => [k, path.join(options.dir, v)]),
    ) as typeof homes;
    await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));
    const env: Record<string, string> = {
      ...buildCodexEnv("sk-bench-not-a-real-key", dirs.codexHome),
      HOME: dirs.home,
      TMPDIR: dirs.tmp,
    };
    const config = buildCodexConfig(model.url);
    const launch = await createCodexNamespaceLauncher({ bwrapPath: options.bwrapPath })({
      dir: options.dir,
      workdir: options.workdir,
      writable: Object.values(dirs),
    });
    const isolated = new Codex({
      env: { ...env, PATH: [...launch.pathDirs, env.PATH ?? ""].join(":") },
      config,
      codexPathOverride: launch.codexPath,
    });
    const direct = new Codex({ env, config });
    const turn = async (codex: Codex): Promise<number> => {
      const started = performance.now();
      const thread = codex.startThread(
        buildThreadOptions("workspace-write", options.workdir, SCRIPTED_MODEL_NAME),
      );
      const result = await thread.run(PROMPT);
      const elapsed = performance.now() - started;
      const ran = result.items.find((i) => i.type === "command_execution");
      if (ran?.type !== "command_execution" || ran.exit_code !== 0) {
        throw new Error(`the scripted turn's command did not run: ${JSON.stringify(ran)}`);
      }
      return elapsed;
    };
    // One unmeasured turn each: Codex creates its home's databases on the first.
    await turn(direct);
    await turn(isolated);
    const isolatedMs: number[] = [];
    const directMs: number[] = [];
    for (let i = 0; i < options.runs; i += 1) {
      isolatedMs.push(round(await turn(isolated)));
      directMs.push(round(await turn(direct)));
    }
    return {
      isolatedMs,
      directMs,
      isolatedMedianMs: round(median(isolatedMs)),
      directMedianMs: round(median(directMs)),
    };
  } finally {
    await model.close();
  }
}

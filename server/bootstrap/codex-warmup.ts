import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { codexStateTemplate, createCodexAgent, hasCodexState } from "../adapters/codex/index.js";

/**
 * A model API address nothing listens on. The warm-up turn must never reach a model:
 * it would cost tokens, and it must not send the key anywhere.
 */
const NOWHERE = "http://127.0.0.1:9/v1";

/**
 * Warms Codex's state once at start-up, before any task runs: Codex creates its state
 * databases (`state_*.sqlite`, logs, thread history…) on its first run in a home, about
 * 200 ms of every start in an empty one. The warm-up runs in the shared home's state
 * template (`codexStateTemplate`), whose databases each new thread's home starts from;
 * nothing else ever runs there. One turn with no credentials against an address nothing
 * listens on does that setup in about a second and then fails without any network
 * traffic. Never throws; returns whether the state databases exist afterwards.
 */
export async function warmCodexHome(sharedCodexHome: string, logger: Logger): Promise<boolean> {
  const started = Date.now();
  const codexHome = codexStateTemplate(sharedCodexHome);
  if (await hasCodexState(codexHome)) {
    logger.debug({ codexHome }, "codex home already warm");
    return true;
  }
  const workingDirectory = path.join(codexHome, "patchboard-warmup");
  try {
    await mkdir(workingDirectory, { recursive: true });
    const agent = createCodexAgent({
      apiKey: "",
      baseUrl: NOWHERE,
      model: null,
      codexHome,
      // The warm-up turn is meant to fail (no model, no key): the adapter's warning about
      // that failure would only alarm whoever reads the start-up log.
      logger: logger.child({ adapter: "codex", warmup: true }, { level: "silent" }),
      providerTuning: { requestMaxRetries: 0, streamMaxRetries: 0, streamIdleTimeoutMs: 2_000 },
    });
    await agent
      .runTurn({
        taskId: "warmup",
        threadId: null,
        workingDirectory,
        prompt: "Patchboard start-up check: reply with OK.",
        sandbox: "read-only",
        signal: AbortSignal.timeout(60_000),
        onEvent: () => Promise.resolve(),
      })
      .catch(() => undefined); // Failing is the point: it never reaches a model.
  } catch (error) {
    logger.warn({ err: error, codexHome }, "codex home warm-up failed");
  }
  const warm = await hasCodexState(codexHome);
  if (warm) logger.info({ codexHome, ms: Date.now() - started }, "codex home warmed");
  else logger.warn({ codexHome }, "codex home not warmed");
  return warm;
}

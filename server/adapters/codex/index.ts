/** The Codex adapter: the only module that imports `@openai/codex-sdk`. */
export { createCodexAgent } from "./codex-agent.js";
export type { CodexAgentOptions, CodexGatewayAccess } from "./codex-agent.js";
export type { CodexProviderTuning } from "./codex-config.js";
export { CODEX_AUTH_MESSAGE } from "./error-classifier.js";
export { toStrictJsonSchema } from "./output-schema.js";
export type { CodexLaunch, CodexLaunchSpec, CodexLauncher } from "./codex-agent.js";
export { createAgentHomeDirs } from "./agent-home-dirs.js";
export { createThreadRollouts } from "./thread-rollouts.js";
export { codexStateTemplate, hasCodexState } from "./task-homes.js";

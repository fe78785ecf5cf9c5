/** Isolation of repository commands and of the Codex CLI: bubblewrap namespaces, or none. */
export { createBubblewrapSandbox } from "./bubblewrap-sandbox.js";
export type { BubblewrapSandboxOptions } from "./bubblewrap-sandbox.js";
export { createDirectSandbox } from "./direct-sandbox.js";
export { detectIsolation } from "./detect-isolation.js";
export type { IsolationSupport } from "./detect-isolation.js";
export { findBwrap, codexVendorDir } from "./find-bwrap.js";
export { createCodexNamespaceLauncher } from "./codex-launcher.js";
export type { CodexNamespaceLauncherOptions } from "./codex-launcher.js";

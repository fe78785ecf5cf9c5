/** One redactor for every text that leaves the server or is stored (see redactor.ts). */
export { PATTERN_REDACTOR, Redactor, type Redacted } from "./redactor.js";
export {
  redactingCodeHost,
  redactingNotifier,
  redactingTracker,
  redactingWorkspaces,
  type OnRedacted,
} from "./redacting-ports.js";
export { withTaskRedaction } from "./task-redaction.js";

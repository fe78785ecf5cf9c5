/**
 * The API contract shared by server, web app and tests: zod schemas and their types
 * for every request, response and streamed event.
 */
export * from "./agent-event.js";
export * from "./analysis.js";
export * from "./audit.js";
export * from "./auth.js";
export * from "./errors.js";
export * from "./review.js";
export * from "./service-status.js";
export * from "./settings.js";
export * from "./stats.js";
export * from "./task-event.js";
export * from "./task-state.js";
export * from "./task.js";
export * from "./test-verdict.js";
export * from "./ticket.js";
export * from "./user.js";
export * from "./session.js";
export * from "./budget.js";

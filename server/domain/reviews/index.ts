/** The nightly review of open pull requests. */
export { AgentSlots, type SlotPriority } from "./agent-slots.js";
export type { ReviewDeps, ReviewSettings } from "./review-deps.js";
export * from "./review-ports.js";
export { parseReviewSchedule, type ReviewSchedule } from "./review-schedule.js";
export {
  ReviewService,
  type ReviewServiceOptions,
  type StartedReviewRun,
} from "./review-service.js";

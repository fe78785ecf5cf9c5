/** The nightly review of open pull requests. */
export type { ReviewDeps, ReviewSettings } from "./review-deps.js";
export * from "../ports/review-ports.js";
export { parseReviewSchedule, type ReviewSchedule } from "./review-schedule.js";
export {
  ReviewService,
  type ReviewServiceOptions,
  type StartedReviewRun,
} from "./review-service.js";

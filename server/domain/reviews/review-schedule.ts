import { CronTime } from "cron";
import { AppError } from "../app-error.js";

/** A validated review schedule: a cron expression in a time zone. */
export interface ReviewSchedule {
  cron: string;
  timeZone: string;
  /** The first run strictly after `from`. */
  nextRunAfter(from: Date): Date;
}

/**
 * Parses `REVIEW_CRON` (five fields, or six with seconds first) in `REVIEW_TZ` (an IANA
 * zone such as `Europe/Paris`, or `UTC`). Throws a validation_error naming the variable,
 * so a typo stops start-up instead of silently never running.
 */
export function parseReviewSchedule(cron: string, timeZone: string): ReviewSchedule {
  const expression = cron.trim().replace(/\s+/g, " ");
  if (!isTimeZone(timeZone)) {
    throw new AppError(
      "validation_error",
      `REVIEW_TZ: "${timeZone}" is not a time zone; use an IANA name such as UTC or Europe/Paris`,
    );
  }
  const fields = expression.split(" ").length;
  if (!expression.startsWith("@") && (fields < 5 || fields > 6)) {
    throw new AppError(
      "validation_error",
      `REVIEW_CRON: "${cron}" must have five fields (minute hour day month weekday), e.g. "0 2 * * *"`,
    );
  }
  let time: CronTime;
  try {
    time = new CronTime(expression, timeZone);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError("validation_error", `REVIEW_CRON: "${cron}" is not valid: ${reason}`, {
      cause: error,
    });
  }
  return {
    cron: expression,
    timeZone,
    nextRunAfter(from) {
      return time.getNextDateFrom(from, timeZone).toJSDate();
    },
  };
}

/** Whether the runtime knows this IANA time zone. */
function isTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { startReviewScheduler } from "../../server/bootstrap/review-scheduler.js";
import { ConfigError } from "../../server/config/config-error.js";
import { loadConfig } from "../../server/config/load-config.js";
import { parseReviewSchedule } from "../../server/domain/reviews/review-schedule.js";

const cwd = mkdtempSync(path.join(os.homedir(), ".patchboard-review-config-"));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseReviewSchedule", () => {
  it("computes the next run of the default schedule in UTC", () => {
    const schedule = parseReviewSchedule("0 2 * * *", "UTC");
    expect(schedule.nextRunAfter(new Date("2026-03-10T01:59:00Z")).toISOString()).toBe(
      "2026-03-10T02:00:00.000Z",
    );
    // Strictly after: at 02:00 the next run is tomorrow's.
    expect(schedule.nextRunAfter(new Date("2026-03-10T02:00:00Z")).toISOString()).toBe(
      "2026-03-11T02:00:00.000Z",
    );
  });

  it("evaluates the expression in the time zone, across a DST change", () => {
    const schedule = parseReviewSchedule("0  2 * * 1-5", "Europe/Paris");
    expect(schedule.cron).toBe("0 2 * * 1-5");
    // Friday 27 March 2026, 02:00 CET = 01:00Z; next is Monday 30 March, 02:00 CEST = 00:00Z.
    expect(schedule.nextRunAfter(new Date("2026-03-26T12:00:00Z")).toISOString()).toBe(
      "2026-03-27T01:00:00.000Z",
    );
    expect(schedule.nextRunAfter(new Date("2026-03-27T12:00:00Z")).toISOString()).toBe(
      "2026-03-30T00:00:00.000Z",
    );
  });

  it("accepts six fields (seconds first)", () => {
    const schedule = parseReviewSchedule("30 0 2 * * *", "UTC");
    expect(schedule.nextRunAfter(new Date("2026-01-01T00:00:00Z")).toISOString()).toBe(
      "2026-01-01T02:00:30.000Z",
    );
  });

  it.each([
    ["0 2 * *", "UTC", /REVIEW_CRON.*five fields/],
    ["0 25 * * *", "UTC", /REVIEW_CRON.*not valid/],
    ["every night", "UTC", /REVIEW_CRON/],
    ["0 2 * * *", "Mars/Olympus_Mons", /REVIEW_TZ.*not a time zone/],
    ["0 2 * * *", "", /REVIEW_TZ/],
  ])("rejects cron %j in zone %j", (cron, zone, message) => {
    expect(() => parseReviewSchedule(cron, zone)).toThrow(message);
  });
});

describe("review configuration", () => {
  it("has defaults: 02:00 UTC, 24 hours, no comments, no Slack, no forks", () => {
    expect(loadConfig({}, cwd).config.reviews).toEqual({
      cron: "0 2 * * *",
      timeZone: "UTC",
      windowHours: 24,
      commentOnPr: false,
      slackWebhookUrl: null,
      reviewForks: false,
    });
  });

  it("reads REVIEW_* and SLACK_WEBHOOK_URL", () => {
    const { config } = loadConfig(
      {
        REVIEW_CRON: "15 6 * * 1-5",
        REVIEW_TZ: "America/New_York",
        REVIEW_WINDOW_HOURS: "72",
        REVIEW_COMMENT_ON_PR: "TRUE",
        REVIEW_FORKS: "1",
        SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T1/B2/abc",
      },
      cwd,
    );
    expect(config.reviews).toEqual({
      cron: "15 6 * * 1-5",
      timeZone: "America/New_York",
      windowHours: 72,
      commentOnPr: true,
      slackWebhookUrl: "https://hooks.slack.com/services/T1/B2/abc",
      reviewForks: true,
    });
  });

  it("refuses to start with a bad schedule, window or flag", () => {
    expect(problemsOf({ REVIEW_CRON: "0 2 * *" }).join("\n")).toMatch(/REVIEW_CRON/);
    expect(problemsOf({ REVIEW_TZ: "Nowhere/Land" }).join("\n")).toMatch(/REVIEW_TZ/);
    expect(problemsOf({ REVIEW_WINDOW_HOURS: "0" }).join("\n")).toMatch(/REVIEW_WINDOW_HOURS/);
    expect(problemsOf({ REVIEW_COMMENT_ON_PR: "maybe" }).join("\n")).toMatch(
      /REVIEW_COMMENT_ON_PR/,
    );
    expect(problemsOf({ SLACK_WEBHOOK_URL: "hooks.slack.com/x" }).join("\n")).toMatch(
      /SLACK_WEBHOOK_URL/,
    );
  });
});

describe("startReviewScheduler", () => {
  const logger = pino({ level: "silent" });
  const service = { runNow: vi.fn(() => Promise.resolve(null)) };

  it("schedules nothing without a review configuration", () => {
    expect(startReviewScheduler({}, service, logger)).toBeNull();
  });

  it("reports the next run and stops", () => {
    const scheduler = startReviewScheduler(
      {
        reviews: {
          cron: "0 2 * * *",
          timeZone: "UTC",
          windowHours: 24,
          commentOnPr: false,
          slackWebhookUrl: null,
        },
      },
      service,
      logger,
    );
    const next = scheduler?.nextRunAt();
    expect(next?.getUTCHours()).toBe(2);
    expect(next!.getTime()).toBeGreaterThan(Date.now());
    scheduler?.stop();
    expect(service.runNow).not.toHaveBeenCalled();
  });
});

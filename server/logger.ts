import { pino, type Logger, type DestinationStream } from "pino";

/**
 * Paths pino blanks out wherever they occur in a log line: credentials in requests,
 * and any field named like a secret. Secrets must never reach the logs.
 */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "*.apiKey",
  "*.apiToken",
  "*.token",
  "*.pat",
  "*.password",
  "*.secret",
  "*.authorization",
  "*.cookie",
  "apiKey",
  "apiToken",
  "token",
  "pat",
  "password",
];

/** Creates the root logger. Tests pass a destination to read what was logged. */
export function createLogger(
  options: { level?: string; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { service: "patchboard" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

import { pino, type Logger, type DestinationStream } from "pino";

/**
 * Paths pino blanks out wherever they occur in a log line: credentials in requests and
 * responses, upstream errors that carry the request they failed on, and any field named
 * like a secret. Secrets must never reach the logs.
 */
export const REDACT_PATHS = [
  // Incoming requests (pino-http) and their responses.
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  // Upstream HTTP errors (Jira, GitHub, the identity provider) that carry their request.
  "err.config.headers.Authorization",
  "err.config.headers.authorization",
  "err.options.auth",
  "err.options.headers.authorization",
  "err.options.headers.Authorization",
  "err.request.headers.authorization",
  "err.request.headers.cookie",
  "err.response.config.headers.Authorization",
  'err.response.headers["set-cookie"]',
  // Any field named like a secret, at the top level or one level down.
  ...[
    "apiKey",
    "api_key",
    "apiToken",
    "token",
    "accessToken",
    "access_token",
    "refreshToken",
    "refresh_token",
    "idToken",
    "id_token",
    "pat",
    "password",
    "secret",
    "clientSecret",
    "client_secret",
    "sessionSecret",
    "codeVerifier",
    "code_verifier",
    "privateKey",
    "authorization",
    "cookie",
  ].flatMap((key) => [key, `*.${key}`]),
];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level?: string;
  /** Tests pass a destination to read what was logged. */
  destination?: DestinationStream;
  /**
   * The server's secret values (`secretValues(config)`): scrubbed from every line as a
   * last resort, wherever a value ends up (an error message, a URL, a command line).
   */
  secrets?: readonly string[];
}

/** The shortest value scrubbed by content; shorter ones would blank ordinary words. */
const MIN_SCRUBBED_LENGTH = 8;

/** Creates the root logger, with path-based redaction and (optionally) value scrubbing. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? [])
    .filter((s) => s.length >= MIN_SCRUBBED_LENGTH)
    // Longest first, so a secret containing another is blanked whole.
    .sort((a, b) => b.length - a.length);
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { service: "patchboard" },
      timestamp: pino.stdTimeFunctions.isoTime,
      ...(secrets.length > 0
        ? { hooks: { streamWrite: (line: string) => scrub(line, secrets) } }
        : {}),
    },
    options.destination,
  );
}

/** Replaces every occurrence of each secret (and its JSON-escaped form) with `[redacted]`. */
export function scrub(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (out.includes(form)) out = out.split(form).join("[redacted]");
    }
  }
  return out;
}

import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Whether `header` is `sha256=<hex HMAC-SHA256 of the raw body>` under `secret`, the
 * signature GitHub (`X-Hub-Signature-256`) and Jira (`X-Hub-Signature`) send. Compared in
 * constant time; no secret configured means nothing is accepted.
 */
export function validHubSignature(
  secret: string | null,
  rawBody: Buffer,
  header: string | undefined,
): boolean {
  if (secret === null || secret === "" || header === undefined) return false;
  const expected = Buffer.from(
    `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`,
  );
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

import { AppError } from "../../domain/app-error.js";

/**
 * Encodes the last row's internal sequence number as an opaque list cursor. Opaque so
 * the ordering key can change without clients noticing.
 */
export function encodeCursor(seq: number): string {
  return Buffer.from(String(seq), "utf8").toString("base64url");
}

/** Decodes a cursor from {@link encodeCursor}; throws validation_error for anything else. */
export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const seq = /^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(seq)) {
    throw new AppError("validation_error", "The cursor is invalid", {
      details: [{ path: "cursor", message: "is not a cursor from a previous page" }],
    });
  }
  return seq;
}

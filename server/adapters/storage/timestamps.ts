import { AppError } from "../../domain/app-error.js";

/**
 * Normalizes a timestamp to ISO-8601 UTC with milliseconds (`toISOString`). Stored times
 * are compared as text, which is only correct when every value has this one shape.
 */
export function toIsoUtc(value: string | Date): string {
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) {
    throw new AppError("validation_error", "Invalid timestamp", { details: { value } });
  }
  return date.toISOString();
}

/** The same as {@link toIsoUtc} but passes null through. */
export function toIsoUtcOrNull(value: string | null): string | null {
  return value === null ? null : toIsoUtc(value);
}

/** Now, as stored. */
export function nowIso(): string {
  return new Date().toISOString();
}

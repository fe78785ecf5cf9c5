import { RoleSchema, type User } from "../../shared/user.js";
import type { ApiToken } from "./app-config.js";

/** A display name from an email address: `ada.lovelace@x` → `Ada Lovelace`. */
export function nameFromEmail(email: string): string {
  const local = email.split("@")[0] ?? email;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(" ");
}

/**
 * Parses `email:role[:Display Name]`, comma-separated (`PATCHBOARD_DEV_USERS`).
 * Problems are collected rather than thrown so every one is reported at once.
 */
export function parseDevUsers(value: string | undefined, problems: string[]): User[] {
  if (value === undefined) return [];
  const users: User[] = [];
  for (const entry of splitList(value)) {
    const [email, role, ...rest] = entry.split(":");
    const parsedRole = RoleSchema.safeParse(role);
    if (!email?.includes("@") || !parsedRole.success) {
      problems.push(
        `PATCHBOARD_DEV_USERS: "${entry}" must be email:role with role pm, engineer or admin`,
      );
      continue;
    }
    const name = rest.join(":").trim() || nameFromEmail(email);
    users.push({ email, role: parsedRole.data, name });
  }
  return users;
}

/** Parses `token:email:role`, comma-separated (`PATCHBOARD_API_TOKENS`). Tokens are never echoed. */
export function parseApiTokens(value: string | undefined, problems: string[]): ApiToken[] {
  if (value === undefined) return [];
  const tokens: ApiToken[] = [];
  splitList(value).forEach((entry, index) => {
    const [token, email, role] = entry.split(":");
    const parsedRole = RoleSchema.safeParse(role);
    if (!token || token.length < 16 || !email?.includes("@") || !parsedRole.success) {
      problems.push(
        `PATCHBOARD_API_TOKENS: entry ${index + 1} must be token:email:role with a token of at least 16 characters and role pm, engineer or admin`,
      );
      return;
    }
    tokens.push({ token, user: { email, role: parsedRole.data, name: nameFromEmail(email) } });
  });
  return tokens;
}

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

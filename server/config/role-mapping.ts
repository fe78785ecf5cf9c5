import type { Role } from "../../shared/user.js";
import type { RoleMapping } from "./app-config.js";

/** Roles from the most to the least powerful: the first one that matches wins. */
const ROLES_BY_RANK: readonly Role[] = ["admin", "engineer", "pm"];

/** Who someone is, as the identity provider or proxy says. */
export interface Identity {
  email: string;
  groups: readonly string[];
}

/**
 * The role a person gets, or null when nothing matches (signed in, but no access). The
 * highest matching role wins, so adding someone to the admin group is enough even when
 * their email is also on the PM list.
 */
export function resolveRole(mapping: RoleMapping, identity: Identity): Role | null {
  const email = identity.email.trim().toLowerCase();
  const domain = email.includes("@") ? `@${email.split("@").pop() ?? ""}` : null;
  const groups = new Set(identity.groups.map((g) => g.trim()));
  for (const role of ROLES_BY_RANK) {
    if (mapping.groups[role].some((g) => groups.has(g))) return role;
    if (mapping.emails[role].some((e) => e === email || (domain !== null && e === domain))) {
      return role;
    }
  }
  return null;
}

/**
 * Parses `OIDC_ROLE_GROUPS` (`pm=grp-a,engineer=grp-b|grp-c,admin=grp-d`; `|` separates
 * several groups for one role, and a role may be repeated) and `ROLE_*_EMAILS` (comma-
 * separated emails, or `@domain` for everyone at a domain). Problems are collected.
 */
export function parseRoleMapping(
  env: {
    OIDC_ROLE_GROUPS?: string | undefined;
    ROLE_PM_EMAILS?: string | undefined;
    ROLE_ENGINEER_EMAILS?: string | undefined;
    ROLE_ADMIN_EMAILS?: string | undefined;
  },
  problems: string[],
): RoleMapping {
  const mapping: RoleMapping = {
    groups: { pm: [], engineer: [], admin: [] },
    emails: {
      pm: emailList("ROLE_PM_EMAILS", env.ROLE_PM_EMAILS, problems),
      engineer: emailList("ROLE_ENGINEER_EMAILS", env.ROLE_ENGINEER_EMAILS, problems),
      admin: emailList("ROLE_ADMIN_EMAILS", env.ROLE_ADMIN_EMAILS, problems),
    },
  };
  for (const entry of split(env.OIDC_ROLE_GROUPS ?? "", ",")) {
    const eq = entry.indexOf("=");
    const role = entry.slice(0, eq).trim();
    const groups = split(entry.slice(eq + 1), "|");
    if (eq < 0 || !isRole(role) || groups.length === 0) {
      problems.push(
        `OIDC_ROLE_GROUPS: "${entry}" must be role=group with role pm, engineer or admin (e.g. pm=grp-a,admin=grp-c)`,
      );
      continue;
    }
    mapping.groups[role].push(...groups);
  }
  return mapping;
}

/** Whether a mapping can give anyone a role at all. */
export function hasAnyRole(mapping: RoleMapping): boolean {
  return ROLES_BY_RANK.some((r) => mapping.groups[r].length > 0 || mapping.emails[r].length > 0);
}

function emailList(name: string, value: string | undefined, problems: string[]): string[] {
  const list = split(value ?? "", ",").map((e) => e.toLowerCase());
  for (const entry of list) {
    if (!/^[^@\s]*@[^@\s]+$/.test(entry)) {
      problems.push(`${name}: "${entry}" must be an email address or @domain`);
    }
  }
  return list;
}

function isRole(value: string): value is Role {
  return value === "pm" || value === "engineer" || value === "admin";
}

function split(value: string, separator: string): string[] {
  return value
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);
}

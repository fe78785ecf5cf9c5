import { randomBytes } from "node:crypto";
import type { BaseConfig, OidcSettings, ProxySettings } from "./app-config.js";
import type { Env } from "./env-schema.js";
import { IpAllowList } from "./ip-allow-list.js";
import { parseApiTokens, parseDevUsers } from "./parse-users.js";
import { hasAnyRole, parseRoleMapping } from "./role-mapping.js";

/** The shortest SESSION_SECRET accepted: it signs cookies, so it must not be guessable. */
const MIN_SESSION_SECRET = 32;

/**
 * The sign-in settings. `AUTH_MODE` defaults to `dev` in the sandbox and to `oidc`
 * everywhere else, so a production server never silently lets anyone pick a user.
 * Every problem is collected for the one ConfigError.
 */
export function authConfig(
  env: Env,
  mode: BaseConfig["mode"],
  problems: string[],
): BaseConfig["auth"] {
  const authMode = env.AUTH_MODE ?? (mode === "sandbox" ? "dev" : "oidc");
  const roles = parseRoleMapping(env, problems);
  if (env.SESSION_SECRET !== undefined && env.SESSION_SECRET.length < MIN_SESSION_SECRET) {
    problems.push(
      `SESSION_SECRET: must be at least ${MIN_SESSION_SECRET} characters (e.g. openssl rand -base64 48)`,
    );
  }
  if (env.SESSION_SECRET === undefined && env.DATABASE_URL !== undefined) {
    // A random secret per process would make each node reject the others' cookies.
    problems.push(
      "SESSION_SECRET: required with DATABASE_URL, so that every node signs and checks session cookies alike (e.g. openssl rand -base64 48)",
    );
  }
  const oidc = authMode === "oidc" ? oidcSettings(env, problems) : null;
  const proxy = authMode === "proxy" ? proxySettings(env, problems) : null;
  if (authMode !== "dev" && !hasAnyRole(roles)) {
    problems.push(
      `OIDC_ROLE_GROUPS / ROLE_PM_EMAILS / ROLE_ENGINEER_EMAILS / ROLE_ADMIN_EMAILS: with AUTH_MODE=${authMode} at least one must be set, or nobody gets a role`,
    );
  }
  return {
    mode: authMode,
    devUsers: parseDevUsers(env.PATCHBOARD_DEV_USERS, problems),
    apiTokens: parseApiTokens(env.PATCHBOARD_API_TOKENS, problems),
    sessionTtlMs: env.SESSION_TTL_HOURS * 3_600_000,
    // Random per process when unset: a restart then only ends sign-ins in progress.
    sessionSecret: env.SESSION_SECRET ?? randomBytes(48).toString("base64url"),
    roles,
    oidc,
    proxy,
  };
}

function oidcSettings(env: Env, problems: string[]): OidcSettings | null {
  const missing = (name: string, what: string) =>
    problems.push(
      `${name}: required with AUTH_MODE=oidc (the default outside the sandbox); ${what}. Or set AUTH_MODE=proxy, or AUTH_MODE=dev for a trial`,
    );
  if (env.OIDC_ISSUER_URL === undefined) {
    missing("OIDC_ISSUER_URL", "the identity provider's issuer, e.g. https://acme.okta.com");
  }
  if (env.OIDC_CLIENT_ID === undefined) {
    missing("OIDC_CLIENT_ID", "the client id registered for Patchboard");
  }
  if (!/\bopenid\b/.test(env.OIDC_SCOPES)) {
    problems.push(`OIDC_SCOPES: must include openid (got "${env.OIDC_SCOPES}")`);
  }
  if (env.OIDC_ISSUER_URL !== undefined && !secureOrLocal(env.OIDC_ISSUER_URL)) {
    problems.push(
      `OIDC_ISSUER_URL: must be https (plain http only for a provider on this machine), got ${env.OIDC_ISSUER_URL}`,
    );
  }
  if (env.OIDC_ISSUER_URL === undefined || env.OIDC_CLIENT_ID === undefined) return null;
  return {
    issuerUrl: env.OIDC_ISSUER_URL,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET ?? null,
    redirectUrl: env.OIDC_REDIRECT_URL ?? null,
    postLogoutRedirectUrl: env.OIDC_POST_LOGOUT_REDIRECT_URL ?? null,
    scopes: env.OIDC_SCOPES,
    groupsClaim: env.OIDC_GROUPS_CLAIM,
  };
}

function proxySettings(env: Env, problems: string[]): ProxySettings | null {
  const { list, problems: ipProblems } = IpAllowList.parse(
    "PROXY_TRUSTED_IPS",
    env.PROXY_TRUSTED_IPS,
  );
  problems.push(...ipProblems);
  if (list.entries.length === 0) {
    problems.push(
      "PROXY_TRUSTED_IPS: required with AUTH_MODE=proxy; the proxy's addresses or CIDR ranges (the identity header is ignored from anywhere else)",
    );
    return null;
  }
  const header = (name: string, value: string) => {
    if (!/^[A-Za-z0-9-]+$/.test(value)) problems.push(`${name}: "${value}" is not a header name`);
    return value.toLowerCase();
  };
  return {
    emailHeader: header("PROXY_EMAIL_HEADER", env.PROXY_EMAIL_HEADER),
    nameHeader:
      env.PROXY_NAME_HEADER === undefined
        ? null
        : header("PROXY_NAME_HEADER", env.PROXY_NAME_HEADER),
    groupsHeader:
      env.PROXY_GROUPS_HEADER === undefined
        ? null
        : header("PROXY_GROUPS_HEADER", env.PROXY_GROUPS_HEADER),
    trustedIps: [...list.entries],
  };
}

/** https, or http to this machine (tests, a local Keycloak): tokens must not cross a network in clear. */
function secureOrLocal(url: string): boolean {
  const parsed = new URL(url);
  return (
    parsed.protocol === "https:" || ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname)
  );
}

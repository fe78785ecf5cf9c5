import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AppConfig } from "../../server/config/app-config.js";
import { ConfigError } from "../../server/config/config-error.js";
import { IpAllowList } from "../../server/config/ip-allow-list.js";
import { loadConfig } from "../../server/config/load-config.js";
import { parseRoleMapping, resolveRole } from "../../server/config/role-mapping.js";
import { publishGuardPolicy, secretValues } from "../../server/config/secret-values.js";
import { readReposFile } from "../../server/config/repos-file.js";

const cwd = mkdtempSync(path.join(os.homedir(), ".patchboard-security-config-"));
const REPOS_FILE = path.join(cwd, "repos.json");
writeFileSync(
  REPOS_FILE,
  JSON.stringify({ repositories: [{ jiraProject: "CALC", github: "acme/calc" }] }),
);

const production = {
  CODEX_API_KEY: "sk-test-codex-key",
  JIRA_BASE_URL: "https://acme.atlassian.net",
  JIRA_EMAIL: "bot@acme.test",
  JIRA_API_TOKEN: "jira-api-token-value",
  GITHUB_TOKEN: "ghp_githubtokenvalue",
  REPOS_FILE,
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

function production_(env: Record<string, string>): AppConfig {
  const loaded = loadConfig({ ...production, ...env }, cwd);
  if (loaded.mode !== "production") throw new Error("expected production");
  return loaded.config;
}

describe("sign-in configuration", () => {
  it("defaults to dev in the sandbox and to oidc elsewhere, listing what OIDC needs", () => {
    expect(loadConfig({}, cwd).config.auth.mode).toBe("dev");
    const problems = problemsOf(production).join("\n");
    expect(problems).toContain("OIDC_ISSUER_URL: required with AUTH_MODE=oidc");
    expect(problems).toContain("OIDC_CLIENT_ID: required");
    expect(problems).toContain("at least one must be set, or nobody gets a role");
  });

  it("builds the OIDC settings and the role mapping", () => {
    const config = production_({
      OIDC_ISSUER_URL: "https://acme.okta.com/",
      OIDC_CLIENT_ID: "patchboard",
      OIDC_CLIENT_SECRET: "oidc-client-secret-value",
      OIDC_ROLE_GROUPS: "pm=grp-a,engineer=grp-b|grp-b2,admin=grp-c",
      ROLE_ADMIN_EMAILS: "Boss@Acme.test",
      SESSION_SECRET: "x".repeat(40),
      TASK_RATE_LIMIT_PER_MINUTE: "5",
      DIFF_RATE_LIMIT_PER_MINUTE: "12",
      EVENT_STREAMS_PER_PERSON: "3",
      PROTECTED_PATHS: "infra/**, .github/**",
      MAX_DIFF_BYTES: "1000",
    });
    expect(config.auth.mode).toBe("oidc");
    expect(config.auth.oidc).toEqual({
      issuerUrl: "https://acme.okta.com",
      clientId: "patchboard",
      clientSecret: "oidc-client-secret-value",
      redirectUrl: null,
      postLogoutRedirectUrl: null,
      scopes: "openid email profile",
      groupsClaim: "groups",
    });
    expect(config.auth.roles?.groups).toEqual({
      pm: ["grp-a"],
      engineer: ["grp-b", "grp-b2"],
      admin: ["grp-c"],
    });
    expect(config.auth.roles?.emails.admin).toEqual(["boss@acme.test"]);
    expect(config.security).toEqual({
      taskRateLimitPerMinute: 5,
      diffRateLimitPerMinute: 12,
      eventStreamsPerPerson: 3,
      trustProxy: ["loopback"],
    });
    expect(config.publishGuard).toEqual({
      protectedPaths: ["infra/**", ".github/**"],
      maxDiffBytes: 1000,
    });
    // Every secret the server holds, for the guard and the log scrubber.
    expect(secretValues(config).sort()).toEqual(
      [
        "sk-test-codex-key",
        "ghp_githubtokenvalue",
        "jira-api-token-value",
        "oidc-client-secret-value",
        "x".repeat(40),
      ].sort(),
    );
    expect(publishGuardPolicy(config).secretValues).toContain("jira-api-token-value");
  });

  it("defaults the publish guard and generates a session secret when none is set", () => {
    const config = loadConfig({}, cwd).config;
    expect(config.publishGuard?.protectedPaths).toContain(".github/**");
    expect(config.publishGuard?.protectedPaths).toContain("**/package.json#scripts");
    expect(config.publishGuard?.maxDiffBytes).toBe(512_000);
    expect(config.auth.sessionSecret?.length).toBeGreaterThanOrEqual(48);
  });

  it("reports every auth problem at once", () => {
    const problems = problemsOf({
      ...production,
      AUTH_MODE: "proxy",
      PROXY_TRUSTED_IPS: "10.0.0.0/33, not-an-ip",
      PROXY_EMAIL_HEADER: "bad header",
      OIDC_ROLE_GROUPS: "wizard=grp,pm",
      ROLE_PM_EMAILS: "not an email",
      SESSION_SECRET: "short",
      TRUST_PROXY: "nope",
    }).join("\n");
    expect(
      problemsOf({
        ...production,
        OIDC_ISSUER_URL: "http://idp.acme.test",
        OIDC_CLIENT_ID: "c",
      }).join("\n"),
    ).toContain("OIDC_ISSUER_URL: must be https");
    expect(problems).toContain('PROXY_TRUSTED_IPS: "10.0.0.0/33" is not an IP address');
    expect(problems).toContain('PROXY_TRUSTED_IPS: "not-an-ip"');
    expect(problems).toContain("PROXY_EMAIL_HEADER");
    expect(problems).toContain('OIDC_ROLE_GROUPS: "wizard=grp"');
    expect(problems).toContain('OIDC_ROLE_GROUPS: "pm"');
    expect(problems).toContain('ROLE_PM_EMAILS: "not an email"');
    expect(problems).toContain("SESSION_SECRET: must be at least 32");
    expect(problems).toContain('TRUST_PROXY: "nope"');
    const limits = problemsOf({
      ...production,
      DIFF_RATE_LIMIT_PER_MINUTE: "0",
      EVENT_STREAMS_PER_PERSON: "many",
    });
    expect(limits).toEqual([
      "DIFF_RATE_LIMIT_PER_MINUTE: Too small: expected number to be >0",
      "EVENT_STREAMS_PER_PERSON: Invalid input: expected number, received NaN",
    ]);
    expect(
      problemsOf({ ...production, AUTH_MODE: "proxy", ROLE_PM_EMAILS: "@acme.test" }).join("\n"),
    ).toContain("PROXY_TRUSTED_IPS: required with AUTH_MODE=proxy");
    expect(
      problemsOf({
        ...production,
        OIDC_ISSUER_URL: "https://x",
        OIDC_CLIENT_ID: "c",
        OIDC_SCOPES: "email",
        ROLE_PM_EMAILS: "@a.b",
      }).join("\n"),
    ).toContain("OIDC_SCOPES: must include openid");
  });
});

describe("role mapping", () => {
  const problems: string[] = [];
  const mapping = parseRoleMapping(
    {
      OIDC_ROLE_GROUPS: "pm=grp-pm,engineer=grp-eng,admin=grp-admin",
      ROLE_PM_EMAILS: "@acme.test",
      ROLE_ENGINEER_EMAILS: "eve@acme.test",
    },
    problems,
  );
  it.each([
    [{ email: "x@acme.test", groups: [] }, "pm"],
    [{ email: "EVE@acme.test", groups: ["grp-pm"] }, "engineer"],
    [{ email: "x@other.test", groups: ["grp-pm", "grp-admin"] }, "admin"],
    [{ email: "x@other.test", groups: ["grp-other"] }, null],
    [{ email: "x@sub.acme.test", groups: [] }, null],
  ] as const)("%o → %s (the highest match wins)", (identity, role) => {
    expect(problems).toEqual([]);
    expect(resolveRole(mapping, identity)).toBe(role);
  });
});

describe("IP allow list", () => {
  it("matches addresses and CIDRs, IPv4-mapped IPv6 too", () => {
    const { list, problems } = IpAllowList.parse("X", "10.0.0.0/8, 192.168.1.7, ::1, fd00::/8");
    expect(problems).toEqual([]);
    expect(list.has("10.200.3.4")).toBe(true);
    expect(list.has("::ffff:10.1.1.1")).toBe(true);
    expect(list.has("192.168.1.7")).toBe(true);
    expect(list.has("192.168.1.8")).toBe(false);
    expect(list.has("::1")).toBe(true);
    expect(list.has("fd12::1")).toBe(true);
    expect(list.has("11.0.0.1")).toBe(false);
    expect(list.has(undefined)).toBe(false);
    expect(list.has("garbage")).toBe(false);
  });
});

describe("a repository's own protected paths", () => {
  it("reads protectedPaths from the repositories file and refuses a blank entry", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "patchboard-repos-"));
    const file = path.join(dir, "repos.json");
    const entry = { jiraProject: "CALC", github: "acme/calc", cloneUrl: "https://x.test/r.git" };
    writeFileSync(
      file,
      JSON.stringify({
        repositories: [{ ...entry, protectedPaths: ["infra/**", "!Jenkinsfile"] }],
      }),
    );
    expect(readReposFile(file, "https://github.com").repos[0]?.protectedPaths).toEqual([
      "infra/**",
      "!Jenkinsfile",
    ]);
    writeFileSync(file, JSON.stringify({ repositories: [{ ...entry, protectedPaths: [" "] }] }));
    expect(readReposFile(file, "https://github.com").problems).toEqual([
      expect.stringContaining("repositories.0.protectedPaths.0"),
    ]);
  });
});

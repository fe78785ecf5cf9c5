import path from "node:path";
import { normalizeCloneUrl, remoteAccess } from "../../server/adapters/git/remote.js";
import { gitEnv, scrub } from "../../server/adapters/git/run-git.js";

describe("git remote access", () => {
  it("passes the token as an extra header through the environment, not the URL", () => {
    const access = remoteAccess("https://github.com/acme/calc.git", "ghp_secret");
    expect(access.url).toBe("https://github.com/acme/calc.git");
    expect(access.env).toEqual({
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from("x-access-token:ghp_secret").toString("base64")}`,
    });
    expect(access.secrets).toContain("ghp_secret");
  });

  it("never sends the token to local or plain-http remotes", () => {
    expect(remoteAccess("/srv/repos/calc.git", "ghp_secret").env).toEqual({});
    expect(remoteAccess("file:///srv/repos/calc.git", "ghp_secret").env).toEqual({});
    expect(remoteAccess("http://example.test/calc.git", "ghp_secret").env).toEqual({});
    expect(remoteAccess("https://github.com/acme/calc.git", null).env).toEqual({});
  });

  it("makes local paths absolute and leaves URLs alone", () => {
    expect(normalizeCloneUrl("repos/calc.git")).toBe(path.resolve("repos/calc.git"));
    expect(normalizeCloneUrl("file:///srv/calc.git")).toBe("file:///srv/calc.git");
    expect(normalizeCloneUrl("git@github.com:acme/calc.git")).toBe("git@github.com:acme/calc.git");
  });

  it("scrubs secrets and strips the environment", () => {
    expect(scrub("fatal: token abc123 and abc123", ["abc123", ""])).toBe(
      "fatal: token *** and ***",
    );
    process.env.PATCHBOARD_TEST_SECRET = "s3cret";
    try {
      const env = gitEnv({ GIT_INDEX_FILE: "/tmp/i" });
      // What git needs, plus the switches that keep system and global config out.
      const allowed = [
        "GIT_ATTR_NOSYSTEM",
        "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_NOSYSTEM",
        "GIT_INDEX_FILE",
        "GIT_TERMINAL_PROMPT",
        "HOME",
        "LANG",
        "PATH",
      ];
      expect(Object.keys(env).filter((key) => !allowed.includes(key))).toEqual([]);
      expect(env.GIT_INDEX_FILE).toBe("/tmp/i");
      expect(env.GIT_TERMINAL_PROMPT).toBe("0");
    } finally {
      delete process.env.PATCHBOARD_TEST_SECRET;
    }
  });
});

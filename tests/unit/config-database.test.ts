import os from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../../server/config/config-error.js";
import { loadConfig } from "../../server/config/load-config.js";
import { secretValues } from "../../server/config/secret-values.js";

/** Every node of a PostgreSQL deployment signs cookies with the same secret. */
const SESSION_SECRET = "a-shared-session-secret-of-48-characters-or-so-ok";

const cwd = mkdtempSync(path.join(os.homedir(), ".patchboard-config-db-test-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe("DATABASE_URL", () => {
  it("is SQLite in DATA_DIR when unset or empty", () => {
    expect(loadConfig({}, cwd).config.database).toEqual({ url: null });
    expect(loadConfig({ DATABASE_URL: " " }, cwd).config.database).toEqual({ url: null });
  });

  it("selects PostgreSQL, and its password counts as a secret", () => {
    const url = "postgresql://pb:s3cr%40t-pw@db.internal:5432/patchboard";
    const { config } = loadConfig({ DATABASE_URL: url, SESSION_SECRET }, cwd);
    expect(config.database).toEqual({ url });
    expect(secretValues(config)).toEqual(expect.arrayContaining([url, "s3cr@t-pw"]));
  });

  it("refuses anything but a postgres URL, by name", () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: "mysql://db/patchboard", SESSION_SECRET }, cwd);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "DATABASE_URL: must be a postgres:// or postgresql:// URL",
    ]);
  });

  it("requires SESSION_SECRET, which every node must share", () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: "postgres://db/patchboard" }, cwd);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "SESSION_SECRET: required with DATABASE_URL, so that every node signs and checks session cookies alike (e.g. openssl rand -base64 48)",
    ]);
  });
});

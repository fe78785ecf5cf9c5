import { pino } from "pino";
import { isolationProbe, resolveAgentIsolation } from "../../server/bootstrap/agent-isolation.js";
import { ConfigError } from "../../server/config/config-error.js";
import { loadConfig } from "../../server/config/load-config.js";

const logger = pino({ level: "silent" });
const missing = () => Promise.resolve({ available: false as const, reason: "no bwrap here" });
const present = () => Promise.resolve({ available: true as const, bwrapPath: "/usr/bin/bwrap" });

describe("AGENT_ISOLATION", () => {
  it("defaults to bubblewrap and accepts off, nothing else", () => {
    expect(loadConfig({ DATA_DIR: "/srv/pb" }).config.isolation).toBe("bubblewrap");
    expect(loadConfig({ DATA_DIR: "/srv/pb", AGENT_ISOLATION: "off" }).config.isolation).toBe(
      "off",
    );
    expect(() => loadConfig({ DATA_DIR: "/srv/pb", AGENT_ISOLATION: "docker" })).toThrow(
      /AGENT_ISOLATION/,
    );
  });

  it("refuses a DATA_DIR under /tmp, where the tasks' Codex homes cannot live", () => {
    expect(() => loadConfig({ DATA_DIR: "/tmp/pb", CODEX_HOME: "/srv/codex" })).toThrow(
      /DATA_DIR: .* temporary folder/,
    );
  });

  it("production refuses to start without bubblewrap unless isolation is off", async () => {
    await expect(
      resolveAgentIsolation({ mode: "production", isolation: "bubblewrap" }, logger, missing),
    ).rejects.toThrow(ConfigError);
    const off = await resolveAgentIsolation({ mode: "production", isolation: "off" }, logger);
    expect(off.sandbox.kind).toBe("none");
    expect(off.launcher).toBeUndefined();
    await expect(isolationProbe(off).check()).rejects.toMatchObject({
      code: "isolation_off",
      message: expect.stringContaining("AGENT_ISOLATION=off") as string,
    });
  });

  it("the sandbox falls back with a warning; bubblewrap when it works", async () => {
    const sandbox = await resolveAgentIsolation(
      { mode: "sandbox", isolation: "bubblewrap" },
      logger,
      missing,
    );
    expect(sandbox.sandbox.kind).toBe("none");
    await expect(isolationProbe(sandbox).check()).rejects.toMatchObject({ code: "isolation_off" });
    const on = await resolveAgentIsolation(
      { mode: "production", isolation: "bubblewrap" },
      logger,
      present,
    );
    expect(on.sandbox.kind).toBe("bubblewrap");
    expect(on.launcher).toBeTypeOf("function");
    await expect(isolationProbe(on).check()).resolves.toBeUndefined();
  });
});

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  lsbReleaseFrom,
  lsbReleaseScript,
  lsbReleaseShimArgs,
  parseOsRelease,
} from "../../server/adapters/isolation/lsb-release-shim.js";

const DEBIAN = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`;

/** Writes the shim for `info` and runs it with `args` under `/bin/sh`. */
function runShim(script: string, args: string[]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lsb-shim-test-"));
  const file = path.join(dir, "lsb_release");
  writeFileSync(file, script, { mode: 0o755 });
  const result = spawnSync("/bin/sh", [file, ...args], { encoding: "utf8" });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe("lsb_release shim for the Codex CLI's namespace", () => {
  it("reads os-release as the shell would, quotes and escapes included", () => {
    const values = parseOsRelease(`${DEBIAN}# a comment\nQUOTED='it''s'\nESC="a \\"b\\" \\$c"\n`);
    expect(values).toMatchObject({
      PRETTY_NAME: "Debian GNU/Linux 12 (bookworm)",
      VERSION_CODENAME: "bookworm",
      ID: "debian",
      ESC: 'a "b" $c',
    });
  });

  it("derives Debian's answers: capitalized ID, NAME when it differs only in case, n/a", () => {
    expect(lsbReleaseFrom(parseOsRelease(DEBIAN))).toEqual({
      id: "Debian",
      description: "Debian GNU/Linux 12 (bookworm)",
      release: "12",
      codename: "bookworm",
    });
    expect(lsbReleaseFrom({ ID: "opensuse", NAME: "openSUSE" }).id).toBe("openSUSE");
    expect(lsbReleaseFrom({})).toEqual({
      id: "n/a",
      description: "n/a",
      release: "n/a",
      codename: "n/a",
    });
  });

  it("prints what lsb_release prints for each option, bundled short ones included", () => {
    const script = lsbReleaseScript(lsbReleaseFrom(parseOsRelease(DEBIAN)));
    expect(runShim(script, ["-a"]).stdout).toBe(
      "Distributor ID:\tDebian\nDescription:\tDebian GNU/Linux 12 (bookworm)\nRelease:\t12\nCodename:\tbookworm\n",
    );
    expect(runShim(script, ["-is"]).stdout).toBe("Debian\n");
    expect(runShim(script, ["--release", "--short"]).stdout).toBe("12\n");
    expect(runShim(script, ["-c"]).stdout).toBe("Codename:\tbookworm\n");
    expect(runShim(script, ["--help"]).stdout).toContain("-a, --all");
    const bad = runShim(script, ["-x"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("invalid option -- 'x'");
    expect(runShim(script, ["--nope"]).status).toBe(2);
  });

  it("quotes values so os-release cannot inject shell", () => {
    const script = lsbReleaseScript({
      id: "x'; echo pwned; '",
      description: "$(echo pwned)",
      release: "`echo pwned`",
      codename: "a\\b",
    });
    const out = runShim(script, ["-a", "-s"]).stdout;
    expect(out).toBe("x'; echo pwned; '\n$(echo pwned)\n`echo pwned`\na\\b\n");
  });

  it.runIf(existsSync("/usr/bin/lsb_release") && existsSync("/etc/os-release"))(
    "answers exactly as this host's lsb_release does, and is mounted over it",
    () => {
      const args = lsbReleaseShimArgs();
      expect(args[0]).toBe("--ro-bind");
      expect(args[2]).toBe("/usr/bin/lsb_release");
      const script = readFileSync(args[1] ?? "", "utf8");
      for (const options of [["-a"], ["-a", "-s"], ["-i"], ["-d", "-r"], ["-c", "--short"]]) {
        const real = execFileSync("/usr/bin/lsb_release", options, { encoding: "utf8" });
        expect(runShim(script, options).stdout, options.join(" ")).toBe(real);
      }
    },
  );
});

import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A real public project for the tests, fetched at test time from the npm registry (never
 * committed here): `npm pack` of a published version, unpacked. minimist (MIT) ships its
 * own tape tests in its package.
 */
export function packPublished(dir: string, spec: string): string {
  const name = execFileSync("npm", ["pack", spec, "--silent", "--pack-destination", dir], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" },
    timeout: 180_000,
  })
    .trim()
    .split("\n")
    .at(-1);
  const out = path.join(dir, spec.replace(/[^A-Za-z0-9.]/g, "_"));
  execFileSync("mkdir", ["-p", out]);
  execFileSync("tar", ["xzf", path.join(dir, name ?? ""), "-C", out, "--strip-components=1"]);
  return out;
}

/** Every file of an unpacked package, path → content (for a fixture repository's first commit). */
export function filesOf(root: string, dir = root): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(files, filesOf(root, full));
    else files[path.relative(root, full)] = readFileSync(full, "utf8");
  }
  return files;
}

/**
 * The upstream change between two published versions of some files, as a Codex
 * `apply_patch` patch (the format the scripted agent applies), computed with git's diff.
 */
export function upstreamPatch(
  before: string,
  after: string,
  files: string[],
  scratch: string,
): string {
  const lines = ["*** Begin Patch"];
  for (const file of files) {
    const a = path.join(scratch, "a");
    const b = path.join(scratch, "b");
    writeFileSync(a, readFileSync(path.join(before, file), "utf8"));
    writeFileSync(b, readFileSync(path.join(after, file), "utf8"));
    const diff = spawnSync("git", ["diff", "--no-index", "-U3", a, b], { encoding: "utf8" }).stdout;
    lines.push(`*** Update File: ${file}`);
    let inHunk = false;
    for (const line of diff.split("\n")) {
      if (line.startsWith("@@")) {
        inHunk = true;
        lines.push("@@");
      } else if (inHunk && /^[ +-]/.test(line)) lines.push(line);
    }
  }
  lines.push("*** End Patch");
  return lines.join("\n");
}

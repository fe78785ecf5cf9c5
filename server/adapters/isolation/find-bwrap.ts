import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/** Debian's (and most distributions') bubblewrap. */
export const SYSTEM_BWRAP = "/usr/bin/bwrap";

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The directory of the native Codex package for this platform (`…/vendor/<target>`),
 * found the way the SDK finds it: through `@openai/codex`'s own dependency. Null when it
 * is not installed (another platform, optional dependencies skipped).
 */
export function codexVendorDir(): string | null {
  if (process.platform !== "linux") return null;
  const target =
    process.arch === "arm64" ? "aarch64-unknown-linux-musl" : "x86_64-unknown-linux-musl";
  const pkg = process.arch === "arm64" ? "@openai/codex-linux-arm64" : "@openai/codex-linux-x64";
  try {
    const codexRequire = createRequire(require.resolve("@openai/codex/package.json"));
    return path.join(path.dirname(codexRequire.resolve(`${pkg}/package.json`)), "vendor", target);
  } catch {
    return null;
  }
}

/**
 * The bubblewraps there are, best first: the one shipped inside the Codex npm package
 * (built for Codex, a known version on every host), then the system's, which a host's
 * security policy (AppArmor on Ubuntu 24.04) may allow where an unknown binary is not.
 */
export function bwrapCandidates(): string[] {
  const vendor = codexVendorDir();
  const candidates = [
    ...(vendor === null ? [] : [path.join(vendor, "codex-resources", "bwrap")]),
    SYSTEM_BWRAP,
  ];
  return candidates.filter(isExecutable);
}

/** The first bubblewrap there is (see {@link bwrapCandidates}); null when none. */
export function findBwrap(): string | null {
  return bwrapCandidates()[0] ?? null;
}

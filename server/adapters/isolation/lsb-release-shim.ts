import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { shellQuote } from "./shell-quote.js";

/**
 * A fast `lsb_release` for the Codex CLI's namespace.
 *
 * At every start the Codex CLI describes the OS (for its user agent) by running
 * `lsb_release -a` twice before it emits its first event. Debian's `lsb_release` is a
 * shell script that forks `getopt`, `cut` and `tr` about ten times per call: measured on
 * the 2-core CI machine under load, hiding it cut the CLI's start to `thread.started` by
 * 250–500 ms of 600–1,100 (figure 8). The shim prints the same answers from the same
 * file (`os-release`), computed once here, with shell builtins only; it is mounted over
 * the host's `lsb_release` inside the namespace, so the agent's own `lsb_release` gets
 * the same answers too.
 */

/** Where the host's `lsb_release` may be; the shim replaces the first that exists. */
const LSB_RELEASE_PATHS = ["/usr/bin/lsb_release", "/bin/lsb_release"];
const OS_RELEASE_PATHS = ["/etc/os-release", "/usr/lib/os-release"];

/** What `lsb_release` reports. */
export interface LsbRelease {
  id: string;
  description: string;
  release: string;
  codename: string;
}

/** Parses `os-release` (shell-like `KEY=value`, optionally quoted). */
export function parseOsRelease(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match === null) continue;
    let value = (match[2] ?? "").trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["$`\\])/g, "$1");
    }
    values[match[1] ?? ""] = value;
  }
  return values;
}

/**
 * The answers as Debian's `lsb_release` derives them from `os-release`: the ID with a
 * capital first letter (or NAME when it differs from the ID only in case), PRETTY_NAME,
 * VERSION_ID, VERSION_CODENAME, and `n/a` for whatever is missing.
 */
export function lsbReleaseFrom(osRelease: Record<string, string>): LsbRelease {
  const rawId = osRelease.ID ?? "";
  let id = rawId.charAt(0).toUpperCase() + rawId.slice(1);
  const name = osRelease.NAME;
  if (name !== undefined && name.toLowerCase() === id.toLowerCase()) id = name;
  const orNa = (value: string | undefined) => (value === undefined || value === "" ? "n/a" : value);
  return {
    id: orNa(id),
    description: orNa(osRelease.PRETTY_NAME),
    release: orNa(osRelease.VERSION_ID),
    codename: orNa(osRelease.VERSION_CODENAME),
  };
}

/** The shim: Debian's options and output format, answers fixed, no process started. */
export function lsbReleaseScript(info: LsbRelease): string {
  return `#!/bin/sh
# Written by Patchboard: the host's lsb_release answers, without forking (see lsb-release-shim.ts).
id=${shellQuote(info.id)}
desc=${shellQuote(info.description)}
rel=${shellQuote(info.release)}
code=${shellQuote(info.codename)}
i=false d=false r=false c=false s=false
usage() {
  printf '%s\\n' 'Usage: lsb_release [options]' '' 'Options:' \\
    '  -h, --help         show this help message and exit' \\
    '  -v, --version      show LSB modules this system supports' \\
    '  -i, --id           show distributor ID' \\
    '  -d, --description  show description of this distribution' \\
    '  -r, --release      show release number of this distribution' \\
    '  -c, --codename     show code name of this distribution' \\
    '  -a, --all          show all of the above information' \\
    '  -s, --short        show requested information in short format'
}
flag() {
  case "$1" in
    h) usage; exit 0 ;;
    v) ;;
    i) i=true ;;
    d) d=true ;;
    r) r=true ;;
    c) c=true ;;
    a) i=true d=true r=true c=true ;;
    s) s=true ;;
    *) echo "lsb_release: invalid option -- '$1'" >&2; exit 2 ;;
  esac
}
for arg in "$@"; do
  case "$arg" in
    --help) flag h ;;
    --version) flag v ;;
    --id) flag i ;;
    --description) flag d ;;
    --release) flag r ;;
    --codename) flag c ;;
    --all) flag a ;;
    --short) flag s ;;
    --*) echo "lsb_release: unrecognized option '$arg'" >&2; exit 2 ;;
    -?*)
      rest=\${arg#-}
      while [ -n "$rest" ]; do
        tail=\${rest#?}
        flag "\${rest%"$tail"}"
        rest=$tail
      done ;;
    *) ;;
  esac
done
[ -t 1 ] && echo "No LSB modules are available." >&2
line() { if $s; then printf '%s\\n' "$2"; else printf '%s:\\t%s\\n' "$1" "$2"; fi; }
if $i; then line "Distributor ID" "$id"; fi
if $d; then line "Description" "$desc"; fi
if $r; then line "Release" "$rel"; fi
if $c; then line "Codename" "$code"; fi
exit 0
`;
}

let cached: string[] | null = null;

/**
 * The bubblewrap arguments that mount the shim over the host's `lsb_release`; none when
 * the host has no `lsb_release` (the CLI then reads `os-release` itself, no fork either)
 * or no `os-release`.
 */
export function lsbReleaseShimArgs(): string[] {
  if (cached !== null) return cached;
  const target = LSB_RELEASE_PATHS.find((file) => existsSync(file));
  const source = OS_RELEASE_PATHS.find((file) => existsSync(file));
  if (target === undefined || source === undefined) {
    cached = [];
    return cached;
  }
  const info = lsbReleaseFrom(parseOsRelease(readFileSync(source, "utf8")));
  const dir = mkdtempSync(path.join(os.tmpdir(), "patchboard-lsb-release-"));
  const shim = path.join(dir, "lsb_release");
  writeFileSync(shim, lsbReleaseScript(info), { mode: 0o755 });
  cached = ["--ro-bind", shim, target];
  return cached;
}

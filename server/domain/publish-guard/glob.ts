/**
 * A small, dependency-free glob matcher for repository paths (always `/`-separated,
 * relative to the repository root). Supports `**` (any number of path segments), `*`
 * (anything within one segment), `?` (one character) and `{a,b}` alternatives. Matching
 * is case-insensitive because a case-insensitive checkout (macOS, Windows) would
 * otherwise let `.GitHub/Workflows/x.yml` slip past a rule for `.github/workflows/**`.
 */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.trim().replace(/^\.\//, "").replace(/^\/+/, "");
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === "*") {
      if (pattern[i + 1] === "*") {
        // `**/` matches zero or more whole segments; a trailing `**` matches everything below.
        const slash = pattern[i + 2] === "/";
        out += slash ? "(?:.*/)?" : ".*";
        i += slash ? 3 : 2;
        continue;
      }
      out += "[^/]*";
    } else if (ch === "?") {
      out += "[^/]";
    } else if (ch === "{") {
      const end = pattern.indexOf("}", i);
      if (end > i) {
        const options = pattern.slice(i + 1, end).split(",");
        out += `(?:${options.map(escapeRegExp).join("|")})`;
        i = end + 1;
        continue;
      }
      out += "\\{";
    } else {
      out += escapeRegExp(ch);
    }
    i += 1;
  }
  return new RegExp(`^${out}$`, "i");
}

/** Whether a repository path matches any of the globs. Returns the first glob that does. */
export function matchGlobs(file: string, globs: readonly string[]): string | null {
  const normalized = file.replace(/\\/g, "/").replace(/^\.\//, "").replace(/^\/+/, "");
  for (const glob of globs) {
    if (globToRegExp(glob).test(normalized)) return glob;
  }
  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

import { posix } from "node:path";
import type { ChangedFile } from "../ports/workspaces.js";
import {
  dirHoldsProtected,
  jsonKeyRules,
  wholePathRule,
  type ProtectedRule,
} from "./protected-paths.js";

/** One reason a change may not be pushed. */
export interface PublishViolation {
  kind:
    | "unsafe_path"
    | "protected_path"
    | "protected_key"
    | "symlink"
    | "submodule"
    | "diff_too_large"
    | "unscanned"
    | "secret";
  /** The file concerned, when there is one. */
  file: string | null;
  /** The rule that refused it (a protected-path entry, or the guard's own rule name). */
  rule: string;
  /** For people; never contains the matched secret. */
  message: string;
}

const SYMLINK = "120000";
const GITLINK = "160000";

/**
 * Characters no path of an honest fix needs, and that tools disagree about: git quotes a
 * path holding them (`"a\tb"`), so a reader of its text output sees another name than
 * the one committed, and a rule for `.github/**` would not match `".github/x\".yml"`.
 * U+FFFD stands for bytes that are not UTF-8.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_PATH = /["\\\u0000-\u001f\u007f\ufffd]/;

/** Every path rule a changed file breaks: its name, protected paths, links and submodules. */
export function fileViolations(
  file: ChangedFile,
  rules: readonly ProtectedRule[],
): PublishViolation[] {
  const name = file.path;
  const out: PublishViolation[] = [];
  if (UNSAFE_PATH.test(name)) {
    out.push({
      kind: "unsafe_path",
      file: JSON.stringify(name),
      rule: "path characters",
      message: `${JSON.stringify(name)} has a quote, backslash, tab, control character or bytes that are not UTF-8 in its name`,
    });
  }
  if (file.oldMode === GITLINK || file.newMode === GITLINK) {
    out.push({
      kind: "submodule",
      file: name,
      rule: "gitlink",
      message: `${name} is a submodule (gitlink); submodules are changed by people`,
    });
  }
  const whole = wholePathRule(name, rules);
  if (whole !== null) {
    out.push({
      kind: "protected_path",
      file: name,
      rule: whole,
      message: `${name} is a protected path (${whole})`,
    });
  }
  if (file.newMode === SYMLINK && file.status !== "deleted")
    out.push(...symlinkViolations(file, rules));
  if (whole === null) out.push(...jsonKeyViolations(file, rules));
  return out;
}

/** A new or changed symbolic link may point neither outside the repository nor at protected files. */
function symlinkViolations(file: ChangedFile, rules: readonly ProtectedRule[]): PublishViolation[] {
  const name = file.path;
  if (file.content === null) return [unscanned(name, "symbolic link")];
  const target = file.content.toString("utf8");
  const refuse = (why: string, rule: string): PublishViolation[] => [
    { kind: "symlink", file: name, rule, message: `${name} is a symbolic link ${why}` },
  ];
  if (target.startsWith("/") || /^[A-Za-z]:/.test(target) || target.includes("\\")) {
    return refuse("to an absolute path outside the repository", "symlink outside the repository");
  }
  const resolved = posix.normalize(posix.join(posix.dirname(name), target));
  if (resolved === ".." || resolved.startsWith("../")) {
    return refuse("pointing outside the repository", "symlink outside the repository");
  }
  const inside = resolved === "." ? "" : resolved.replace(/\/+$/, "");
  const rule =
    (inside !== "" ? wholePathRule(inside, rules) : null) ?? dirHoldsProtected(inside, rules);
  return rule === null ? [] : refuse(`into a protected path (${rule})`, rule);
}

/** `glob#key` rules: a change to that top-level key of the JSON file (old and new parsed). */
function jsonKeyViolations(file: ChangedFile, rules: readonly ProtectedRule[]): PublishViolation[] {
  const out: PublishViolation[] = [];
  for (const rule of jsonKeyRules(file.path, rules)) {
    const key = rule.jsonKey ?? "";
    const before =
      file.oldMode === null ? { ok: true, value: undefined } : jsonKey(file.oldContent, key);
    const after =
      file.status === "deleted" ? { ok: true, value: undefined } : jsonKey(file.content, key);
    if (!before.ok || !after.ok) {
      out.push({
        kind: "protected_key",
        file: file.path,
        rule: rule.rule,
        message: `${file.path} could not be read as JSON, so its protected "${key}" could not be checked (${rule.rule})`,
      });
    } else if (canonical(before.value) !== canonical(after.value)) {
      out.push({
        kind: "protected_key",
        file: file.path,
        rule: rule.rule,
        message: `${file.path} changes "${key}", which is protected (${rule.rule})`,
      });
    }
  }
  return out;
}

/** A violation for bytes the guard needed and could not read (too large to read). */
export function unscanned(name: string, what: string): PublishViolation {
  return {
    kind: "unscanned",
    file: name,
    rule: "unscanned content",
    message: `${name} (${what}) could not be read to be checked`,
  };
}

function jsonKey(content: Buffer | null, key: string): { ok: boolean; value: unknown } {
  if (content === null) return { ok: false, value: undefined };
  try {
    const parsed: unknown = JSON.parse(content.toString("utf8"));
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      return { ok: false, value: undefined };
    }
    return { ok: true, value: (parsed as Record<string, unknown>)[key] };
  } catch {
    return { ok: false, value: undefined };
  }
}

/** JSON with object keys sorted, so reordering a key is not a change; an empty object is none. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, x]) => [k, sort(x)]),
      );
    }
    return v;
  };
  const text = JSON.stringify(sort(value)) ?? "";
  return text === "{}" ? "" : text;
}

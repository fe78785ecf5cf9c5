import { MIN_SECRET_VALUE_LENGTH, SECRET_PATTERNS } from "../publish-guard/secret-patterns.js";

/** What a redaction found: the kinds of secret removed (never the values). */
export interface Redacted<T> {
  value: T;
  /** Kinds removed, e.g. "GitHub token", "the server's own configured secret"; empty when none. */
  found: string[];
}

const CONFIGURED = "the server's own configured secret";
const MARK = (kind: string): string => `[redacted: ${kind}]`;

/**
 * Removes secrets from text that leaves the server or is stored: the server's own
 * configured values in the forms they travel in (as is, base64 at any alignment and
 * URL-safe, URL-encoded, hex) and anything shaped like a credential (the publish
 * guard's patterns, so what may not be pushed may not be posted either). The agent's
 * words are untrusted: a prompt injection can ask it to quote a token in its analysis.
 */
export class Redactor {
  readonly #values: { text: string; kind: string }[];
  readonly #patterns: { kind: string; pattern: RegExp }[];

  constructor(secretValues: readonly string[] = []) {
    const forms = new Set<string>();
    for (const value of secretValues) {
      if (value.length < MIN_SECRET_VALUE_LENGTH) continue;
      for (const form of encodedForms(value)) {
        if (form.length >= MIN_SECRET_VALUE_LENGTH) forms.add(form);
      }
    }
    // Longest first, so a value inside a longer one is not left half-replaced.
    this.#values = [...forms]
      .sort((a, b) => b.length - a.length)
      .map((text) => ({ text, kind: CONFIGURED }));
    this.#patterns = SECRET_PATTERNS.map(({ name, pattern }) => ({
      kind: name,
      // A private key is removed up to its END line, not only its header.
      pattern:
        name === "private key"
          ? /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g
          : new RegExp(
              pattern.source,
              pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`,
            ),
    }));
  }

  /** The text with every secret replaced by `[redacted: kind]`. */
  text(input: string): Redacted<string> {
    const found = new Set<string>();
    let out = input;
    for (const { text, kind } of this.#values) {
      if (out.includes(text)) {
        out = out.split(text).join(MARK(kind));
        found.add(kind);
      }
    }
    for (const { kind, pattern } of this.#patterns) {
      out = out.replace(pattern, () => {
        found.add(kind);
        return MARK(kind);
      });
    }
    return { value: out, found: [...found] };
  }

  /** Every string inside a JSON-like value (objects, arrays) redacted; other values kept. */
  value<T>(input: T): Redacted<T> {
    const found = new Set<string>();
    const walk = (node: unknown): unknown => {
      if (typeof node === "string") {
        const redacted = this.text(node);
        redacted.found.forEach((kind) => found.add(kind));
        return redacted.value;
      }
      if (Array.isArray(node)) return node.map(walk);
      if (
        node !== null &&
        typeof node === "object" &&
        Object.getPrototypeOf(node) === Object.prototype
      ) {
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
      }
      return node;
    };
    const value = walk(input) as T;
    return { value: found.size === 0 ? input : value, found: [...found] };
  }
}

/** A redactor that knows no configured values: the secret-shaped patterns only. */
export const PATTERN_REDACTOR = new Redactor();

/**
 * The forms a value travels in. Base64 of a value inside a longer text depends on where
 * it starts modulo 3, so each of the three alignments is encoded and only the characters
 * that depend on the value alone are kept.
 */
function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const forms = [
    value,
    encodeURIComponent(value),
    bytes.toString("hex"),
    bytes.toString("hex").toUpperCase(),
  ];
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString("base64");
    const start = Math.ceil((8 * shift) / 6);
    const end = Math.floor((8 * (shift + bytes.length)) / 6);
    const core = b64.slice(start, end);
    forms.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms;
}

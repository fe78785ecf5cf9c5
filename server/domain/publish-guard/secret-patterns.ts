/** A kind of credential the guard recognises in added lines. */
export interface SecretPattern {
  /** Named in the refusal; the matched text itself never is. */
  name: string;
  pattern: RegExp;
}

/**
 * Shapes of credentials that must never be pushed. Conservative on purpose: each one is
 * specific enough that a normal code change does not trip it, and a refusal only costs a
 * human look at the task.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { name: "AWS access key id", pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/ },
  {
    name: "AWS secret access key",
    pattern: /aws_?secret_?(?:access_?)?key\s*[:=]\s*['"]?[A-Za-z0-9/+]{40}\b/i,
  },
  { name: "GitHub token", pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b/ },
  { name: "GitHub fine-grained token", pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/ },
  { name: "private key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { name: "Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  {
    name: "Slack webhook",
    pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9]+/,
  },
  { name: "OpenAI API key", pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}\b/ },
  { name: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  {
    name: "API key or secret assignment",
    pattern:
      /(?:api|secret|access|auth)_?(?:key|token|secret)\s*[:=]\s*['"][A-Za-z0-9/+_=-]{20,}['"]/i,
  },
];

/** The shortest configured secret value the guard looks for; shorter ones would match by chance. */
export const MIN_SECRET_VALUE_LENGTH = 8;

/** The name of the first pattern (or configured value) a line contains, or null. */
export function findSecret(line: string, values: readonly string[]): string | null {
  for (const value of values) {
    if (value.length >= MIN_SECRET_VALUE_LENGTH && line.includes(value)) {
      return "the server's own configured secret";
    }
  }
  for (const { name, pattern } of SECRET_PATTERNS) {
    if (pattern.test(line)) return name;
  }
  return null;
}

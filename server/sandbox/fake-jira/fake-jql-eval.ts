import { richTextAsPlain } from "./fake-rich-text.js";
import type { FakeIssue } from "./fake-jira-types.js";
import { JqlError, parseJql, type JqlExpr, type JqlOrder } from "./fake-jql-parser.js";

/** Jira's status categories: key and display name. */
export function statusCategory(status: string): { key: string; name: string; id: number } {
  const name = status.trim().toLowerCase();
  if (["done", "closed", "resolved", "won't do", "cancelled", "released"].includes(name)) {
    return { key: "done", name: "Done", id: 3 };
  }
  if (["to do", "open", "backlog", "new", "reopened", "selected for development"].includes(name)) {
    return { key: "new", name: "To Do", id: 2 };
  }
  return { key: "indeterminate", name: "In Progress", id: 4 };
}

const PRIORITY_RANK: Record<string, number> = { highest: 5, high: 4, medium: 3, low: 2, lowest: 1 };

/** The values an equality field compares against, lower-cased. */
function fieldValues(issue: FakeIssue, field: string): string[] | null {
  switch (field) {
    case "project":
      return [issue.project.toLowerCase()];
    case "issuetype":
    case "type":
      return [issue.issuetype.toLowerCase()];
    case "status":
      return [issue.status.toLowerCase()];
    case "statuscategory": {
      const category = statusCategory(issue.status);
      return [category.key, category.name.toLowerCase(), String(category.id)];
    }
    case "priority":
      return issue.priority === null ? [] : [issue.priority.toLowerCase()];
    case "labels":
      return issue.labels.map((label) => label.toLowerCase());
    case "key":
    case "issuekey":
      return [issue.key.toLowerCase()];
    default:
      return null;
  }
}

/** The text a text field searches. */
function fieldText(issue: FakeIssue, field: string): string | null {
  const description = issue.description === null ? "" : richTextAsPlain(issue.description);
  const comments = issue.comments.map((comment) => richTextAsPlain(comment.body)).join("\n");
  switch (field) {
    case "summary":
      return issue.summary;
    case "description":
      return description;
    case "comment":
      return comments;
    case "text":
      return [issue.summary, description, comments].join("\n");
    default:
      return null;
  }
}

/**
 * Splits a text-search value into terms the way Lucene's query syntax would for
 * plain words: whitespace separates terms, double quotes group a phrase, and a
 * backslash makes the next character literal (so `\"` is a quote to find).
 */
export function textTerms(query: string): string[] {
  const terms: string[] = [];
  let current = "";
  let inPhrase = false;
  for (let i = 0; i < query.length; i++) {
    const char = query.charAt(i);
    if (char === "\\" && i + 1 < query.length) {
      current += query.charAt(++i);
    } else if (char === '"') {
      inPhrase = !inPhrase;
    } else if (/\s/.test(char) && !inPhrase) {
      if (current !== "") terms.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  if (current !== "") terms.push(current);
  return terms.map((term) => term.toLowerCase());
}

const EQUALITY_FIELDS = new Set([
  "project",
  "issuetype",
  "type",
  "status",
  "statuscategory",
  "priority",
  "labels",
  "key",
  "issuekey",
]);
const TEXT_FIELDS = new Set(["summary", "description", "comment", "text"]);

function validate(expr: JqlExpr): void {
  if (expr.kind !== "clause") {
    validate(expr.left);
    validate(expr.right);
    return;
  }
  const { field, operator, values } = expr;
  const textOperator = operator === "~" || operator === "!~";
  if (!EQUALITY_FIELDS.has(field) && !TEXT_FIELDS.has(field)) {
    throw new JqlError(`Field '${field}' does not exist or you do not have permission to view it.`);
  }
  if (textOperator !== TEXT_FIELDS.has(field)) {
    throw new JqlError(`The operator '${operator}' is not supported by the '${field}' field.`);
  }
  if (textOperator && textTerms(values[0] ?? "").length === 0) {
    throw new JqlError(`The field '${field}' needs a non-empty text to search for.`);
  }
}

function matches(issue: FakeIssue, expr: JqlExpr): boolean {
  if (expr.kind !== "clause") {
    return expr.kind === "and"
      ? matches(issue, expr.left) && matches(issue, expr.right)
      : matches(issue, expr.left) || matches(issue, expr.right);
  }
  const { field, operator, values } = expr;
  if (operator === "~" || operator === "!~") {
    const haystack = (fieldText(issue, field) ?? "").toLowerCase();
    const found = textTerms(values[0] ?? "").every((term) => haystack.includes(term));
    return operator === "~" ? found : !found;
  }
  const actual = fieldValues(issue, field) ?? [];
  const hit = values.some((value) => actual.includes(value.toLowerCase()));
  return operator === "=" || operator === "in" ? hit : !hit;
}

function keyParts(key: string): [string, number] {
  const dash = key.lastIndexOf("-");
  return [key.slice(0, dash), Number(key.slice(dash + 1))];
}

function compareBy(order: JqlOrder): (a: FakeIssue, b: FakeIssue) => number {
  const sign = order.direction === "asc" ? 1 : -1;
  switch (order.field) {
    case "updated":
    case "created":
      return (a, b) =>
        sign * (Date.parse(a[order.field as "updated"]) - Date.parse(b[order.field as "updated"]));
    case "priority":
      return (a, b) =>
        sign *
        ((PRIORITY_RANK[a.priority?.toLowerCase() ?? ""] ?? 0) -
          (PRIORITY_RANK[b.priority?.toLowerCase() ?? ""] ?? 0));
    case "key":
    case "issuekey":
      return (a, b) => {
        const [pa, na] = keyParts(a.key);
        const [pb, nb] = keyParts(b.key);
        return sign * (pa === pb ? na - nb : pa < pb ? -1 : 1);
      };
    default:
      throw new JqlError(`Not able to sort using field '${order.field}'.`);
  }
}

/** What a search found, before paging. */
export interface JqlResult {
  issues: FakeIssue[];
  /** Whether the query had no restriction (Jira Cloud's search/jql refuses those). */
  unbounded: boolean;
}

/**
 * Runs a JQL query over the issues: filter, then order (with the key as the final
 * tie-breaker, so paging is stable). Throws {@link JqlError} for unsupported JQL.
 */
export function runJql(jql: string, issues: readonly FakeIssue[]): JqlResult {
  const query = parseJql(jql);
  const comparators = [...query.orderBy, { field: "key", direction: "asc" } as const].map(
    compareBy,
  );
  const where = query.where;
  // Validated up front, as Jira does, so a bad clause fails even when nothing matches.
  if (where !== null) validate(where);
  const found = where === null ? [...issues] : issues.filter((issue) => matches(issue, where));
  found.sort((a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  });
  return { issues: found, unbounded: where === null };
}

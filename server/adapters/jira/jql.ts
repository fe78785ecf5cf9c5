/**
 * Building the search JQL: the configured query, narrowed to some projects and an
 * optional free text, with its ORDER BY kept last where JQL requires it.
 */

/** Quotes a value as a JQL string literal, escaping what would end or break it. */
export function jqlString(value: string): string {
  const escaped = value.replace(/[\\"\n\r\t]/g, (char) => {
    switch (char) {
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\${char}`;
    }
  });
  return `"${escaped}"`;
}

/**
 * Escapes the characters Jira's text search (Lucene syntax) treats as operators, so
 * a person's words are searched as words: `-foo` must not mean "not foo", `a:b` must
 * not name a field, an unbalanced `(` or `"` must not be a syntax error.
 */
export function escapeTextSearch(text: string): string {
  return text.replace(/[+\-&|!(){}[\]^"~*?:\\/]/g, "\\$&");
}

/**
 * Splits a JQL query into its filter and its ORDER BY clause. The ORDER BY keyword
 * is only recognised outside string literals, so `summary ~ "order by"` survives.
 */
export function splitOrderBy(jql: string): { where: string; orderBy: string | null } {
  let quote: string | null = null;
  for (let i = 0; i < jql.length; i++) {
    const char = jql.charAt(i);
    if (quote !== null) {
      if (char === "\\") i++;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      continue;
    }
    const before = i === 0 ? " " : jql.charAt(i - 1);
    if (/[\s)]/.test(before) || i === 0) {
      const match = /^order\s+by\b/i.exec(jql.slice(i));
      if (match) {
        const orderBy = jql.slice(i + match[0].length).trim();
        return { where: jql.slice(0, i).trim(), orderBy: orderBy === "" ? null : orderBy };
      }
    }
  }
  return { where: jql.trim(), orderBy: null };
}

/** What a search is narrowed to. */
export interface SearchJqlOptions {
  /** The configured JQL; may be empty and may end with ORDER BY. */
  baseJql: string;
  /** Project keys; at least one. */
  projects: readonly string[];
  /** Free text to search for; blank means none. */
  text?: string | undefined;
}

/**
 * Builds `(<configured filter>) AND project in ("A", "B") AND text ~ "<words>"
 * ORDER BY <configured order>`. The configured filter is parenthesised so an OR in
 * it cannot escape the project restriction.
 */
export function buildSearchJql(options: SearchJqlOptions): string {
  if (options.projects.length === 0) throw new Error("buildSearchJql needs at least one project");
  const { where, orderBy } = splitOrderBy(options.baseJql);
  const clauses: string[] = [];
  if (where !== "") clauses.push(`(${where})`);
  clauses.push(`project in (${options.projects.map(jqlString).join(", ")})`);
  const text = options.text?.trim() ?? "";
  if (text !== "") clauses.push(`text ~ ${jqlString(escapeTextSearch(text))}`);
  const filter = clauses.join(" AND ");
  return orderBy === null ? filter : `${filter} ORDER BY ${orderBy}`;
}

/**
 * Builds `(<configured filter>) AND project = "CALC" AND key = "CALC-12"`: matches the
 * issue only if it is inside the configured scope, so a key Patchboard was never meant
 * to show stays unknown whatever the service account can read.
 */
export function buildScopeJql(baseJql: string, key: string): string {
  const { where } = splitOrderBy(baseJql);
  const project = key.slice(0, key.lastIndexOf("-"));
  const clauses = where === "" ? [] : [`(${where})`];
  clauses.push(`project = ${jqlString(project)}`, `key = ${jqlString(key)}`);
  return clauses.join(" AND ");
}

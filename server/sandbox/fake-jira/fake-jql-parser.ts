/**
 * A parser for the subset of JQL the fake Jira understands. Anything outside the
 * subset is a {@link JqlError}, answered with 400 like Jira does, so a query the
 * fake cannot evaluate faithfully is never silently half-applied.
 */

/** A JQL error; its message is returned in Jira's `errorMessages`. */
export class JqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JqlError";
  }
}

/** A comparison operator of the subset. */
export type JqlOperator = "=" | "!=" | "~" | "!~" | "in" | "not in";

/** A parsed filter. */
export type JqlExpr =
  | { kind: "and" | "or"; left: JqlExpr; right: JqlExpr }
  | { kind: "clause"; field: string; operator: JqlOperator; values: string[] };

/** One ORDER BY term. */
export interface JqlOrder {
  field: string;
  direction: "asc" | "desc";
}

/** A parsed query; `where` is null for an unbounded query. */
export interface JqlQuery {
  where: JqlExpr | null;
  orderBy: JqlOrder[];
}

type Token =
  | { type: "word"; value: string }
  | { type: "string"; value: string }
  | { type: "op"; value: string };

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  '"': '"',
  "'": "'",
  "\\": "\\",
  " ": " ",
};

function readString(jql: string, start: number): { value: string; end: number } {
  const quote = jql.charAt(start);
  let value = "";
  for (let i = start + 1; i < jql.length; i++) {
    const char = jql.charAt(i);
    if (char === quote) return { value, end: i + 1 };
    if (char !== "\\") {
      value += char;
      continue;
    }
    const next = jql.charAt(i + 1);
    if (next === "u" && /^[0-9a-fA-F]{4}$/.test(jql.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(jql.slice(i + 2, i + 6), 16));
      i += 5;
      continue;
    }
    const escaped = ESCAPES[next];
    if (escaped === undefined) {
      throw new JqlError(`Error in the JQL Query: '\\${next}' is an illegal JQL escape sequence.`);
    }
    value += escaped;
    i++;
  }
  throw new JqlError("Error in the JQL Query: the quoted string is not terminated.");
}

/** Splits JQL into tokens. */
export function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const char = jql.charAt(i);
    if (/\s/.test(char)) {
      i++;
    } else if (char === '"' || char === "'") {
      const { value, end } = readString(jql, i);
      tokens.push({ type: "string", value });
      i = end;
    } else if (jql.startsWith("!=", i) || jql.startsWith("!~", i)) {
      tokens.push({ type: "op", value: jql.slice(i, i + 2) });
      i += 2;
    } else if ("=~(),".includes(char)) {
      tokens.push({ type: "op", value: char });
      i++;
    } else {
      const match = /^[\p{L}\p{N}_.@-]+/u.exec(jql.slice(i));
      if (!match)
        throw new JqlError(`Error in the JQL Query: the character '${char}' is not supported.`);
      tokens.push({ type: "word", value: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.tokens[this.position + offset];
    return token?.type === "word" && token.value.toLowerCase() === word;
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token?.type === "op" && token.value === value;
  }

  private next(expected: string): Token {
    const token = this.tokens[this.position++];
    if (token === undefined)
      throw new JqlError(`Error in the JQL Query: Expecting ${expected} but reached the end.`);
    return token;
  }

  parse(): JqlQuery {
    const where = this.peek() === undefined || this.isKeyword("order") ? null : this.parseOr();
    const orderBy: JqlOrder[] = [];
    if (this.isKeyword("order")) {
      this.position++;
      if (!this.isKeyword("by"))
        throw new JqlError("Error in the JQL Query: Expecting 'by' after 'order'.");
      this.position++;
      do {
        if (orderBy.length > 0) this.position++;
        const field = this.next("a field name");
        if (field.type === "op")
          throw new JqlError(
            `Error in the JQL Query: Expecting a field name but got '${field.value}'.`,
          );
        let direction: "asc" | "desc" = "asc";
        if (this.isKeyword("asc") || this.isKeyword("desc")) {
          direction = this.next("a direction").value.toLowerCase() as "asc" | "desc";
        }
        orderBy.push({ field: field.value.toLowerCase(), direction });
      } while (this.isOp(","));
    }
    const rest = this.peek();
    if (rest !== undefined)
      throw new JqlError(`Error in the JQL Query: unexpected '${rest.value}'.`);
    return { where, orderBy };
  }

  private parseOr(): JqlExpr {
    let left = this.parseAnd();
    while (this.isKeyword("or")) {
      this.position++;
      left = { kind: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): JqlExpr {
    let left = this.parseTerm();
    while (this.isKeyword("and")) {
      this.position++;
      left = { kind: "and", left, right: this.parseTerm() };
    }
    return left;
  }

  private parseTerm(): JqlExpr {
    if (this.isOp("(")) {
      this.position++;
      const inner = this.parseOr();
      if (!this.isOp(")")) throw new JqlError("Error in the JQL Query: Expecting ')'.");
      this.position++;
      return inner;
    }
    if (this.isKeyword("not"))
      throw new JqlError("The fake Jira does not support NOT; use != or not in.");
    const field = this.next("a field name");
    if (field.type === "op")
      throw new JqlError(
        `Error in the JQL Query: Expecting a field name but got '${field.value}'.`,
      );
    return { kind: "clause", field: field.value.toLowerCase(), ...this.parseComparison() };
  }

  private parseComparison(): { operator: JqlOperator; values: string[] } {
    if (this.isKeyword("in") || (this.isKeyword("not") && this.isKeyword("in", 1))) {
      const operator = this.isKeyword("not") ? "not in" : "in";
      this.position += operator === "in" ? 1 : 2;
      if (!this.isOp("(")) throw new JqlError("Error in the JQL Query: Expecting '(' after 'in'.");
      this.position++;
      const values = [this.parseValue()];
      while (this.isOp(",")) {
        this.position++;
        values.push(this.parseValue());
      }
      if (!this.isOp(")"))
        throw new JqlError("Error in the JQL Query: Expecting ')' to close the list.");
      this.position++;
      return { operator, values };
    }
    const op = this.next("an operator");
    if (op.type !== "op" || !["=", "!=", "~", "!~"].includes(op.value)) {
      throw new JqlError(`The fake Jira does not support the operator '${op.value}'.`);
    }
    return { operator: op.value as JqlOperator, values: [this.parseValue()] };
  }

  private parseValue(): string {
    const token = this.next("a value");
    if (token.type === "op")
      throw new JqlError(`Error in the JQL Query: Expecting a value but got '${token.value}'.`);
    if (
      token.type === "word" &&
      ["and", "or", "order", "empty", "null"].includes(token.value.toLowerCase())
    ) {
      throw new JqlError(`The fake Jira does not support '${token.value}' as a value; quote it.`);
    }
    if (token.type === "word" && this.isOp("(")) {
      throw new JqlError(`The fake Jira does not support JQL functions such as ${token.value}().`);
    }
    return token.value;
  }
}

/** Parses a JQL query of the supported subset; throws {@link JqlError} otherwise. */
export function parseJql(jql: string): JqlQuery {
  return new Parser(tokenize(jql)).parse();
}

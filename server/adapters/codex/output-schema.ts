import { z } from "zod";

/**
 * Converts a zod schema to the strict JSON Schema the Responses API's structured outputs
 * need: every object lists all its properties as required and forbids others, and there
 * is no `$schema` key. Express "optional" fields as `.nullable()`: strict mode has no
 * optional properties, so an `.optional()` field becomes required here.
 */
export function toStrictJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: "output" }) as Record<string, unknown>;
  delete json.$schema;
  return strictify(json) as Record<string, unknown>;
}

// Keywords whose value is one subschema, a list of them, or a map of them.
const SINGLE = ["items", "not", "if", "then", "else", "contains", "additionalItems"] as const;
const LISTS = ["anyOf", "oneOf", "allOf", "prefixItems"] as const;
const MAPS = ["$defs", "definitions", "patternProperties"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strictify(node: unknown): unknown {
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = { ...node };
  if (isRecord(out.properties)) {
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(out.properties)) properties[key] = strictify(value);
    out.properties = properties;
    out.required = Object.keys(properties);
    out.additionalProperties = false;
  } else if (out.type === "object") {
    out.additionalProperties = false;
  }
  for (const key of SINGLE) if (isRecord(out[key])) out[key] = strictify(out[key]);
  for (const key of LISTS) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map(strictify);
  }
  for (const key of MAPS) {
    const map = out[key];
    if (!isRecord(map)) continue;
    const next: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(map)) next[name] = strictify(value);
    out[key] = next;
  }
  return out;
}

import type { ZodType } from "zod";
import { AppError } from "./app-error.js";

/**
 * Parses an agent turn's final message that was asked for with an output schema (the
 * fix's analysis, the nightly review). The model API enforces the schema, but a turn can
 * still end on other text (a refusal, an interrupted stream), so both the JSON and the
 * shape are checked here; either failure is the agent's (`codex_failed`), naming `what`.
 */
export function parseStructuredOutput<T>(text: string, schema: ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError("codex_failed", `${what} was not the JSON the output schema asks for`, {
      cause: error,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`)
      .join("; ");
    throw new AppError("codex_failed", `${what} did not match the output schema: ${problems}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

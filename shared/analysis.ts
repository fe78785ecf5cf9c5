import { z } from "zod";

/**
 * The agent's analysis of a bug: the structured output of the first turn. Every
 * property is required and nullable rather than optional, because the model API's
 * strict JSON Schema mode demands it.
 */
export const AnalysisSchema = z
  .object({
    fixable: z
      .boolean()
      .describe("Whether the bug can be fixed by changing code in this repository."),
    rootCause: z.string().describe("The root cause of the bug, in a few sentences."),
    plan: z.array(z.string()).describe("The steps of the fix, in order."),
    files: z.array(z.string()).describe("Repository-relative paths of the files to change."),
    confidence: z.enum(["low", "medium", "high"]).describe("Confidence in the analysis."),
    notFixableReason: z
      .string()
      .nullable()
      .describe("Why it cannot be fixed in code, when fixable is false; otherwise null."),
  })
  .strict();
/** The agent's analysis of a bug. */
export type Analysis = z.infer<typeof AnalysisSchema>;

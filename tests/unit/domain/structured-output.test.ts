import { z } from "zod";
import { AppError } from "../../../server/domain/app-error.js";
import { parseStructuredOutput } from "../../../server/domain/structured-output.js";

const Schema = z.object({ fixable: z.boolean(), files: z.array(z.string()) }).strict();

function failure(text: string): AppError {
  try {
    parseStructuredOutput(text, Schema, "The answer");
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("parseStructuredOutput accepted " + text);
}

describe("parseStructuredOutput", () => {
  it("returns the parsed value when the text is JSON of the schema", () => {
    expect(parseStructuredOutput('{"fixable":true,"files":["a.ts"]}', Schema, "x")).toEqual({
      fixable: true,
      files: ["a.ts"],
    });
  });

  it("blames the agent for text that is not JSON", () => {
    const error = failure("I could not finish the analysis.");
    expect(error.code).toBe("codex_failed");
    expect(error.message).toBe("The answer was not the JSON the output schema asks for");
  });

  it("names every field that does not match", () => {
    const error = failure('{"fixable":"yes","files":[1]}');
    expect(error.code).toBe("codex_failed");
    expect(error.message).toMatch(
      /^The answer did not match the output schema: fixable .+; files\.0 .+$/,
    );
  });
});

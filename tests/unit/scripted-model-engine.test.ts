import {
  SCRIPTED_MODEL_NAME,
  buildScriptContext,
  parseExitCode,
  planResponse,
} from "../../server/sandbox/scripted-model/index.js";
import type { Script, ScriptContext } from "../../server/sandbox/scripted-model/index.js";
import { FaultQueue } from "../../server/sandbox/scripted-model/faults.js";
import {
  environmentContext,
  functionRound,
  responsesBody,
  userMessage,
} from "../support/codex-requests.js";

const ids = (prefix: string): string => `${prefix}_test`;

const script: Script = {
  name: "demo",
  match: /DEMO-1/g, // global on purpose: matching must not depend on lastIndex
  turns: [
    {
      match: /analy[sz]e/i,
      steps: [
        { kind: "shell", command: "cat a.js", reasoning: "Look first.", delayMs: 25 },
        { kind: "json", value: { ok: true } },
      ],
    },
    {
      match: /implement/i,
      steps: [
        { kind: "plan", items: [{ step: "Fix", status: "in_progress" }] },
        { kind: "patch", patch: "*** Begin Patch\n*** Add File: b.txt\n+hi\n*** End Patch" },
        { kind: "shell", command: "npm test", usage: { inputTokens: 7, outputTokens: 3 } },
        (ctx) => ({
          kind: "message",
          text: `tests exited ${String(ctx.toolOutputs.at(-1)?.exitCode)}`,
        }),
      ],
    },
    {
      match: (ctx) => ctx.latestUserMessage.includes("explode"),
      steps: [
        () => {
          throw new Error("boom");
        },
      ],
    },
  ],
};

function context(
  input: Record<string, unknown>[],
  tools?: Record<string, unknown>[],
): ScriptContext {
  return buildScriptContext(responsesBody(input, tools === undefined ? {} : { tools }));
}

const analyzePrompt = [environmentContext("/repo"), userMessage("Ticket DEMO-1: analyze it")];

describe("buildScriptContext", () => {
  it("separates prompts from Codex's context messages and counts this turn's tool outputs", () => {
    const ctx = buildScriptContext(
      responsesBody(
        [
          ...analyzePrompt,
          ...functionRound("c1", "exec_command", "Process exited with code 0\nOutput:\nx"),
          userMessage("Now implement it"),
          environmentContext("/repo2"),
          ...functionRound(
            "c2",
            "exec_command",
            "Chunk ID: 1\nProcess exited with code 3\nOutput:\nfail",
          ),
        ],
        { schema: { type: "object" } },
      ),
    );
    expect(ctx.userMessages).toEqual(["Ticket DEMO-1: analyze it", "Now implement it"]);
    expect(ctx.firstUserMessage).toBe("Ticket DEMO-1: analyze it");
    expect(ctx.latestUserMessage).toBe("Now implement it");
    expect(ctx.toolOutputs).toEqual([
      { callId: "c2", name: "exec_command", output: expect.any(String) as string, exitCode: 3 },
    ]);
    expect(ctx.stepIndex).toBe(1);
    expect(ctx.cwd).toBe("/repo2");
    expect(ctx.outputSchema).toEqual({ type: "object" });
    expect(ctx.toolNames).toContain("apply_patch");
  });

  it("finds namespaced tools and tools sent as an additional_tools item", () => {
    const ctx = buildScriptContext({
      model: "m",
      tools: [{ type: "namespace", name: "ns", tools: [{ type: "function", name: "inner" }] }],
      input: [{ type: "additional_tools", tools: [{ type: "custom", name: "exec" }] }],
    });
    expect(ctx.tools).toEqual([
      { name: "inner", type: "function" },
      { name: "exec", type: "custom" },
    ]);
    expect(ctx.latestUserMessage).toBe("");
  });

  it("tolerates a body that is not a Responses request", () => {
    expect(buildScriptContext(null)).toMatchObject({
      userMessages: [],
      stepIndex: 0,
      outputSchema: null,
    });
  });
});

describe("parseExitCode", () => {
  it("reads unified exec and apply_patch outputs", () => {
    expect(parseExitCode("Wall time: 1s\nProcess exited with code 1\nOutput:")).toBe(1);
    expect(parseExitCode("Exit code: 0\nWall time: 0.1 seconds")).toBe(0);
    expect(parseExitCode("Plan updated")).toBeNull();
  });
});

describe("planResponse", () => {
  it("plays the matching turn's step with its reasoning and pacing", () => {
    const plan = planResponse([script], context(analyzePrompt), 4000, ids);
    expect(plan).toMatchObject({ script: "demo", turnIndex: 0, stepIndex: 0, delayMs: 25 });
    expect(plan.items.map((item) => item.type)).toEqual(["reasoning", "function_call"]);
    expect(plan.items[1]).toMatchObject({
      name: "exec_command",
      arguments: JSON.stringify({ cmd: "cat a.js" }),
    });
    expect(plan.usage).toEqual({
      inputTokens: 1000,
      cachedInputTokens: 0,
      outputTokens: expect.any(Number) as number,
    });
    // Matching is stateless even with a global RegExp.
    expect(planResponse([script], context(analyzePrompt), 10, ids).script).toBe("demo");
  });

  it("derives the step from the tool outputs since the latest prompt", () => {
    const input = [
      ...analyzePrompt,
      ...functionRound("c1", "exec_command", "Process exited with code 0"),
    ];
    const plan = planResponse([script], context(input), 4000, ids);
    expect(plan.stepIndex).toBe(1);
    expect(plan.items).toEqual([
      {
        type: "message",
        id: "msg_test",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: '{"ok":true}', annotations: [] }],
      },
    ]);
    expect(plan.usage.cachedInputTokens).toBe(750);
  });

  it("renders plan, patch and shell steps for the tools offered", () => {
    const base = [...analyzePrompt, userMessage("implement the fix")];
    const plan0 = planResponse([script], context(base), 100, ids);
    expect(plan0.items[0]).toMatchObject({ type: "function_call", name: "update_plan" });
    expect(JSON.parse(String(plan0.items[0]?.arguments))).toEqual({
      plan: [{ step: "Fix", status: "in_progress" }],
    });

    const afterPlan = [...base, ...functionRound("p", "update_plan", "Plan updated")];
    const custom = planResponse([script], context(afterPlan), 100, ids).items[0];
    expect(custom).toMatchObject({ type: "custom_tool_call", name: "apply_patch" });
    expect(custom?.input).toBe("*** Begin Patch\n*** Add File: b.txt\n+hi\n*** End Patch\n");

    const asFunction = planResponse(
      [script],
      context(afterPlan, [
        { type: "function", name: "exec_command" },
        { type: "function", name: "apply_patch" },
      ]),
      100,
      ids,
    );
    expect(asFunction.items[0]).toMatchObject({ type: "function_call", name: "apply_patch" });

    const viaShell = planResponse(
      [script],
      context(afterPlan, [{ type: "function", name: "shell" }]),
      100,
      ids,
    );
    const args = JSON.parse(String(viaShell.items[0]?.arguments)) as { command: string[] };
    expect(viaShell.items[0]).toMatchObject({ name: "shell" });
    expect(args.command[2]).toMatch(/^apply_patch <<'PATCHBOARD_EOF'\n\*\*\* Begin Patch/);
  });

  it("lets a step override usage and read earlier outputs", () => {
    const base = [
      ...analyzePrompt,
      userMessage("implement"),
      ...functionRound("p", "update_plan", "ok"),
    ];
    const withPatch = [...base, ...functionRound("x", "apply_patch", "Exit code: 0")];
    expect(planResponse([script], context(withPatch), 100, ids).usage).toMatchObject({
      inputTokens: 7,
      outputTokens: 3,
    });
    const tested = [
      ...withPatch,
      ...functionRound("t", "exec_command", "Process exited with code 2"),
    ];
    const final = planResponse([script], context(tested), 100, ids);
    expect(final.items[0]?.content).toEqual([
      { type: "output_text", text: "tests exited 2", annotations: [] },
    ]);
  });

  it("answers with an explanatory message instead of hanging", () => {
    const noScript = planResponse([script], context([userMessage("OTHER-9 analyze")]), 10, ids);
    expect(noScript.script).toBeNull();
    expect(JSON.stringify(noScript.items)).toContain("No script matches this request");

    const noTurn = planResponse(
      [script],
      context([userMessage("DEMO-1"), userMessage("dance")]),
      10,
      ids,
    );
    expect(JSON.stringify(noTurn.items)).toContain('has no turn matching the prompt \\"dance\\"');

    const done = [
      ...analyzePrompt,
      ...functionRound("a", "exec_command", "x"),
      ...functionRound("b", "exec_command", "y"),
    ];
    expect(JSON.stringify(planResponse([script], context(done), 10, ids).items)).toContain(
      "has no step 2",
    );

    const broken = planResponse([script], context([userMessage("DEMO-1 explode")]), 10, ids);
    expect(JSON.stringify(broken.items)).toContain("failed: boom");
  });
});

describe("FaultQueue", () => {
  it("hands out faults in order, honouring counts and conditions", () => {
    const queue = new FaultQueue();
    const ctx = context(analyzePrompt);
    queue.set([
      { kind: "http_error", status: 500, count: 2, when: (c) => c.stepIndex > 0 },
      { kind: "drop" },
    ]);
    expect(queue.take(ctx)?.kind).toBe("drop");
    expect(queue.take(ctx)).toBeNull();
    const later = context([...analyzePrompt, ...functionRound("c", "exec_command", "x")]);
    expect(queue.take(later)?.kind).toBe("http_error");
    expect(queue.pending()).toBe(1);
    queue.set([{ kind: "stall", stallMs: 1, count: Infinity }]);
    expect(queue.pending()).toBe(Infinity);
    queue.set([]);
    expect(queue.take(later)).toBeNull();
  });
});

describe("planResponse with a code-mode model", () => {
  it("says which model to use instead of calling a tool Codex did not offer", () => {
    const ctx = context(analyzePrompt, [{ type: "custom", name: "exec" }]);
    const plan = planResponse([script], ctx, 10, ids);
    expect(JSON.stringify(plan.items)).toContain(`use model \\"${SCRIPTED_MODEL_NAME}\\"`);
  });
});

/** TAP of tape-style groups, `name: "ok" | "fail"`: what a TAP runner prints for those tests. */
export function tap(results: Record<string, "ok" | "fail">): string {
  return [
    "TAP version 13",
    ...Object.entries(results).flatMap(([name, r], i) => [
      `# ${name}`,
      `${r === "ok" ? "ok" : "not ok"} ${i + 1} should be equal`,
    ]),
    "",
  ].join("\n");
}

// `npm run demo`, piece by piece (the script itself runs the bundle, which tests do not rebuild):
// the command line it prints, then the CLI's report of the example recordings against the
// simulator, in text with colour on a terminal, ending with the noise it ignored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandLine, type DemoRun, startDemo } from "../scripts/demo-run.ts";
import { runCli } from "./support/run-cli.ts";

let demo: DemoRun;
beforeAll(async () => {
  demo = await startDemo();
});
afterAll(() => demo.close());

describe("the demo", () => {
  it("prints the command as a user would type it", () => {
    const line = commandLine(demo.args);
    expect(line).toMatch(/^\$ recording-drift check examples --provider /);
    // The Vertex AI wildcard host is quoted for the shell; the others need no quotes.
    expect(line).toContain("--provider '*-aiplatform.googleapis.com=http://127.0.0.1:");
    expect(line).toMatch(
      /--provider api\.openai\.com=http:\/\/127\.0\.0\.1:\d+\/__host\/api\.openai\.com\/v1/,
    );
    expect(commandLine(["check", "it's here"])).toBe(`$ recording-drift check 'it'\\''s here'`);
  });

  it("then the report in colour: the drifted answer's old text in red, its new in green, and the noise line", async () => {
    const run = await runCli(demo.args, { cwd: demo.cwd, env: { ...demo.env, FORCE_COLOR: "1" } });
    expect(run.code).toBe(0);
    const text = run.stdout.replace(/\u001B\[[0-9;]*m/g, "");
    expect(text).toMatch(/^recording-drift report\n/);
    expect(text).toContain("⚠️ 1 recording drifted (1 answer) · 6 unchanged");
    expect(text).toMatch(/^ +6 +1 +7$/m);
    expect(text).toContain("\ntest_messages_tool_use_round_trip[txt=openai/gpt-4o]\n");
    expect(run.stdout).toContain("\u001B[31m- The result of the expression");
    expect(run.stdout).toContain("\u001B[32m+ 15 multiplied by 7 gives 115.");
    for (const marker of ["**", "~~", "##", "<details>"]) expect(text).not.toContain(marker);
    // The simulator is seeded: the same fresh ids, fingerprints and re-split on every run.
    expect(text).toMatch(
      /\n\nignored as noise: 2 fingerprints, 2 new ids, 2 new timestamps, 1 re-split stream\n$/,
    );
  });
});

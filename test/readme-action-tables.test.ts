// The README's Inputs and Outputs tables are the action's interface as users read it: they
// list exactly the inputs and outputs of action.yml, with its defaults.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = path.resolve(import.meta.dirname, "..");
const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const action = parse(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};

/** The first column and the second of each row of the table under `### heading`. */
function rows(heading: string): Array<[string, string]> {
  const section = readme.split(`\n### ${heading}\n`)[1]?.split("\n#")[0] ?? "";
  return [...section.matchAll(/^\| `([^`]+)` \| ([^|]*) \|/gm)].map((m) => [m[1] ?? "", (m[2] ?? "").trim()]);
}

describe("README's action tables", () => {
  it("Inputs: every input of action.yml, in its order, with its default", () => {
    expect(rows("Inputs")).toEqual(
      Object.entries(action.inputs).map(([name, input]) => [
        name,
        input.default ? `\`${input.default}\`` : "",
      ]),
    );
  });

  it("Outputs: every output of action.yml, in its order", () => {
    expect(rows("Outputs").map(([name]) => name)).toEqual(Object.keys(action.outputs));
  });
});

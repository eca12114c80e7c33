// `--debug` stack traces from the bundle name source lines, through the source map beside it.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { mapStack } from "../src/cli/mapped-stack.ts";
import { makeTempDir } from "./support/temp-dir.ts";

describe("mapStack", () => {
  it("maps a frame of a minified bundle to its source file and line; leaves frames without a map", async () => {
    const dir = makeTempDir("recording-drift-stack-");
    const source = path.join(dir, "thrower.ts");
    writeFileSync(
      source,
      '// The error is thrown on line 4.\n\nexport function boom(): never {\n  throw new Error("boom");\n}\n',
    );
    const bundle = path.join(dir, "dist", "thrower.js");
    await build({
      entryPoints: [source],
      outfile: bundle,
      bundle: true,
      format: "esm",
      platform: "node",
      minify: true,
      sourcemap: "linked",
      sourcesContent: false,
      logLevel: "silent",
    });
    // In a plain Node (this test runner maps stacks itself), as the CLI meets it.
    const stack = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { boom } from ${JSON.stringify(pathToFileURL(bundle).href)};
try { boom(); } catch (error) { process.stdout.write(error.stack); }`,
      ],
      { encoding: "utf8" },
    );
    expect(stack).toContain(`${bundle}:1:`);
    const mapped = mapStack(stack);
    expect(mapped).toContain(`${source}:4:`);
    expect(mapped).not.toContain(`${bundle}:1:`);
    // The frame of the inline script has no map: kept as it was.
    expect(mapped).toContain("[eval1]:2:");
  });
});

// A recording whose file name is not its request's hash can never be found by its test: check and
// refresh skip it without a request, the report lists it in one group, --prune-unreachable
// deletes it.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/commands/check.ts";
import { refresh } from "../src/commands/refresh.ts";
import { formatMarkdown } from "../src/report/markdown.ts";
import { setupCheck } from "./support/check-setup.ts";

const CHAT = "007a9180a7aa";
const STREAM_TOOLS = "00cf12ddd414";

async function setupWithEditedTestId() {
  const setup = await setupCheck({}, [CHAT, STREAM_TOOLS]);
  const edited = setup.file(CHAT);
  // A test id edited by hand, the file not renamed: the hash no longer matches.
  const text = readFileSync(edited, "utf8").replace(/"test_id": "([^"]*)"/, '"test_id": "$1-renamed"');
  writeFileSync(edited, text);
  return { setup, edited, shown: path.relative(setup.dir, edited) };
}

describe("unreachable recordings", () => {
  it("are skipped by check with no request spent, and listed in one group", async () => {
    const { setup, shown } = await setupWithEditedTestId();
    const report = await check(setup.options);
    const result = report.results.find((r) => r.file === shown);
    expect(result).toMatchObject({ verdict: "skipped", unreachable: true });
    expect(result?.reasons[0]).toMatch(
      /^unreachable: the file name is not the request's hash \(the recorder would name it [0-9a-f]{64}\.json\)/,
    );
    expect(setup.sim.requests.map((r) => r.file)).toEqual([expect.stringContaining(STREAM_TOOLS)]);
    const markdown = formatMarkdown(report);
    expect(markdown).toContain("### Unreachable (1)");
    expect(markdown).toContain("`refresh --prune-unreachable` deletes them.");
  });

  it("are deleted by refresh --prune-unreachable (not by a dry run), the result saying so", async () => {
    const { setup, edited, shown } = await setupWithEditedTestId();
    const dry = await refresh({ ...setup.options, update: "all", dryRun: true, pruneUnreachable: true });
    expect(dry.results.find((r) => r.file === shown)?.reasons).toContain(
      "would be deleted (--prune-unreachable)",
    );
    expect(existsSync(edited)).toBe(true);
    const kept = await refresh({ ...setup.options, update: "all", dryRun: false });
    expect(kept.results.find((r) => r.file === shown)?.removed).toBeUndefined();
    expect(existsSync(edited)).toBe(true);
    const report = await refresh({ ...setup.options, update: "all", dryRun: false, pruneUnreachable: true });
    expect(report.results.find((r) => r.file === shown)).toMatchObject({ removed: true, unreachable: true });
    expect(existsSync(edited)).toBe(false);
    expect(formatMarkdown(report)).toContain("and 1 deleted by --prune-unreachable.");
  });
});

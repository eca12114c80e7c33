// One Node story everywhere: the CLI's floor is package.json's engines (the bundle targets it,
// scripts/bundle.mjs), the action runs on action.yml's runs.using; .node-version, the CI matrix
// and the README say the same.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = path.resolve(import.meta.dirname, "..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const floor = /^>=(\d+)$/.exec(
  (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node,
)?.[1];
const runtime = /^node(\d+)$/.exec(
  (parse(read("action.yml")) as { runs: { using: string } }).runs.using,
)?.[1];

describe("Node versions", () => {
  it("engines is >=N and the action runs on nodeM, M >= N", () => {
    expect(Number(floor)).toBeGreaterThanOrEqual(22);
    expect(Number(runtime)).toBeGreaterThanOrEqual(Number(floor));
  });

  it(".node-version is the action's runtime", () => {
    expect(read(".node-version").trim()).toBe(runtime);
  });

  it("CI tests both the floor and the runtime", () => {
    const ci = parse(read(".github/workflows/ci.yml")) as {
      jobs: { test: { strategy: { matrix: { node: string[] } } } };
    };
    expect(ci.jobs.test.strategy.matrix.node).toEqual([floor, runtime]);
  });

  it("the README states both", () => {
    const readme = read("README.md");
    expect(readme).toContain(`\`runs.using: node${runtime}\``);
    expect(readme).toContain(`The CLI needs Node >= ${floor}`);
  });
});

// The bundles (scripts/bundle.mjs) built into a temporary directory, for the benches that run
// what users run, `node cli.js` and `node index.js`, without touching the committed dist/.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

export interface TempBundle {
  cli: string;
  action: string;
  remove(): void;
}

export function buildTempBundle(): TempBundle {
  const dir = mkdtempSync(path.join(os.tmpdir(), "recording-drift-bundle-"));
  execFileSync(process.execPath, ["scripts/bundle.mjs", dir], { cwd: ROOT, stdio: "inherit" });
  return {
    cli: path.join(dir, "cli.js"),
    action: path.join(dir, "index.js"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

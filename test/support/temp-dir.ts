// Temporary directories for tests that write files; removed after each test file.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

export function makeTempDir(prefix = "recording-drift-"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/corpus");

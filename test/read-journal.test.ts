// Reading a journal a refresh left unfinished: a change not marked done is judged by what its
// files hold now (made, not made, half made: renamed with the old name still there), a line cut
// short by the stop is named, and file names from the journal are printed inert.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readJournal } from "../src/commands/read-journal.ts";
import { contentDigest } from "../src/recording/files.ts";
import { formatJournalText } from "../src/report/journal-text.ts";
import { makeTempDir } from "./support/temp-dir.ts";

const dir = makeTempDir("recording-drift-journal-");
const OLD = "old bytes\n";
const NEW = "new bytes\n";

function journal(lines: unknown[], tail = ""): string {
  const file = path.join(dir, "run.journal.jsonl");
  writeFileSync(file, `${lines.map((line) => JSON.stringify(line)).join("\n")}\n${tail}`);
  return file;
}

describe("an unfinished refresh journal", () => {
  it("tells the changes made, not made and half made from the files' bytes", async () => {
    mkdirSync(path.join(dir, "r"), { recursive: true });
    writeFileSync(path.join(dir, "r/made.json"), NEW);
    writeFileSync(path.join(dir, "r/not-made.json"), OLD);
    writeFileSync(path.join(dir, "r/renamed.json"), NEW);
    writeFileSync(path.join(dir, "r/old-name.json"), OLD);
    const change = (seq: number, p: string, action: string, extra: object = {}) => ({
      seq,
      path: p,
      action,
      before: contentDigest(OLD),
      after: action === "delete" ? null : contentDigest(NEW),
      ...extra,
    });
    const file = journal(
      [
        { journal: "recording-drift refresh", cwd: dir, started: "2026-12-02T07:00:00.000Z" },
        change(1, "r/made.json", "write"),
        { done: 1 },
        change(2, "r/not-made.json", "write"),
        change(3, "r/renamed.json", "rename", { from: "r/old-name.json" }),
        change(4, "r/gone.json", "delete"),
      ],
      '{"seq":5,"pa',
    );
    const state = await readJournal(file, "/elsewhere");
    expect(state.complete).toBe(false);
    expect(state.changes.map((c) => [c.path, c.state])).toEqual([
      ["r/made.json", "done"],
      ["r/not-made.json", "not made"],
      ["r/renamed.json", "half made"],
      ["r/gone.json", "made"],
    ]);
    expect(state.problems).toEqual(["line 7 is cut short (the run stopped while writing it)"]);
    expect(formatJournalText({ ...state, file: "run.journal.jsonl" })).toBe(
      [
        "journal run.journal.jsonl: the refresh did not finish (started 2026-12-02T07:00:00.000Z); its reports may be missing or older",
        "changed (1):",
        "  write  r/made.json",
        "in flight when it stopped (3):",
        "  write  r/not-made.json: not made, the file holds its bytes from before",
        "  rename r/renamed.json (from r/old-name.json): half made, written under its new name; r/old-name.json is still there",
        "  delete r/gone.json: made, the file is gone",
        "warning: line 7 is cut short (the run stopped while writing it)",
        "",
      ].join("\n"),
    );
  });

  it("prints a hostile file name inert", async () => {
    const file = journal([
      { journal: "recording-drift refresh", cwd: dir, started: "now" },
      { seq: 1, path: "r/x\n::error::pwned.json", action: "write", before: null, after: contentDigest(NEW) },
      { done: 1 },
      { complete: true },
    ]);
    const text = formatJournalText(await readJournal(file, dir));
    expect(text).toContain("  write  r/x%0A::error::pwned.json\n");
    expect(text.split("\n").some((line) => line.startsWith("::"))).toBe(false);
  });
});

// Reading a refresh journal back (see refresh-journal.ts): each change announced, whether it was
// marked done, and for one that was not, what its file holds now (the change made, or not).
import path from "node:path";
import { z } from "zod";
import { errorMessage, fileDigest, readText } from "../recording/files.ts";
import type { ChangeState, JournalChange, JournalState } from "../report/journal-text.ts";
import { ReportInputError } from "./merge.ts";

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/);
const headerLine = z.object({ journal: z.string(), cwd: z.string(), started: z.string() });
const changeLine = z.object({
  seq: z.number().int(),
  path: z.string(),
  action: z.enum(["write", "rename", "delete"]),
  from: z.string().optional(),
  before: SHA256.nullable(),
  after: SHA256.nullable(),
});
const doneLine = z.object({ done: z.number().int() });
const completeLine = z.object({ complete: z.literal(true) });
type Announced = z.output<typeof changeLine>;

/**
 * What the journal at `file` (relative to `cwd`) says; `cwd` also resolves its paths when it
 * names no directory of its own.
 */
export async function readJournal(file: string, cwd: string): Promise<JournalState> {
  const text = await readText(path.resolve(cwd, file)).catch((error: unknown) => {
    throw new ReportInputError(`${file}: cannot read the journal: ${errorMessage(error)}`);
  });
  const state: JournalState = { file, complete: false, started: null, changes: [], problems: [] };
  const announced: Announced[] = [];
  const done = new Set<number>();
  let root = cwd;
  const lines = text.split("\n");
  // A journal ends with a newline; text after the last one is a line the stop cut short.
  const cut = lines.pop();
  if (cut) state.problems.push(`line ${lines.length + 1} is cut short (the run stopped while writing it)`);
  for (const [i, line] of lines.entries()) {
    const json = parseLine(line);
    const header = headerLine.safeParse(json);
    const change = changeLine.safeParse(json);
    const marked = doneLine.safeParse(json);
    if (header.success) {
      root = header.data.cwd;
      state.started = header.data.started;
    } else if (change.success) announced.push(change.data);
    else if (marked.success) done.add(marked.data.done);
    else if (completeLine.safeParse(json).success) state.complete = true;
    else state.problems.push(`line ${i + 1} is not a journal line`);
  }
  for (const entry of announced) {
    const { before: _before, after: _after, ...shown } = entry;
    const change: JournalChange = { ...shown, state: "done" };
    if (!done.has(entry.seq)) Object.assign(change, await stateOnDisk(entry, root));
    state.changes.push(change);
  }
  return state;
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

/** For a change not marked done: whether the file's bytes say it was made. */
async function stateOnDisk(entry: Announced, root: string): Promise<{ state: ChangeState; detail: string }> {
  const at = (shown: string) => path.resolve(root, ...shown.split("/"));
  try {
    const now = await fileDigest(at(entry.path));
    if (entry.action === "delete") {
      if (now === null) return { state: "made", detail: "the file is gone" };
      return now === entry.before
        ? { state: "not made", detail: "the file is still there" }
        : { state: "unknown", detail: "the file holds other bytes than before" };
    }
    const from = entry.from === undefined ? null : await fileDigest(at(entry.from));
    if (now === entry.after) {
      if (entry.action === "rename" && from !== null)
        return { state: "half made", detail: `written under its new name; ${entry.from} is still there` };
      return { state: "made", detail: "the file holds the new bytes" };
    }
    const old = entry.action === "rename" ? from : now;
    if (old === entry.before) {
      const detail =
        old === null ? "there is no such file, as before" : "the file holds its bytes from before";
      return { state: "not made", detail };
    }
    return { state: "unknown", detail: "the file holds neither the bytes from before nor the new ones" };
  } catch (error) {
    return { state: "unknown", detail: `cannot read it: ${errorMessage(error)}` };
  }
}

// The refresh journal: before refresh writes, renames or deletes a recording, it appends a line
// saying so (the file's sha256 before and after) and flushes it to disk; once the change is made,
// a line saying it is done. The last line marks the run complete. A crash, a kill or a full disk
// leaves a journal that still says which files were changed and which change was in flight
// (read-journal.ts reads it back). Written by hand: a line per change and an fsync are all it takes.
import { promises as fs } from "node:fs";
import path from "node:path";
import {
  contentDigest,
  errorMessage,
  fileDigest,
  pathExists,
  toPosix,
  writeFileAtomic,
} from "../recording/files.ts";
import { formatJournalText, type JournalAction } from "../report/journal-text.ts";
import { OptionsError } from "./options.ts";
import { readJournal } from "./read-journal.ts";

/** The file operations a refresh makes: the seam a test replaces with one that fails (a full disk). */
export interface FileWriter {
  /** Replaces (or creates) `file` with `text`, atomically. */
  replace(file: string, text: string): Promise<void>;
  remove(file: string): Promise<void>;
}

export const DISK_WRITER: FileWriter = {
  replace: (file, text) => writeFileAtomic(file, text),
  remove: (file) => fs.rm(file),
};

/**
 * Where a refresh journals: `--journal`, else `<report>.journal.jsonl` beside the JSON report;
 * null (no journal) when it has neither or writes nothing (a dry run).
 */
export function journalPath(options: {
  journal: string | null;
  json: string | null;
  dryRun: boolean;
}): string | null {
  if (options.dryRun) return null;
  if (options.journal !== null) return options.journal;
  return options.json === null ? null : `${options.json.replace(/\.json$/i, "")}.journal.jsonl`;
}

/**
 * Starts the run's journal at `file`. A journal left there by a refresh that did not finish is
 * reported first (one warning, then its lines in the log), so what that run changed is not lost.
 */
export async function startJournal(
  file: string,
  cwd: string,
  say: { warn: (line: string) => void; log: (line: string) => void },
): Promise<JournalFile> {
  const { warn, log } = say;
  if (await pathExists(file)) {
    try {
      const previous = await readJournal(file, cwd);
      if (!previous.complete) {
        warn(`the last refresh did not finish; what its journal ${file} says follows`);
        for (const line of formatJournalText(previous).trimEnd().split("\n")) log(line);
      }
    } catch (error) {
      warn(`the journal ${file} of the last refresh does not read: ${errorMessage(error)}`);
    }
  }
  // Nothing is written yet: a journal that cannot be started stops the run before any change.
  return JournalFile.open(file, cwd).catch((error: unknown) => {
    throw new OptionsError(`--journal: cannot write the refresh journal ${file}: ${errorMessage(error)}`);
  });
}

/** An open journal file; lines are appended one at a time, in the order the changes start. */
export class JournalFile {
  private queue: Promise<unknown> = Promise.resolve();
  private seq = 0;

  private constructor(
    readonly file: string,
    readonly cwd: string,
    private readonly handle: fs.FileHandle,
  ) {}

  /** Starts a journal at `file` (replacing an older one) for a run in `cwd`. */
  static async open(file: string, cwd: string): Promise<JournalFile> {
    const handle = await fs.open(file, "w");
    const journal = new JournalFile(file, cwd, handle);
    await journal.append(
      { journal: "recording-drift refresh", cwd, started: new Date().toISOString() },
      true,
    );
    return journal;
  }

  /** Says a change is about to be made; resolves once the line is on disk. Returns its number. */
  async intend(entry: {
    path: string;
    action: JournalAction;
    from?: string;
    before: string | null;
    after: string | null;
  }): Promise<number> {
    const seq = ++this.seq;
    const shown = (file: string) => toPosix(path.relative(this.cwd, file));
    await this.append(
      {
        seq,
        path: shown(entry.path),
        action: entry.action,
        ...(entry.from === undefined ? {} : { from: shown(entry.from) }),
        before: entry.before,
        after: entry.after,
      },
      true,
    );
    return seq;
  }

  /**
   * Says a change was made. Not flushed: a kill keeps it (it is in the kernel's hands), and after
   * a power cut the reader tells from the file's bytes whether the change landed.
   */
  done(seq: number): Promise<void> {
    return this.append({ done: seq }, false);
  }

  /** The last line: the run finished and its reports are written. */
  async complete(): Promise<void> {
    await this.append({ complete: true, ended: new Date().toISOString() }, true);
  }

  close(): Promise<void> {
    return this.queue.then(() => this.handle.close());
  }

  private append(line: Record<string, unknown>, sync: boolean): Promise<void> {
    const text = `${JSON.stringify(line)}\n`;
    const next = this.queue.then(async () => {
      await this.handle.write(text);
      if (sync) await this.handle.sync();
    });
    // One failed append (a full disk) fails its change, not every later one.
    this.queue = next.catch(() => undefined);
    return next.catch((error: unknown) => {
      throw new Error(`the refresh journal ${this.file} could not be written: ${errorMessage(error)}`);
    });
  }
}

/**
 * The changes a refresh makes to recordings, each journaled before it is made (when there is a
 * journal): the change is not made unless its line is on disk.
 */
export class FileChanges {
  constructor(
    private readonly journal: JournalFile | null = null,
    private readonly writer: FileWriter = DISK_WRITER,
  ) {}

  /** Replaces `file` with `text`, or creates it. */
  async write(file: string, text: string): Promise<void> {
    const seq = await this.journal?.intend({
      path: file,
      action: "write",
      before: await fileDigest(file),
      after: contentDigest(text),
    });
    await this.writer.replace(file, text);
    if (seq !== undefined) await this.journal?.done(seq);
  }

  /** Writes `text` under the new name `to`, then removes `from`. */
  async rename(from: string, to: string, text: string): Promise<void> {
    const seq = await this.journal?.intend({
      path: to,
      action: "rename",
      from,
      before: await fileDigest(from),
      after: contentDigest(text),
    });
    await this.writer.replace(to, text);
    await this.writer.remove(from);
    if (seq !== undefined) await this.journal?.done(seq);
  }

  async remove(file: string): Promise<void> {
    const seq = await this.journal?.intend({
      path: file,
      action: "delete",
      before: await fileDigest(file),
      after: null,
    });
    await this.writer.remove(file);
    if (seq !== undefined) await this.journal?.done(seq);
  }
}

// A corpus FACTOR times the size of a real one, for memory and scale measurements:
//
//   npx tsx scripts/make-synthetic-corpus.ts SRC DEST FACTOR
//
// Copy 1 of every recording is the file itself. Copy k (2..FACTOR) is the same recording made by
// another test: its `test_id` gets the suffix `~copy<k>` and the file is named by its new
// request hash, as the recorder would have named it, beside the original. Recordings whose name
// does not depend on the test id (model lists, tool invocations, file processors, files without
// a test id, unreadable files) are copied unchanged into `copy-<k>/` under their directory. The
// wire requests stay the same, so a simulator serving SRC answers every copy.
import { promises as fs } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expectedFileName } from "../src/recording/file-name.ts";
import { readText, toPosix } from "../src/recording/files.ts";
import { isJsonObject } from "../src/recording/json-value.ts";
import { readRecording } from "../src/recording/recording.ts";
import { writeRecordingText } from "../src/recording/write-recording.ts";

export interface SyntheticCorpus {
  files: number;
  bytes: number;
  /** Copies that got a new test id and name (the rest went into `copy-<k>/` unchanged). */
  renamed: number;
}

export async function makeSyntheticCorpus(
  src: string,
  dest: string,
  factor: number,
): Promise<SyntheticCorpus> {
  const made: SyntheticCorpus = { files: 0, bytes: 0, renamed: 0 };
  /** Writes a new file; false when the name is taken (never overwrite: the corpus would shrink). */
  const write = async (file: string, text: string): Promise<boolean> => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    try {
      await fs.writeFile(file, text, { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
    made.files++;
    made.bytes += Buffer.byteLength(text);
    return true;
  };
  for (const relative of await listJson(src)) {
    const text = await readText(path.join(src, relative));
    const dir = path.join(dest, path.dirname(relative));
    const name = path.basename(relative);
    if (!(await write(path.join(dir, name), text))) throw new Error(`${path.join(dir, name)} exists`);
    const read = readRecording(text, relative);
    for (let k = 2; k <= factor; k++) {
      const copy = read.ok ? renamedCopy(text, relative, k) : null;
      // Two stored files of one request and test id (re-recorded under a new name) make the same
      // copy: the second goes into `copy-<k>/` like the recordings named without a test id.
      if (copy !== null && copy.name !== name && (await write(path.join(dir, copy.name), copy.text))) {
        made.renamed++;
      } else if (!(await write(path.join(dir, `copy-${k}`, name), text))) {
        throw new Error(`${path.join(dir, `copy-${k}`, name)} exists: is ${dest} empty?`);
      }
    }
  }
  return made;
}

/** The recording as test `<test id>~copy<k>` would have recorded it, or null when it has no test id. */
function renamedCopy(text: string, file: string, k: number): { name: string; text: string } | null {
  // Parsed again per copy: the lossless tree is edited in place.
  const read = readRecording(text, file);
  if (!read.ok || read.recording.testId === null) return null;
  const { recording } = read;
  const testId = `${recording.testId}~copy${k}`;
  recording.data.test_id = testId;
  // HTTP passthrough recordings hash the test id stored in their request.
  if (isJsonObject(recording.request) && typeof recording.request.test_id === "string") {
    recording.request.test_id = testId;
  }
  const name = expectedFileName(recording);
  return name === null ? null : { name, text: writeRecordingText(recording.data) };
}

async function listJson(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => toPosix(path.relative(root, path.join(entry.parentPath, entry.name))))
    .sort();
}

async function main(): Promise<void> {
  const [src, dest, factorText] = process.argv.slice(2);
  const factor = Number(factorText);
  if (!src || !dest || !Number.isInteger(factor) || factor < 1) {
    console.error("usage: npx tsx scripts/make-synthetic-corpus.ts SRC DEST FACTOR");
    process.exit(2);
  }
  const existing = await fs.readdir(dest).catch(() => []);
  if (existing.length > 0) {
    console.error(`${dest} is not empty`);
    process.exit(2);
  }
  const started = performance.now();
  const made = await makeSyntheticCorpus(src, dest, factor);
  console.log(
    `${made.files} recordings (${(made.bytes / 1e6).toFixed(0)} MB) in ${dest}, ${made.renamed} copies renamed by their new request hash, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();

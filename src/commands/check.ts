// `recording-drift check`: replay each recording against its live provider and judge the answer.
// Recordings flow through one at a time (read → replay → re-read → compare → result), so memory
// stays bounded however many there are; `refresh` is this pipeline plus a writer per result.
import path from "node:path";
import picomatch from "picomatch";
import type { Capture } from "../capture.ts";
import { compareCaptures } from "../compare/compare-captures.ts";
import type { Comparison } from "../compare/verdict.ts";
import type { Config } from "../config.ts";
import { checkFileName, expectedFileName } from "../recording/file-name.ts";
import { contentDigest, errorMessage, findRecordingFiles, readText, toPosix } from "../recording/files.ts";
import type { JsonValue } from "../recording/json-value.ts";
import { toPlain } from "../recording/json-value.ts";
import { type Recording, readRecording } from "../recording/recording.ts";
import { scanSecrets } from "../recording/secret-scan.ts";
import { storedCapture } from "../recording/stored-capture.ts";
import { findTestChains, type TestChain } from "../recording/test-chains.ts";
import { testIdMatcher } from "../recording/test-id-glob.ts";
import { unusedProviderHosts } from "../replay/providers.ts";
import { replayAll } from "../replay/replay.ts";
import type { ReplayResult, ReplayTarget } from "../replay/types.ts";
import { type CheckResult, makeReport, summarize } from "../report/check-report.ts";
import { compareOptionsResolver } from "./compare-options.ts";
import type { CheckProgress } from "./run-progress.ts";
import type { Shard, ShardReport } from "./shard.ts";
import { selectShard } from "./shard-partition.ts";

export interface CheckOptions {
  paths: string[];
  cwd: string;
  config: Config;
  providerOverrides: string[];
  /**
   * Only recordings whose path (a path glob: `**` crosses `/`) or test id (a test-id glob: `*`
   * crosses `/`, see test-id-glob.ts) matches are replayed.
   */
  filter: string | null;
  /** Where a warning goes (a filter that selected nothing). */
  warn?: (message: string) => void;
  maxRequests: number | null;
  /** `--shard K/N`: only this shard's recordings (by their path relative to `cwd`). */
  shard?: Shard | null;
  samples: number;
  /**
   * `--extra-samples`: when a recording's answer drifted on its text alone, this many more live
   * samples are drawn for it (within `maxRequests`) to tell drift from sampling. 0: never.
   */
  extraSamples?: number;
  /** `--threshold`: the global text similarity threshold, over the config file's. */
  threshold: number | null;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** Called each time a recording's result is kept, with the counts so far. */
  onProgress?: (progress: CheckProgress) => void;
  /**
   * Called for each recording replayed and judged, with the sample the verdict used; returns
   * what it wrote (refresh). Not called for failed or skipped recordings.
   */
  onJudged?: (judged: Judged) => Promise<Written>;
  /**
   * The recordings' chains, when the caller found them already (refresh); else check finds them
   * after the run, among the tests where an answer changed only.
   */
  chains?: TestChain[];
}

/** What `onJudged` did to the file, merged into its result. */
export type Written = Pick<CheckResult, "refreshed" | "renamedFrom"> & { file?: string };

export interface Judged {
  file: string;
  /** The sha256 of the file as judged (`contentDigest`): a later writer checks it still holds it. */
  digest: string;
  recording: Recording;
  live: Capture;
  comparison: Comparison;
}

/** What the run remembers of a recording while it is being replayed: little, on purpose. */
interface Pending {
  shown: string;
  /** The file's digest when its request was sent: judged only if it still holds that. */
  digest: string;
  endpoint: string | null;
  model: string | null;
}

/** The paths given hold no recording: the user's mistake, not a failure of the run. */
export class NoRecordingsError extends Error {
  override name = "NoRecordingsError";
}

/** The report; a shard's says which shard of which partition it covers, for `merge`. */
export async function check(options: CheckOptions): Promise<ShardReport> {
  const found = await findRecordingFiles(options.paths, options.cwd);
  if (found.files.length === 0) {
    throw new NoRecordingsError(
      `no recordings found (${found.problems.map((p) => `${p.path}: ${p.message}`).join("; ") || "no paths"})`,
    );
  }
  // A shard may be empty (more shards than recordings): its report is then empty too.
  const { shard } = options;
  const sharding = shard ? await selectShard(found.files, options.cwd, shard) : null;
  const files = sharding ? sharding.files : found.files;
  const results: CheckResult[] = [];
  // Results are kept as copies of their own (see `detached`); the strings many share (endpoint,
  // model, provider, skip reasons) once each.
  const shared = new Map<string, string>();
  const tally = summarize([]);
  const keep = (result: CheckResult) => {
    results.push(detached(result, shared));
    tally.total++;
    tally[result.verdict]++;
    options.onProgress?.({ summary: tally, total: files.length });
  };
  const pending = new Map<string, Pending>();
  const heldTargets = new Map<string, ReplayTarget>();
  const matchesFilter = options.filter === null ? null : filterMatcher(options.filter);
  let selected = 0;
  const optionsFor = compareOptionsResolver(options.config.compare, options.threshold);

  async function* targets(): AsyncGenerator<ReplayTarget> {
    for (const file of files) {
      const shown = toPosix(path.relative(options.cwd, file));
      const read = await readFile(file);
      if (!read.ok) {
        keep(plainResult(shown, null, "failed", [`invalid recording: ${read.errors.join("; ")}`]));
        continue;
      }
      const recording = read.recording;
      if (matchesFilter && !matchesFilter(shown, recording.testId)) {
        keep(plainResult(shown, recording, "skipped", [`filtered out (--filter ${options.filter})`]));
        continue;
      }
      selected++;
      const unreachable = unreachableReason(recording, file);
      if (unreachable !== null) {
        keep({ ...plainResult(shown, recording, "skipped", [unreachable]), unreachable: true });
        continue;
      }
      if (recording.replay === null) {
        keep(plainResult(shown, recording, "skipped", [recording.notReplayable ?? "not replayable"]));
        continue;
      }
      pending.set(file, { shown, digest: read.digest, endpoint: recording.endpoint, model: recording.model });
      yield {
        file,
        testId: recording.testId,
        endpoint: recording.replay,
        streaming: recording.streaming,
        request: toPlain(recording.request),
        recordedStatus: recordedStatus(recording),
      };
    }
  }

  // Recorded host → the base URLs its requests went to, for the report.
  const sentTo = new Map<string, Set<string>>();
  const noteSentTo = (replayed: ReplayResult) => {
    if (replayed.provider === "") return;
    const urls = sentTo.get(replayed.provider) ?? new Set<string>();
    if (replayed.sentTo !== null) urls.add(replayed.sentTo);
    sentTo.set(replayed.provider, urls);
  };
  const replayOptions = {
    config: options.config,
    providerOverrides: options.providerOverrides,
    env: options.env,
    signal: options.signal,
  };
  const extraSamples = options.extraSamples ?? 0;
  // Recordings whose text drifted, held with their first samples until more are drawn.
  const resample = new Map<string, Capture[]>();
  let requested = 0;
  for await (const replayed of replayAll(targets(), {
    ...replayOptions,
    samples: options.samples,
    maxRequests: options.maxRequests,
  })) {
    noteSentTo(replayed);
    if (replayed.outcome.kind !== "skipped") requested += options.samples;
    const result = await judge(replayed, [], extraSamples > 0);
    if (result) keep(result);
  }
  if (resample.size > 0) {
    const budget = options.maxRequests === null ? null : Math.max(0, options.maxRequests - requested);
    const again = [...resample.keys()].map((file) => heldTargets.get(file) as ReplayTarget);
    for await (const replayed of replayAll(again, {
      ...replayOptions,
      samples: extraSamples,
      maxRequests: budget,
    })) {
      noteSentTo(replayed);
      const first = resample.get(replayed.target.file) as Capture[];
      const drawn: ReplayResult =
        replayed.outcome.kind === "captured"
          ? replayed
          : { ...replayed, outcome: { kind: "captured", samples: first } };
      const why =
        replayed.outcome.kind === "skipped" && budget !== null
          ? `the --max-requests ${options.maxRequests} budget is spent`
          : replayed.outcome.kind === "captured"
            ? null
            : replayed.outcome.reason;
      const note = why === null ? [] : [`no more samples drawn: ${why}`];
      const result = await judge(drawn, note, false, replayed.outcome.kind === "captured" ? first : []);
      if (result) keep(result);
    }
  }
  if (options.filter !== null && selected === 0 && files.length > 0) {
    // A warning: the run checked nothing, which `--fail-on-empty` (the default) then fails.
    options.warn?.(`--filter ${options.filter} selected none of the ${files.length} recordings`);
  }
  const chains =
    options.chains ?? (await findTestChains(filesOfChangedTests(results, options.cwd), readChainMember));
  const downstreamOf = downstreamFiles(chains, (file) => toPosix(path.relative(options.cwd, file)));
  for (const result of results) {
    const downstream = downstreamOf.get(result.file);
    if (downstream) result.downstream = downstream;
  }
  // With nothing routed (an empty shard, only tool recordings) no host can have been matched.
  const warnings =
    sentTo.size === 0
      ? []
      : unusedProviderHosts(options.config, options.providerOverrides, new Set(sentTo.keys()));
  const providers = [...sentTo]
    .filter(([, urls]) => urls.size > 0)
    .map(([host, urls]) => ({ host, sentTo: [...urls].sort() }))
    .sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  return {
    ...sharding?.header,
    ...makeReport(results),
    ...(providers.length > 0 ? { providers } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };

  /**
   * The result for one replayed recording, or null when it is held for more samples. `earlier`:
   * samples drawn before these; `notes`: reasons to add.
   */
  async function judge(
    replayed: ReplayResult,
    notes: string[],
    mayResample: boolean,
    earlier: Capture[] = [],
  ): Promise<CheckResult | null> {
    const { target, outcome, provider } = replayed;
    const meta = pending.get(target.file) as Pending;
    const base = {
      file: meta.shown,
      testId: target.testId,
      endpoint: meta.endpoint,
      model: meta.model,
      provider: provider || null,
      similarity: null,
    };
    if (outcome.kind !== "captured") {
      pending.delete(target.file);
      return { ...base, verdict: outcome.kind, reasons: [outcome.reason] };
    }
    // Read again rather than hold every recording in memory while its request is under way.
    const read = await readFile(target.file);
    if (!read.ok || read.digest !== meta.digest) {
      pending.delete(target.file);
      // The answer is to the request the file held then: judged against other contents, it
      // would be written over them with the new request and the old answer.
      const why = read.ok ? "the file changed on disk while its request was replayed" : read.errors[0];
      return { ...base, verdict: "failed", reasons: [`recording changed during the run: ${why}`] };
    }
    const recording = read.recording;
    const stored = storedCapture(toPlain(recording.data), target.endpoint);
    const samples = [...earlier, ...outcome.samples];
    const comparison = compareCaptures(stored, samples, optionsFor(target.testId, provider || null));
    if (mayResample && comparison.driftedOnTextAlone) {
      resample.set(target.file, samples);
      heldTargets.set(target.file, target);
      return null;
    }
    pending.delete(target.file);
    // A credential in a live answer is never quoted (the word diff) nor written (refresh).
    const credential = samples.flatMap((sample) => scanSecrets(sample.body as JsonValue))[0];
    if (credential !== undefined) {
      const { kind, hint, path: where } = credential;
      return {
        ...base,
        verdict: "failed",
        reasons: [`the answer holds a credential-shaped string (${kind}, ${hint}) at ${where}`],
      };
    }
    comparison.reasons.push(...notes);
    const result: CheckResult = {
      ...base,
      verdict: comparison.verdict,
      similarity: comparison.similarity,
      reasons: comparison.reasons,
      changes: comparison.changes,
      diff: comparison.diff,
      nondeterministic: comparison.nondeterministic,
      consistent: comparison.consistent,
      ...(comparison.ignoredNoise ? { ignoredNoise: comparison.ignoredNoise } : {}),
    };
    if (options.onJudged && comparison.verdict !== "failed") {
      const live = samples[comparison.sampleIndex] as Capture;
      return {
        ...result,
        ...(await options.onJudged({ file: target.file, digest: meta.digest, recording, live, comparison })),
      };
    }
    return result;
  }
}

/**
 * The result as a copy of its own. V8 keeps a string cut from a larger one (a test id, a model,
 * a word of the stored text) as a slice that holds the whole: one such string in a result would
 * keep the recording's entire file text alive for the rest of the run. Strings other than the
 * file, the test id and diff text are taken from (and added to) `shared`.
 */
function detached(result: CheckResult, shared: Map<string, string>): CheckResult {
  return JSON.parse(JSON.stringify(result), (key, value: unknown) => {
    if (typeof value !== "string" || key === "file" || key === "testId" || key === "text") return value;
    const known = shared.get(value);
    if (known !== undefined) return known;
    shared.set(value, value);
    return value;
  }) as CheckResult;
}

const CHANGED: ReadonlySet<CheckResult["verdict"]> = new Set(["minor", "drifted", "rejected"]);

/** The files of every test in which some answer changed: the only chains a report needs. */
function filesOfChangedTests(results: readonly CheckResult[], cwd: string): string[] {
  const changed = new Set(
    results.flatMap((r) => (r.testId !== null && CHANGED.has(r.verdict) ? [r.testId] : [])),
  );
  return results
    .filter((r) => r.testId !== null && changed.has(r.testId))
    .map((r) => path.resolve(cwd, r.file));
}

/**
 * For each recording that feeds later requests of its test, those later recordings (shown paths,
 * the whole way down): they go stale with it when its answer changes.
 */
function downstreamFiles(
  chains: readonly TestChain[],
  shown: (file: string) => string,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const chain of chains) {
    for (const head of chain.files) {
      const reached = new Set<string>();
      const stack = [head];
      while (stack.length > 0) {
        const file = stack.pop() as string;
        for (const link of chain.links) {
          if (link.from === file && !reached.has(link.to)) {
            reached.add(link.to);
            stack.push(link.to);
          }
        }
      }
      if (reached.size > 0) out.set(shown(head), [...reached].map(shown).sort());
    }
  }
  return out;
}

/** A recording that can sit in a chain: one that reads and that its test can find. */
export async function readChainMember(file: string): Promise<Recording | null> {
  const read = await readFile(file);
  return read.ok && checkFileName(read.recording, file) !== "mismatch" ? read.recording : null;
}

async function readFile(
  file: string,
): Promise<{ ok: true; recording: Recording; digest: string } | { ok: false; errors: string[] }> {
  try {
    const text = await readText(file);
    const read = readRecording(text, file);
    return read.ok ? { ...read, digest: contentDigest(text) } : read;
  } catch (error) {
    return { ok: false, errors: [`cannot read: ${errorMessage(error)}`] };
  }
}

/**
 * Why no test can reach this recording (its name is not its request's hash), or null. Replaying
 * it would spend a request on an answer nobody reads; refreshing it would keep it so.
 */
function unreachableReason(recording: Recording, file: string): string | null {
  if (checkFileName(recording, file) !== "mismatch") return null;
  return `unreachable: the file name is not the request's hash (the recorder would name it ${expectedFileName(recording)}), so its test can never find it`;
}

/** The status a recorded error expects again, so the replay captures it instead of retrying. */
function recordedStatus(recording: Recording): number | null {
  const { response } = recording;
  if (recording.kind === "recorded-error") {
    const data = response.exception_data as Record<string, unknown>;
    return typeof data.status_code === "number" ? data.status_code : null;
  }
  return typeof response.status === "number" && response.status >= 400 ? response.status : null;
}

function plainResult(
  shown: string,
  recording: Recording | null,
  verdict: "failed" | "skipped",
  reasons: string[],
): CheckResult {
  return {
    file: shown,
    testId: recording?.testId ?? null,
    endpoint: recording?.endpoint ?? null,
    model: recording?.model ?? null,
    provider: null,
    verdict,
    similarity: null,
    reasons,
  };
}

/** `--filter`: a path glob over the recording's path, or a test-id glob over its test id. */
function filterMatcher(glob: string): (shown: string, testId: string | null) => boolean {
  const matchesPath = picomatch(glob, { dot: true });
  const matchesTestId = testIdMatcher(glob);
  return (shown, testId) => matchesPath(shown) || (testId !== null && matchesTestId(testId));
}

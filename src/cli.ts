// The command line: commander parses argv (src/cli/program.ts) into raw values each command's
// zod schema validates (src/cli/commands.ts). This file holds only the exit codes and the one
// place errors are printed: one line each, a stack trace only for an unexpected error under
// --debug.
import packageJson from "../package.json" with { type: "json" };
import type { CliIo } from "./cli/command-spec.ts";
import { COMMANDS } from "./cli/commands.ts";
import { mapStack } from "./cli/mapped-stack.ts";
import { buildProgram, HelpShown, PROGRAM, UsageError } from "./cli/program.ts";
import { NoRecordingsError } from "./commands/check.ts";
import { ReportInputError } from "./commands/merge.ts";
import { OptionsError } from "./commands/options.ts";
import { ConfigError } from "./config.ts";
import { errorMessage } from "./recording/files.ts";
import { logLines } from "./report/untrusted-text.ts";

const io: CliIo = {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  terminal: {
    stdout: process.stdout.isTTY === true,
    stderr: process.stderr.isTTY === true,
    columns: process.stdout.columns,
  },
};

async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram(COMMANDS, packageJson.version, io, (ran) => {
    code = ran;
  });
  await program.parseAsync(argv, { from: "user" });
  return code;
}

/** The command whose --help explains a bad option value: the first known command in argv. */
function commandIn(argv: string[]): string | null {
  return argv.find((arg) => COMMANDS.some((c) => c.name === arg)) ?? null;
}

function report(error: unknown, argv: string[]): number {
  if (error instanceof HelpShown) return error.exitCode;
  if (error instanceof UsageError || error instanceof OptionsError) {
    const command = error instanceof UsageError ? error.command : commandIn(argv);
    const help = command === null ? `${PROGRAM} --help` : `${PROGRAM} ${command} --help`;
    process.stderr.write(`${PROGRAM}: ${logLines(error.message)}; see '${help}'\n`);
    return 2;
  }
  if (
    error instanceof ConfigError ||
    error instanceof ReportInputError ||
    error instanceof NoRecordingsError
  ) {
    process.stderr.write(`${PROGRAM}: ${logLines(error.message)}\n`);
    return 2;
  }
  const debug = argv.includes("--debug");
  const trace =
    debug && error instanceof Error && error.stack ? mapStack(error.stack) : logLines(errorMessage(error));
  process.stderr.write(`${PROGRAM}: ${trace}\n`);
  if (!debug) process.stderr.write(`${PROGRAM}: an unexpected error; run again with --debug for details\n`);
  return 3;
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error, argv);
  },
);

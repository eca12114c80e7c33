// The command line as commander sees it, built from the command table: per-command --help
// with examples, --version, did-you-mean on unknown commands and options. Commander only
// parses; each command's zod schema validates. Parse errors become a UsageError naming the
// command, so the entry point prints them in one line with a pointer to that command's --help.
import { Command, type CommanderError, Option } from "commander";
import type { CliIo, CommandSpec, RawOptions } from "./command-spec.ts";

export const PROGRAM = "recording-drift";

/**
 * check and refresh: the run proves nothing (it checked no recording, or more failed than
 * --max-failed-share allows). Not 1, which means "found what --fail-on asks for", nor 2 (the
 * command line was right) nor 3: a script can tell "drifted" from "could not tell".
 */
export const EXIT_EMPTY_RUN = 4;

export const EXIT_CODES = `Exit codes:
  0    done; nothing found that --fail-on asks to fail on
  1    the run found what --fail-on asks for; verify: an invalid, misnamed or
       credential-holding recording, or none
  2    usage error: an unknown command or option, a bad option value or config file, an
       unreadable report, no recording found
  3    an unexpected error (run again with --debug for its stack trace)
  ${EXIT_EMPTY_RUN}    check, refresh: nothing could be checked, or more failed than --max-failed-share
       (default 0.5) of the recordings attempted; --no-fail-on-empty turns it off; the
       reports are written
  130  interrupted (SIGINT); 143 terminated (SIGTERM): the reports of what finished are written`;

/** A mistake on the command line; `command` is the one whose --help explains it. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(
    message: string,
    readonly command: string | null,
  ) {
    super(message);
  }
}

/** Help or --version was printed: the run ends with this code and nothing else to say. */
export class HelpShown extends Error {
  constructor(readonly exitCode: number) {
    super("help shown");
  }
}

/** The program; `run(code)` receives the exit code of the command that ran. */
export function buildProgram(
  commands: readonly CommandSpec[],
  version: string,
  io: CliIo,
  ran: (code: number) => void,
): Command {
  const program = new Command(PROGRAM)
    .description("Replays LLM test recordings against live providers, judges drift, refreshes recordings.")
    .version(version, "-v, --version", "print the version")
    .option("--debug", "print the stack trace of an unexpected error")
    .helpOption("-h, --help", "print this help")
    .helpCommand("help [command]", "print the help of a command")
    .addHelpText("after", `\n${EXIT_CODES}\n\nRun '${PROGRAM} <command> --help' for a command's options.`);
  configure(program, null, io);
  for (const spec of commands) {
    const command = program
      .command(spec.name)
      .summary(spec.summary)
      .description(spec.description)
      .argument(spec.argument.syntax, spec.argument.description)
      .helpOption("-h, --help", "print this help")
      .addHelpText("after", `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join("\n")}\n`);
    configure(command, spec.name, io);
    const keys = new Map<string, string>();
    for (const option of spec.options) {
      const declared = new Option(option.flags, option.description);
      if (option.repeatable)
        declared.argParser((value: string, previous: string[] = []) => [...previous, value]);
      keys.set(declared.attributeName(), option.key ?? declared.attributeName());
      command.addOption(declared);
    }
    command.action(async (values: string[] | string | undefined, opts: Record<string, unknown>) => {
      const raw: RawOptions = { [spec.argument.key]: values ?? [] };
      for (const [attribute, value] of Object.entries(opts)) {
        if (value !== undefined) raw[keys.get(attribute) ?? attribute] = value;
      }
      ran(await spec.run(raw, io));
    });
  }
  return program;
}

/** Help to stdout, errors through UsageError, exits through exceptions (the caller decides). */
function configure(command: Command, name: string | null, io: CliIo): void {
  command
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} })
    .showSuggestionAfterError(true)
    .exitOverride((error: CommanderError) => {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version")
        throw new HelpShown(0);
      // `help [command]` (0), or no command at all (the help went to stderr): a usage error.
      if (error.code === "commander.help") throw new HelpShown(error.exitCode === 0 ? 0 : 2);
      throw new UsageError(oneLine(error.message), name);
    });
}

/** "error: unknown option '--flter'\n(Did you mean --filter?)" → "unknown option '--flter' (did you mean --filter?)". */
function oneLine(message: string): string {
  return message
    .replace(/^error: /, "")
    .replace(/\n\(Did you mean (.*)\?\)$/s, " (did you mean $1?)")
    .replaceAll("\n", " ");
}

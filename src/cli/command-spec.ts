// What the command line knows of a command: its arguments, its options (each declared once,
// here, and handed by key to the command's zod schema), its help, and how to run it.

export interface OptionSpec {
  /** Commander flag syntax: "--concurrency <n>", or "--dry-run" for a switch. */
  flags: string;
  description: string;
  /** The key in the raw options the command's schema reads; default the flag in camelCase. */
  key?: string;
  /** May be given several times; the values arrive as a list. */
  repeatable?: boolean;
}

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  /** Warnings and progress: never mixed into the report on stdout. */
  stderr: (text: string) => void;
  /** Which of stdout and stderr are terminals, and stdout's width in columns when it is one. */
  terminal: { stdout: boolean; stderr: boolean; columns?: number };
}

/** The raw values of one invocation: the positional arguments and every option given. */
export type RawOptions = Record<string, unknown>;

export interface CommandSpec {
  name: string;
  /** Commander argument syntax, e.g. "[paths...]", and the raw key its values go to. */
  argument: { syntax: string; key: string; description: string };
  /** One line for the list of commands. */
  summary: string;
  /** The paragraph atop the command's own --help. */
  description: string;
  options: OptionSpec[];
  /** Command lines shown under "Examples" in the command's --help. */
  examples: string[];
  /** Runs the command; returns its exit code. */
  run: (raw: RawOptions, io: CliIo) => Promise<number>;
}

/**
 * The streams and environment a command works with, so that commands can run in-process in tests.
 *
 * @module
 */

/**
 * Something a command writes text to (`process.stdout`, or a test's collector).
 */
export interface CliOutput {
  write(chunk: string): unknown;
  /** Whether it is a terminal: spinners and prompts only then. */
  isTTY?: boolean | undefined;
  /** Terminal width, when known. */
  columns?: number | undefined;
}

/**
 * What a command reads from and writes to.
 *
 * @example
 * ```ts
 * const io: CliIo = { stdout: out, stderr: err, stdin: process.stdin, env: {} };
 * await runDemo({ taskDuration: 50 }, io);
 * ```
 */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean | undefined };
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The real process streams and environment.
 *
 * @example
 * ```ts
 * const code = await runCli(process.argv.slice(2), processIo());
 * ```
 */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

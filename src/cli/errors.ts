/**
 * CLI errors and their one-line rendering (secrets redacted).
 *
 * @module
 */

import { PuffleError } from "../base/puffle-error";
import { redactText } from "../base/redact";

/**
 * An error the CLI reports as one line and exit code 1 (a missing setting, a bad flag value); a
 * {@link PuffleError} like every error of the package.
 *
 * @example
 * ```ts
 * throw new CliError("PUFFLE_API_KEY is set but PUFFLE_NODE_ID is missing (or pass --node).");
 * ```
 */
export class CliError extends PuffleError {
  static override readonly brand: string = "CliError";
}

/**
 * The first line of an error's message, with API keys and tokens redacted; never throws.
 *
 * @example
 * ```ts
 * io.stderr.write(`Error: ${oneLine(error)}\n`);
 * ```
 */
export function oneLine(error: unknown): string {
  const text =
    error instanceof Error
      ? error.message || error.name
      : typeof error === "string"
        ? error
        : String(error);
  const first = text.split(/\r?\n/).find((line) => line.trim() !== "") ?? "unknown error";
  return redactText(first.trim());
}

/**
 * Whether an error comes from an aborted signal (the SDK's `APIUserAbortError`, a DOM `AbortError`).
 *
 * @example
 * ```ts
 * if (isAbort(error)) print("cancelled");
 * ```
 */
export function isAbort(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === "AbortError" || error.name === "APIUserAbortError";
}

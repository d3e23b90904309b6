/**
 * Reading an answer body within the client's `maxResponseBytes`: the size is checked while the
 * body arrives, and the read stops (the body is cancelled) as soon as it is passed, so a 600 MB
 * answer costs at most the limit in memory. The reader is the realtime entry's (one body reader
 * in the package); this file adds the SDK's typed error.
 *
 * @internal
 * @module
 */

import { ResponseValidationError } from "../core/errors";
import { readTextCapped } from "../realtime/read-body";

/** The body passed `maxBytes` (internal: `tooLarge` turns it into the typed error). */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly maxBytes: number) {
    super(`the body is larger than ${maxBytes} bytes`);
  }
}

/** The body as text; {@link BodyTooLargeError} past `maxBytes`; `signal`'s reason when aborted. */
export async function readCapped(
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
): Promise<string> {
  const text = await readTextCapped(response, maxBytes, signal);
  if (text === undefined) throw new BodyTooLargeError(maxBytes);
  return text;
}

/**
 * The typed error of an answer too large to read: a `ResponseValidationError` (the answer is
 * unusable), so a paid dispatch treats it as a lost answer and reconciles, never resending.
 */
export function tooLarge(
  operation: string,
  status: number,
  error: BodyTooLargeError,
): ResponseValidationError {
  return new ResponseValidationError(
    operation,
    status,
    [
      {
        path: [],
        message: `is larger than ${error.maxBytes} bytes, the client's maxResponseBytes (the rest was not read; raise maxResponseBytes if such an answer is expected)`,
      },
    ],
    undefined,
  );
}

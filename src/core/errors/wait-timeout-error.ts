import { brand, hasKind } from "../../base/brand";
import { PuffleError } from "../../base/puffle-error";
import type { Session } from "../types";

/**
 * `waitForIdle` (or `chat`) reached its deadline with the session still busy. `session` is the
 * last state seen: a `task_status` that never clears shows there, and
 * `puffle.updateSession(id, { task_status: null })` is the documented way out of a stuck flag.
 *
 * @example
 * ```ts
 * import { isWaitTimeoutError } from "puffle-chat";
 * try { await puffle.waitForIdle(id, { timeout: 60_000 }); } catch (error) {
 *   if (isWaitTimeoutError(error)) console.log("still", error.session?.task_status);
 * }
 * ```
 */
export class WaitTimeoutError extends PuffleError {
  override name = "WaitTimeoutError";
  /** The session waited on. */
  readonly sessionId: string;
  /** The deadline that ran out, in milliseconds. */
  readonly timeoutMs: number;
  /** The last state of the session seen before the deadline, when one was read. */
  readonly session: Session | undefined;

  constructor(sessionId: string, timeoutMs: number, session: Session | undefined) {
    const status = session?.task_status;
    super(
      `Session ${sessionId} was still busy${status ? ` (${status})` : ""} after ${timeoutMs} ms. ` +
        "Wait longer (timeout option), or if the task is stuck clear it with updateSession(id, { task_status: null }).",
    );
    this.sessionId = sessionId;
    this.timeoutMs = timeoutMs;
    this.session = session;
    brand(this, "WaitTimeoutError");
  }
}

/**
 * True when `value` is a {@link WaitTimeoutError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isWaitTimeoutError(error)) console.log(error.session?.task_status);
 * ```
 */
export function isWaitTimeoutError(value: unknown): value is WaitTimeoutError {
  return hasKind(value, "WaitTimeoutError");
}

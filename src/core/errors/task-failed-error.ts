import { brand, hasKind } from "../../base/brand";
import { PuffleError } from "../../base/puffle-error";
import type { RunHandle, Session } from "../types";

/**
 * The Trigger.dev run of a turn or an example run failed, crashed, was cancelled or timed out.
 * `runError` is the run's own error; `session` is the session read after the failure.
 *
 * @example
 * ```ts
 * import { isTaskFailedError } from "puffle-chat";
 * try { await puffle.chat(id, { message }); } catch (error) {
 *   if (isTaskFailedError(error)) console.error(error.runStatus, error.runError?.message);
 * }
 * ```
 */
export class TaskFailedError extends PuffleError {
  override name = "TaskFailedError";
  /** The session whose task failed. */
  readonly sessionId: string;
  /** The Trigger.dev run id. */
  readonly runId: string;
  /** The run's final status (`FAILED`, `CRASHED`, `CANCELED`, …). */
  readonly runStatus: string;
  /** The run's error, as Trigger.dev reported it. */
  readonly runError: { message?: string; name?: string; [key: string]: unknown } | undefined;
  /** The session as read after the failure, when it could be read. */
  readonly session: Session | undefined;
  /** The handle of the run that failed, when the wait had one. */
  readonly run: RunHandle | undefined;

  constructor(init: {
    sessionId: string;
    runId: string;
    runStatus: string;
    runError?: { message?: string; name?: string; [key: string]: unknown } | undefined;
    session?: Session | undefined;
    run?: RunHandle | undefined;
  }) {
    const reason = init.runError?.message ? `: ${init.runError.message}` : "";
    super(
      `The task of session ${init.sessionId} (run ${init.runId}) ended ${init.runStatus}${reason}. ` +
        "Nothing was written by it; send the turn again (it was not retried automatically, to avoid paying twice).",
    );
    this.sessionId = init.sessionId;
    this.runId = init.runId;
    this.runStatus = init.runStatus;
    this.runError = init.runError;
    this.session = init.session;
    this.run = init.run;
    brand(this, "TaskFailedError");
  }
}

/**
 * True when `value` is a {@link TaskFailedError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isTaskFailedError(error)) console.error(error.runError);
 * ```
 */
export function isTaskFailedError(value: unknown): value is TaskFailedError {
  return hasKind(value, "TaskFailedError");
}

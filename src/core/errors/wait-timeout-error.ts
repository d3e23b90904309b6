import { brand, hasKind } from "../../base/brand";
import { PuffleError } from "../../base/puffle-error";
import type { RunHandle, Session } from "../types";

/**
 * A wait (`waitForIdle`, `chat`, `generateExamplesAndWait`, or the busy wait of `onBusy: "wait"`)
 * reached its `deadline` with the session still busy. It carries what is needed to resume: `run`,
 * the handle of the task that was dispatched (wait again with `waitForIdle(id, { run })`), and
 * `session`, the last state seen (a `task_status` that never clears shows there, and
 * `puffle.updateSession(id, { task_status: null })` is the documented way out of a stuck flag).
 * `dispatched` says whether this operation started a paid task.
 *
 * @example
 * ```ts
 * import { isWaitTimeoutError, PuffleClient } from "puffle-chat";
 * const puffle = new PuffleClient();
 * const id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
 * try {
 *   await puffle.chat(id, { message: "Shorter, please" }, { deadline: 60_000 });
 * } catch (error) {
 *   if (isWaitTimeoutError(error) && error.run) await puffle.waitForIdle(id, { run: error.run });
 *   else throw error;
 * }
 * ```
 */
export class WaitTimeoutError extends PuffleError {
  override name = "WaitTimeoutError";
  /** The session waited on. */
  readonly sessionId: string;
  /** The deadline that ran out, in milliseconds. */
  readonly deadlineMs: number;
  /** The last state of the session seen before the deadline, when one was read. */
  readonly session: Session | undefined;
  /** The run this operation dispatched (or was given) and did not see finish; resume with it. */
  readonly run: RunHandle | undefined;
  /** Whether this operation dispatched a (paid) task: `false` when it gave up before sending. */
  readonly dispatched: boolean;

  constructor(
    sessionId: string,
    deadlineMs: number,
    session: Session | undefined,
    run?: RunHandle | undefined,
    options: { dispatched?: boolean; note?: string } = {},
  ) {
    const status = session?.task_status;
    const dispatched = options.dispatched ?? run !== undefined;
    const next = run
      ? "Resume with waitForIdle(id, { run: error.run }) or raise the deadline option;"
      : "Raise the deadline option;";
    super(
      `Session ${sessionId} was still busy${status ? ` (${status})` : ""} after ${deadlineMs} ms.` +
        `${options.note ? ` ${options.note}` : ""} ${next} if the task is stuck, clear it with ` +
        "updateSession(id, { task_status: null }).",
    );
    this.sessionId = sessionId;
    this.deadlineMs = deadlineMs;
    this.session = session;
    this.run = run;
    this.dispatched = dispatched;
    brand(this, "WaitTimeoutError");
  }

  /** @deprecated The same as {@link WaitTimeoutError.deadlineMs}. */
  get timeoutMs(): number {
    return this.deadlineMs;
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

/**
 * ChatControllerError: what the chat controller stores in `state.error`, and how a route answer,
 * a network failure or a realtime failure becomes one.
 *
 * @module
 */

import { PuffleError } from "../base/puffle-error";
import type { ChatRouteErrorBody } from "./chat-protocol";
import { isRealtimeError } from "./errors";

/**
 * The last error of a chat controller, as the UI should show it: a {@link PuffleError}, so
 * `isPuffleError(state.error)` is true. `code` is the route's error code (`unauthorized`,
 * `session_busy`, …), `"network"` when the route could not be reached, `"realtime"` when
 * following the run failed, `"run_failed"` when the run itself failed, `"timeout"` when a
 * reconciled dispatch did not finish within `followTimeoutMs`. `dispatched` says whether the turn
 * had been sent (then `retry()` does not send it again).
 *
 * @example
 * ```ts
 * if (state.error?.code === "unauthorized") location.assign("/login");
 * ```
 */
export class ChatControllerError extends PuffleError {
  static override readonly brand: string = "ChatControllerError";
  /** The route's error code, or `network`, `realtime`, `run_failed`, `timeout`. */
  declare readonly code: string;
  /** The HTTP status of the route's answer, when there was one. */
  declare readonly status: number | undefined;
  /** `true` when the error happened after the task was dispatched. */
  declare readonly dispatched: boolean;

  /** @param init - the fields; `cause` is kept free of secrets by {@link PuffleError}. */
  constructor(init: {
    code: string;
    message: string;
    status?: number | undefined;
    dispatched: boolean;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.dispatched = init.dispatched;
    // The package-wide field: whether the paid dispatch went out ("unknown" as the route says).
    this.dispatch = init.dispatched
      ? "sent"
      : init.code === "dispatch_unknown"
        ? "unknown"
        : "not_sent";
  }
}

/** The error of a route answer that is not 2xx: the route's `{ error }` body, or its status. */
export async function routeError(res: Response): Promise<ChatControllerError> {
  let body: { error?: Partial<ChatRouteErrorBody> } | undefined;
  try {
    body = (await res.json()) as typeof body;
  } catch {
    body = undefined;
  }
  const e = body?.error;
  return new ChatControllerError({
    code: typeof e?.code === "string" ? e.code : `http_${res.status}`,
    message: typeof e?.message === "string" ? e.message : `The chat route answered ${res.status}.`,
    status: res.status,
    dispatched: false,
  });
}

/**
 * Whatever a task threw, as a {@link ChatControllerError}; `dispatched` says whether the task had
 * been sent when it was thrown (a route error of the final session read is then `dispatched`).
 */
export function toControllerError(error: unknown, dispatched: boolean): ChatControllerError {
  if (error instanceof ChatControllerError) {
    const known = error;
    if (known.dispatched || !dispatched) return known;
    const { code, message, status } = known;
    return new ChatControllerError({ code, message, status, dispatched: true, cause: known });
  }
  if (dispatched || isRealtimeError(error))
    return new ChatControllerError({
      code: "realtime",
      message: `Following the reply failed${isRealtimeError(error) ? ` (${error.kind})` : ""}. The task was sent: retry reads the session.`,
      dispatched: true,
      cause: error,
    });
  return new ChatControllerError({
    code: "network",
    message: "The chat route could not be reached: check your connection and try again.",
    dispatched: false,
    cause: error,
  });
}

/**
 * `chat()`: one turn start to finish (dispatch, then wait for idle), with the reply it wrote.
 *
 * @module
 */
import { isPuffleError } from "../base/puffle-error";
import type { RequestOptions } from "../core/http";
import { checkDuration } from "../core/options";
import type { RunHandle, Session, TurnParams } from "../core/types";
import {
  DEFAULT_WAIT_TIMEOUT_MS,
  type WaitContext,
  type WaitOptions,
  type WaitResult,
  waitForIdleDetailed,
} from "./wait-for-idle";

/**
 * Options of `chat()`. `timeout` bounds the whole turn (dispatch and wait); `requestTimeout`
 * bounds each HTTP request.
 *
 * @example
 * ```ts
 * await puffle.chat(id, { message }, { timeout: 120_000, onBusy: "wait", onEvent: console.log });
 * ```
 */
export interface ChatOptions extends Omit<WaitOptions, "run"> {
  /** Automatic retries of each request. Default: the client's `maxRetries`. */
  maxRetries?: number | undefined;
  /** Extra headers for the dispatch request. */
  headers?: Record<string, string> | undefined;
  /** What to do when the session is busy: `"throw"` (default) or `"wait"` then send. */
  onBusy?: "throw" | "wait" | undefined;
  /**
   * After a lost answer that reading could not settle: `"throw"` (default) a
   * `DispatchUnknownError`, or `"resend"` (opt-in; may pay twice). See `DispatchOptions`.
   */
  onUnknown?: "throw" | "resend" | undefined;
  /** How long a lost dispatch is watched for, in ms. Default `10_000`. See `DispatchOptions`. */
  reconcileTimeout?: number | undefined;
}

/**
 * What `chat()` resolves with.
 *
 * @example
 * ```ts
 * const { reply, session, skeletonChanged, wait } = await puffle.chat(id, { message });
 * console.log(reply, wait.mode, wait.requests);
 * ```
 */
export interface ChatResult {
  /** The idle session after the turn. */
  session: Session;
  /** The assistant's reply this turn wrote (joined when it wrote several messages), or null. */
  reply: string | null;
  /**
   * Whether the turn produced a new skeleton. `undefined` when the task finished before the
   * SDK's first read, so the state before it is unknown.
   */
  skeletonChanged: boolean | undefined;
  /** The run handle of the turn. */
  run: RunHandle;
  /** How the wait went. */
  wait: {
    mode: "realtime" | "poll";
    fallbackReason: string | undefined;
    /** Puffle API requests of the whole turn, dispatch included. */
    requests: number;
    /** Time of the whole turn, in ms. */
    elapsedMs: number;
  };
}

/** Dispatch a turn, counting its requests. */
export type Dispatch = (
  turn: TurnParams,
  options: RequestOptions & {
    onBusy?: "throw" | "wait" | undefined;
    busyTimeout?: number | undefined;
    onUnknown?: "throw" | "resend" | undefined;
    reconcileTimeout?: number | undefined;
  },
  onRequest: () => void,
) => Promise<RunHandle>;

/** The implementation behind `PuffleClient.chat`. */
export async function chatOnce(
  ctx: WaitContext,
  sessionId: string,
  turn: TurnParams,
  options: ChatOptions,
  dispatch: Dispatch,
): Promise<ChatResult> {
  const started = Date.now();
  const timeout = checkDuration("timeout", options.timeout, DEFAULT_WAIT_TIMEOUT_MS);
  let dispatchRequests = 0;
  const run = await dispatch(
    turn,
    {
      signal: options.signal,
      timeout: options.requestTimeout,
      maxRetries: options.maxRetries,
      headers: options.headers,
      onBusy: options.onBusy,
      busyTimeout: timeout,
      onUnknown: options.onUnknown,
      reconcileTimeout: options.reconcileTimeout,
    },
    () => dispatchRequests++,
  );
  let wait: WaitResult;
  try {
    wait = await waitForIdleDetailed(ctx, sessionId, {
      ...options,
      run,
      timeout: Math.max(1, timeout - (Date.now() - started)),
    });
  } catch (error) {
    // The turn was dispatched (or reconciled as dispatched): say so on whatever ended the wait.
    if (isPuffleError(error) && error.dispatch === undefined) error.dispatch = "sent";
    throw error;
  }
  const session = wait.session;
  const before = wait.initial;
  return {
    session,
    reply: replyTo(session, turn.message),
    skeletonChanged: before
      ? before.framework_version !== session.framework_version ||
        JSON.stringify(before.skeleton) !== JSON.stringify(session.skeleton)
      : undefined,
    run,
    wait: {
      mode: wait.mode,
      fallbackReason: wait.fallbackReason,
      requests: dispatchRequests + wait.requests,
      elapsedMs: Date.now() - started,
    },
  };
}

/** The assistant messages that follow the last user message equal to `message`, joined. */
export function replyTo(session: Session, message: string): string | null {
  const messages = session.messages ?? [];
  let index = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === "user" && messages[i]?.content === message) {
      index = i;
      break;
    }
  }
  if (index < 0) return null;
  const replies: string[] = [];
  for (const m of messages.slice(index + 1)) {
    if (m.role === "user") break;
    if (m.role === "assistant") replies.push(m.content);
  }
  return replies.length ? replies.join("\n\n") : null;
}

/**
 * `chat()`: one turn start to finish (dispatch, then wait for idle), with the reply it wrote; and
 * the budget shared by `chat` and `generateExamplesAndWait`.
 *
 * @module
 */
import { isPuffleError } from "../base/puffle-error";
import { APIUserAbortError, TaskFailedError, WaitTimeoutError } from "../core/errors";
import { type ChatOptions, DEFAULT_WAIT_DEADLINE_MS, type DispatchOptions } from "../core/options";
import { TurnParamsSchema } from "../core/schemas";
import type {
  ChatResult,
  GenerateExamplesParams,
  RunHandle,
  Session,
  TurnParams,
  WaitResult,
} from "../core/types";
import { CHAT_OPTIONS, checkOptions, DISPATCH_OPTIONS, pickKnown } from "../internal/check-options";
import type { CallOptions } from "../internal/http";
import { validate, validateId } from "../internal/validate";
import { parseArgs } from "../resources/operation";
import { generateExamplesOp } from "../resources/sessions";
import type { MethodContext } from "./context";
import { dispatch } from "./dispatch-task";
import { type WaitContext, waitForIdleDetailed } from "./wait-for-idle";

/** Dispatch a task, counting its requests. */
export type Dispatch = (
  options: DispatchOptions & CallOptions,
  onRequest: () => void,
) => Promise<RunHandle>;

/** A dispatch followed by its wait, within one budget. */
export interface BudgetedResult extends WaitResult {
  handle: RunHandle;
  started: number;
}

/**
 * Dispatch, then wait for idle, within one `deadline`. The busy wait (onBusy "wait") gets at most
 * half of it, so a dispatched task always has time left for its wait; when the deadline comes
 * during the wait, the {@link WaitTimeoutError} carries the run to resume with.
 */
export async function withBudget(
  ctx: WaitContext,
  sessionId: string,
  options: ChatOptions,
  dispatch: Dispatch,
  task: "turn" | "example run",
): Promise<BudgetedResult> {
  const started = Date.now();
  // The options passed CHAT_OPTIONS at the public edge: no re-check here.
  const deadline = options.deadline ?? DEFAULT_WAIT_DEADLINE_MS;
  const busyTimeout = Math.max(1, Math.min(options.busyTimeout ?? deadline, deadline / 2));
  // Every dispatch option but the deadline, which this budget replaces.
  const { deadline: _whole, ...forward } = pickKnown(options, DISPATCH_OPTIONS);
  let dispatchRequests = 0;
  let run: RunHandle;
  try {
    run = await dispatch({ ...forward, busyTimeout }, () => dispatchRequests++);
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    // The busy wait ran out: nothing was sent.
    const timeout = new WaitTimeoutError(sessionId, busyTimeout, error.session, undefined, {
      dispatched: false,
      note: `It stayed busy with another task through the busy wait (half of the ${deadline} ms deadline), so nothing was sent (nothing to pay).`,
    });
    timeout.dispatch = "not_sent";
    throw timeout;
  }
  try {
    const wait = await waitForIdleDetailed(ctx, sessionId, {
      ...options,
      run,
      deadline: Math.max(1, deadline - (Date.now() - started)),
    });
    return {
      ...wait,
      handle: run,
      started,
      requests: dispatchRequests + wait.requests,
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    throw waitEnded(error, { sessionId, deadline, run, task });
  }
}

/**
 * What ended the wait of a dispatched task, said truly: the task was dispatched (or reconciled
 * as dispatched) and goes on running on Puffle's side, so every error carries `dispatch: "sent"`
 * and the `run` to resume with; a timeout counts the whole deadline; an abort says it did not
 * cancel the task.
 */
function waitEnded(
  error: unknown,
  at: { sessionId: string; deadline: number; run: RunHandle; task: "turn" | "example run" },
): unknown {
  const { sessionId, run } = at;
  let ended = error;
  if (error instanceof WaitTimeoutError) {
    ended = new WaitTimeoutError(sessionId, at.deadline, error.session, run);
  } else if (error instanceof APIUserAbortError) {
    ended = new APIUserAbortError(
      `The wait for the ${at.task} on session ${sessionId} was aborted by its signal. The ${at.task} was dispatched and goes on running on Puffle's side (aborting does not cancel it): resume with waitForIdle(sessionId, { run: error.run }).`,
      { cause: error.cause },
    );
  }
  if (isPuffleError(ended)) {
    ended.dispatch ??= "sent";
    ended.run ??= run;
  }
  return ended;
}

/** The implementation behind `PuffleClient.chat`. */
export async function chatOnce(
  ctx: WaitContext,
  sessionId: string,
  turn: TurnParams,
  options: ChatOptions,
  dispatch: Dispatch,
): Promise<ChatResult> {
  const wait = await withBudget(ctx, sessionId, options, dispatch, "turn");
  const session = wait.session;
  const before = wait.initial;
  const reply = replyTo(session, turn.message);
  if (reply === null && !(wait.run?.isCompleted && wait.run.isSuccess)) {
    // A turn that worked writes a reply. Idle without one, and no run seen to succeed: the task
    // failed (its run status unknown: polled, or reconciled without a run id).
    const failed = new TaskFailedError({
      sessionId,
      runId: wait.handle.runId ?? "(unknown: reconciled)",
      runStatus: wait.run?.status ?? "UNKNOWN",
      runError: {
        message: "the session is idle again but holds no reply to this turn, so its task failed",
      },
      session,
      run: wait.handle,
    });
    failed.dispatch = "sent";
    throw failed;
  }
  return {
    session,
    reply,
    skeletonChanged: before
      ? before.framework_version !== session.framework_version ||
        JSON.stringify(before.skeleton) !== JSON.stringify(session.skeleton)
      : undefined,
    run: wait.handle,
    wait: {
      mode: wait.mode,
      fallbackReason: wait.fallbackReason,
      requests: wait.requests,
      elapsedMs: wait.elapsedMs,
    },
  };
}

/**
 * `PuffleClient.chat`: check the session id, then the turn, then the options (each refusal
 * before anything is sent), then one turn start to finish.
 */
export function chat(
  ctx: MethodContext,
  sessionId: string,
  turn: TurnParams,
  options: ChatOptions,
): Promise<ChatResult> {
  const id = validateId("chat", "sessionId", sessionId);
  const body = validate("chat", TurnParamsSchema, turn, ["turn"]);
  checkOptions("chat", "options", options, CHAT_OPTIONS);
  return chatOnce(ctx, id, body, options, (o, onRequest) =>
    dispatch(ctx, { operation: "runTurn", sessionId: id, body, options: o, onRequest }),
  );
}

/** `PuffleClient.generateExamplesAndWait`: an example run, then its wait, in one budget. */
export async function generateExamplesAndWait(
  ctx: MethodContext,
  sessionId: string,
  params: GenerateExamplesParams,
  options: ChatOptions,
): Promise<Session> {
  const name = "generateExamplesAndWait";
  const args = parseArgs(generateExamplesOp, { sessionId, params }, name);
  checkOptions(name, "options", options, CHAT_OPTIONS);
  const { session } = await withBudget(
    ctx,
    args.sessionId,
    options,
    (o, onRequest) =>
      dispatch(ctx, {
        operation: "generateExamples",
        sessionId: args.sessionId,
        body: args.params,
        options: o,
        onRequest,
      }),
    "example run",
  );
  return session;
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

/**
 * The dispatch rule of `/turn` and `/generate-examples`: at most once by default.
 *
 * Puffle has no idempotency key, so a request whose answer was lost may still be acted on later.
 * The SDK therefore sends a paid request again only when the failure proves it was not processed:
 * a 429 or a dispatch 500 (retried by the transport), a 409 busy (with `onBusy: "wait"`), or a
 * connection refused before anything was sent. After any other failure (timeout, dropped
 * connection, gateway 502/503/504, unreadable 2xx) it reconciles by reading the session: the turn's
 * message in the transcript, new since the state this client saw before sending, proves it was
 * dispatched; otherwise it watches the session for `reconcileTimeout` ms (a late arrival shows up
 * there) and, when it still cannot tell, throws {@link DispatchUnknownError}, unless the caller
 * opted in to `onUnknown: "resend"`. See docs/architecture.md "Dispatch rule" for the table.
 *
 * @internal
 * @module
 */

import { isPuffleError } from "../base/puffle-error";
import type { SessionBusyError } from "../core/api-errors";
import { DispatchUnknownError } from "../core/errors";
import type { RunHandle, Session } from "../core/types";
import type { SdkLogger } from "../internal/log";
import type { SessionMemo, SessionMemory } from "../internal/session-memory";
import { sleep } from "../realtime/internal";
import {
  abortedByCaller,
  dispatchAnswerLost,
  mayResendDispatch,
  readWorthRetrying,
  sessionBusy,
  sessionShowsExampleRun,
  sessionShowsTurn,
} from "./classify";

/** Default of `reconcileTimeout`: how long a lost dispatch is watched for, in ms. */
export const DEFAULT_RECONCILE_TIMEOUT_MS = 10_000;
const RECONCILE_DELAYS = [150, 300, 600, 1_000, 2_000];

/** One dispatch to make under the rule. */
export interface DispatchSpec {
  operation: "runTurn" | "generateExamples";
  sessionId: string;
  /** The turn's message (undefined for example runs, which leave no trace to look for). */
  message: string | undefined;
  /** Send one request (the transport retries 429 and 500 by itself). */
  send(): Promise<RunHandle>;
  /** Read the session (counted, with the call's signal). */
  read(): Promise<Session>;
  /** Wait until the session is idle (for `onBusy: "wait"`), at most `ms`. */
  waitIdle(ms: number): Promise<void>;
  onBusy: "throw" | "wait";
  onUnknown: "throw" | "resend";
  /** Epoch ms after which a busy session is no longer waited for. */
  busyDeadline: number;
  reconcileTimeout: number;
  /** Sends allowed in all (1 + maxRetries). */
  maxSends: number;
  signal: AbortSignal | undefined;
  memory: SessionMemory;
  logger: SdkLogger;
}

/** Dispatch under the rule; resolves with the run handle (reconciled when inferred). */
export async function dispatchAtMostOnce(spec: DispatchSpec): Promise<RunHandle> {
  const { operation, sessionId: id, logger: log } = spec;
  const claim = operation === "runTurn" ? "chat_processing" : "generating_examples";
  let sends = 0;
  // Set once an earlier send of this call lost its answer (only with onUnknown: "resend"): a later
  // 409 may then be that earlier request, arrived late and holding the claim.
  let earlierLost = false;
  for (;;) {
    const before = spec.memory.get(id);
    sends += 1;
    let lost: unknown;
    try {
      return await spec.send();
    } catch (error) {
      if (sessionBusy(error) && earlierLost) {
        lost = error;
      } else if (sessionBusy(error) && spec.onBusy === "wait") {
        await waitOutBusy(spec, error);
        sends -= 1; // a 409 dispatched nothing
        continue;
      }
      if (lost === undefined) {
        if (mayResendDispatch(error) && sends < spec.maxSends) {
          log.info(`${operation}: the connection was refused before sending; sending once more`);
          continue;
        }
        // Aborted by the caller while the request may have been on its way.
        if (abortedByCaller(error)) throw mark(error, "unknown");
        if (!dispatchAnswerLost(error)) throw mark(error, earlierLost ? "unknown" : "not_sent");
        lost = error;
      }
    }
    earlierLost = true;
    // The answer was lost: reconcile by reading.
    log.info(
      `${operation}: the answer was lost (${(lost as Error).message}); reading session ${id} to reconcile`,
    );
    const verdict = await reconcile(spec, claim, before, lost);
    if (verdict.kind === "dispatched") {
      log.info(
        `${operation}: session ${id} shows this dispatch (${verdict.evidence}); not sending again`,
      );
      return { runId: null, publicAccessToken: null, reconciled: true };
    }
    if (verdict.kind === "absent" && spec.onUnknown === "resend" && sends < spec.maxSends) {
      log.info(
        `${operation}: session ${id} never showed it (${verdict.evidence}); sending again (onUnknown: "resend")`,
      );
      continue;
    }
    throw new DispatchUnknownError({
      operation,
      sessionId: id,
      session: verdict.session,
      evidence: verdict.evidence,
      cause: lost,
    });
  }
}

/** `onBusy: "wait"`: wait for the busy session to be idle, within the busy deadline. */
async function waitOutBusy(spec: DispatchSpec, busy: SessionBusyError): Promise<void> {
  const remaining = spec.busyDeadline - Date.now();
  if (remaining <= 0) throw mark(busy, "not_sent");
  spec.logger.info(
    `${spec.operation}: session ${spec.sessionId} is busy (${busy.taskStatus ?? "unknown"}); waiting for idle`,
  );
  try {
    await spec.waitIdle(remaining);
  } catch (waitError) {
    throw mark(waitError, "not_sent"); // the 409 proved nothing was sent; nothing was re-sent
  }
}

type Verdict =
  | { kind: "dispatched"; evidence: string; session: Session }
  | { kind: "absent" | "unknown"; evidence: string; session: Session | undefined };

/**
 * Read the session until it proves the dispatch, or the watch ends. Proof, for a turn: its message
 * among the user messages that are new since `before` (or, when this client never saw the session,
 * the last user message). An example run leaves no such trace: never proven.
 */
async function reconcile(
  spec: DispatchSpec,
  claim: string,
  before: SessionMemo | undefined,
  lost: unknown,
): Promise<Verdict> {
  const started = Date.now();
  let last: Session | undefined;
  let sawBusy = false;
  let idleSince: number | undefined;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await pause(attempt, spec.signal);
    try {
      last = await spec.read();
    } catch (error) {
      if (abortedByCaller(error)) throw mark(error, "unknown");
      // A transient read failure is read again within the watch; anything else ends it.
      if (readWorthRetrying(error) && Date.now() - started < spec.reconcileTimeout) continue;
      return {
        kind: "unknown",
        evidence: `the session could not be read (${(error as Error).message})`,
        session: last,
      };
    }
    const busy = last.task_status !== null && last.task_status !== undefined;
    const shown = evidence(spec.message, claim, before, last);
    if (shown) return shown;
    if (busy) {
      sawBusy = true;
      idleSince = undefined;
    } else {
      idleSince ??= Date.now();
    }
    // The idle watch runs reconcileTimeout from the start, or from the end of a busy spell.
    const elapsed = Date.now() - (sawBusy ? (idleSince ?? started) : started);
    // Keep watching while the session is busy (the claim may be this one, its message not yet
    // written, or an earlier one, after which a late arrival may still land), up to the busy
    // deadline; and while idle, for reconcileTimeout (a late arrival shows up there).
    if (busy ? Date.now() < spec.busyDeadline : elapsed < spec.reconcileTimeout) continue;
    if (busy) {
      return {
        kind: "unknown",
        evidence: `the session was still busy (${String(last.task_status)}) without this turn's message`,
        session: last,
      };
    }
    void lost;
    return {
      kind: "absent",
      evidence: `the session stayed idle without ${spec.message === undefined ? "a new example run" : "this turn's message"} for ${elapsed} ms${sawBusy ? " (after another task finished)" : ""}`,
      session: last,
    };
  }
}

/** Sleep before the next read of a reconcile (an abort leaves the dispatch unknown). */
async function pause(attempt: number, signal: AbortSignal | undefined): Promise<void> {
  const delay = RECONCILE_DELAYS[Math.min(attempt - 1, RECONCILE_DELAYS.length - 1)] as number;
  try {
    await sleep(delay, signal);
  } catch (error) {
    throw mark(error, "unknown");
  }
}

/**
 * What one read of the session proves: the dispatch (this turn's message, or an example run
 * started after an idle state seen just before sending), an example claim that cannot be told
 * apart from another, or nothing yet (undefined).
 */
function evidence(
  message: string | undefined,
  claim: string,
  before: SessionMemo | undefined,
  session: Session,
): Verdict | undefined {
  if (message !== undefined) {
    if (!sessionShowsTurn(session, message, before)) return undefined;
    return { kind: "dispatched", evidence: "the transcript holds this turn's message", session };
  }
  if (sessionShowsExampleRun(session, claim, before)) {
    return {
      kind: "dispatched",
      evidence: "the session was idle just before sending and now shows an example run",
      session,
    };
  }
  if (session.task_status !== claim) return undefined;
  return {
    kind: "unknown",
    evidence: `the session runs an example run (${claim}), this one or another: nothing tells them apart`,
    session,
  };
}

/** Record on an SDK error whether the dispatch happened. */
export function mark(error: unknown, dispatch: "sent" | "not_sent" | "unknown"): unknown {
  if (isPuffleError(error) && error.dispatch === undefined) error.dispatch = dispatch;
  return error;
}

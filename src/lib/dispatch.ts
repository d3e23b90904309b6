/**
 * The dispatch rule of `/turn` and `/generate-examples`: at most once by default.
 *
 * Puffle has no idempotency key, so a request whose answer was lost may still be acted on later.
 * The SDK therefore sends a paid request again only when it is proven unprocessed: a 429 (retried
 * by the transport), a connection refused or a host not found before anything was sent (after a
 * backoff), a 409 busy (with `onBusy: "wait"`, after the wait), or a 500 followed by a session
 * read that shows what Puffle documents for it (the claim released: idle, without this turn). A
 * 500 from a proxy, a crash after the trigger or a failed write of the answer leave the session
 * busy or holding the turn, and are reconciled like a lost answer. After any other failure
 * (timeout, dropped connection, gateway 502/503/504, unreadable 2xx; and a 409 after an earlier
 * send of this call, which may be that send) it reconciles by reading the session: the turn's
 * message in the transcript, new since the state this client saw before sending, proves it was
 * dispatched; otherwise it watches the session for `reconcileTimeout` ms (a late arrival shows up
 * there) and, when it still cannot tell, throws {@link DispatchUnknownError}, unless the caller
 * opted in to `onUnknown: "resend"`. See docs/architecture.md "Dispatch rule" for the table.
 *
 * @internal
 * @module
 */

import type { SessionBusyError } from "../core/api-errors";
import { APIUserAbortError, DispatchUnknownError } from "../core/errors";
import type { RunHandle, Session } from "../core/types";
import type { SdkLogger } from "../internal/log";
import type { SessionMemo, SessionMemory } from "../internal/session-memory";
import { sleep } from "../realtime/internal";
import {
  abortedByCaller,
  dispatchAnswerLost,
  dispatchSaid500,
  mark,
  mayResendDispatch,
  readWorthRetrying,
  sessionBusy,
  sessionShowsExampleRun,
  sessionShowsRelease,
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
  /** The backoff before a proven-unsent dispatch is sent again (the client's retry settings). */
  retryBaseDelay: number;
  retryMaxDelay: number;
  /** Epoch ms of the call's deadline (infinite without one): no send is started past it. */
  deadlineAt: number;
  signal: AbortSignal | undefined;
  memory: SessionMemory;
  logger: SdkLogger;
}

/**
 * What this call's earlier sends left behind: `"none"` (none, or each proven unsent by the
 * failure itself), `"released"` (a 500 after which a read showed the release: Puffle's word and
 * the session agree, but a late proxy could still deliver it), `"unknown"` (a lost answer the
 * session never showed, sent again under `onUnknown: "resend"`).
 */
type Earlier = "none" | "released" | "unknown";

/** Dispatch under the rule; resolves with the run handle (reconciled when inferred). */
export async function dispatchAtMostOnce(spec: DispatchSpec): Promise<RunHandle> {
  const { operation, sessionId: id, logger: log } = spec;
  const claim = operation === "runTurn" ? "chat_processing" : "generating_examples";
  let sends = 0;
  let earlier: Earlier = "none";
  for (;;) {
    const before = spec.memory.get(id);
    sends += 1;
    let failure: unknown;
    try {
      return await spec.send();
    } catch (error) {
      failure = error;
    }
    // The label of a failure that ends the call here: this send proved unsent, earlier ones too.
    const notSent = earlier === "unknown" ? "unknown" : "not_sent";
    const next = await afterFailure(spec, failure, { before, earlier, sends, notSent });
    if (next === "resend") {
      if (dispatchSaid500(failure)) earlier = earlier === "unknown" ? "unknown" : "released";
      continue;
    }
    if (next === "busy-waited") {
      sends -= 1; // a 409 dispatched nothing
      continue;
    }
    // The answer was lost (or a 500 / 409 may be this call's own dispatch): reconcile by reading.
    log.info(
      `${operation}: the answer was lost (${(failure as Error).message}); reading session ${id} to reconcile`,
    );
    const verdict = await reconcile(spec, claim, before);
    if (verdict.kind === "dispatched") {
      log.info(
        `${operation}: session ${id} shows this dispatch (${verdict.evidence}); not sending again`,
      );
      return { runId: null, publicAccessToken: null, reconciled: true };
    }
    earlier = "unknown";
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
      cause: failure,
    });
  }
}

/** Where one failed send leaves the call. */
interface Failed {
  before: SessionMemo | undefined;
  earlier: Earlier;
  sends: number;
  /** The label when the call ends here without reconciling. */
  notSent: "not_sent" | "unknown";
}

/**
 * Decide after a failed send: send again (`"resend"`: proven unsent, after a backoff), send again
 * after the busy wait (`"busy-waited"`), reconcile (`"reconcile"`), or throw the failure labelled.
 */
async function afterFailure(
  spec: DispatchSpec,
  error: unknown,
  { before, earlier, sends, notSent }: Failed,
): Promise<"resend" | "busy-waited" | "reconcile"> {
  const { operation, logger: log } = spec;
  if (sessionBusy(error)) {
    // A 409 after an earlier send of this call may be that send, arrived and holding the claim.
    if (earlier !== "none") return "reconcile";
    if (spec.onBusy !== "wait") throw mark(error, "not_sent");
    await waitOutBusy(spec, error);
    return "busy-waited";
  }
  if (mayResendDispatch(error)) {
    if (sends < spec.maxSends && (await backOff(spec, sends, notSent))) {
      log.info(`${operation}: the connection was refused before sending; sending once more`);
      return "resend";
    }
    throw mark(error, notSent);
  }
  // Aborted by the caller while the request may have been on its way.
  if (abortedByCaller(error)) throw mark(error, "unknown");
  if (dispatchSaid500(error)) {
    if (!(await releaseShown(spec, before))) return "reconcile";
    if (sends < spec.maxSends && (await backOff(spec, sends, notSent))) {
      log.info(
        `${operation}: 500, and session ${spec.sessionId} shows the claim released; sending again`,
      );
      return "resend";
    }
    throw mark(error, notSent);
  }
  if (dispatchAnswerLost(error)) return "reconcile";
  throw mark(error, notSent);
}

/**
 * After a dispatch 500: one session read (transient failures read again on the reconcile
 * schedule, within `reconcileTimeout`) shows the release Puffle documents. False when the read
 * shows anything else or cannot be made: the caller then reconciles like a lost answer.
 */
async function releaseShown(spec: DispatchSpec, before: SessionMemo | undefined): Promise<boolean> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await pause(attempt, spec.signal);
    try {
      return sessionShowsRelease(await spec.read(), spec.message, before);
    } catch (error) {
      if (abortedByCaller(error)) throw mark(error, "unknown");
      if (!readWorthRetrying(error) || Date.now() - started >= spec.reconcileTimeout) return false;
    }
  }
}

/**
 * Wait before sending again (exponential backoff with full jitter, as the transport's); false
 * when the call's deadline would pass first. An abort during the wait ends the call.
 */
async function backOff(
  spec: DispatchSpec,
  sends: number,
  label: "not_sent" | "unknown",
): Promise<boolean> {
  const ms = Math.random() * Math.min(spec.retryMaxDelay, spec.retryBaseDelay * 2 ** (sends - 1));
  if (Date.now() + ms >= spec.deadlineAt) return false;
  try {
    await sleep(ms, spec.signal);
  } catch (reason) {
    throw mark(
      new APIUserAbortError(`${spec.operation} was aborted by its signal before sending again.`, {
        cause: reason,
      }),
      label,
    );
  }
  return true;
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
  } catch (reason) {
    const aborted = new APIUserAbortError(
      "The dispatch was aborted by its signal while the SDK read the session to learn its fate.",
      { cause: reason },
    );
    throw mark(aborted, "unknown");
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

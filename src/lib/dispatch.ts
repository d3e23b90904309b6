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
import { InternalServerError, RateLimitError, SessionBusyError } from "../core/api-errors";
import {
  APIConnectionError,
  APIUserAbortError,
  DispatchUnknownError,
  ResponseValidationError,
} from "../core/errors";
import type { RunHandle, Session } from "../core/types";
import type { SdkLogger } from "../internal/log";
import { sleep } from "../realtime/internal";

/** Default of `reconcileTimeout`: how long a lost dispatch is watched for, in ms. */
export const DEFAULT_RECONCILE_TIMEOUT_MS = 10_000;
const RECONCILE_DELAYS = [150, 300, 600, 1_000, 2_000];

/** What this client last saw of a session: the "claim seen before sending". */
export interface SessionMemo {
  /** User messages in the transcript. */
  users: number;
  taskStatus: string | null;
  /** A fingerprint of `generated_examples`. */
  examples: number;
  /** When it was seen (epoch ms). */
  at: number;
}

/** How recent the state seen before sending must be to attribute a new example claim to us. */
const FRESH_MS = 30_000;

function fingerprint(value: unknown): number {
  const text = JSON.stringify(value ?? null) ?? "";
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** Remember what a session looked like (bounded per client). */
export class SessionMemory {
  readonly #memos = new Map<string, SessionMemo>();
  constructor(readonly limit = 1_000) {}

  note(sessionId: string, session: Session): void {
    const id = sessionId.toLowerCase();
    this.#memos.delete(id);
    this.#memos.set(id, {
      users: (session.messages ?? []).filter((m) => m?.role === "user").length,
      taskStatus: session.task_status ?? null,
      examples: fingerprint(session.generated_examples),
      at: Date.now(),
    });
    if (this.#memos.size > this.limit) {
      const oldest = this.#memos.keys().next().value;
      if (oldest !== undefined) this.#memos.delete(oldest);
    }
  }

  get(id: string): SessionMemo | undefined {
    return this.#memos.get(id.toLowerCase());
  }
}

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

/** A failure that proves nothing was sent: the connection was refused or the host not found. */
function provenNotSent(error: unknown): boolean {
  if (!(error instanceof APIConnectionError)) return false;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
}

/**
 * Whether a dispatch's fate is unknown: no answer (connection dropped, timeout), a gateway error
 * from a proxy that may have forwarded it (502, 503, 504), or a 2xx whose body was unreadable.
 */
export function fateUnknown(error: unknown): boolean {
  if (provenNotSent(error)) return false;
  if (error instanceof APIConnectionError || error instanceof ResponseValidationError) return true;
  return error instanceof InternalServerError && [502, 503, 504].includes(error.status);
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
      if (error instanceof SessionBusyError && earlierLost) {
        lost = error;
      } else if (error instanceof SessionBusyError && spec.onBusy === "wait") {
        const remaining = spec.busyDeadline - Date.now();
        if (remaining <= 0) throw mark(error, "not_sent");
        log.info(
          `${operation}: session ${id} is busy (${error.taskStatus ?? "unknown"}); waiting for idle`,
        );
        try {
          await spec.waitIdle(remaining);
        } catch (waitError) {
          throw mark(waitError, "not_sent"); // the 409 proved nothing was sent; nothing was re-sent
        }
        sends -= 1; // a 409 dispatched nothing
        continue;
      }
      if (lost === undefined) {
        if (provenNotSent(error) && sends < spec.maxSends) {
          log.info(`${operation}: the connection was refused before sending; sending once more`);
          continue;
        }
        // Aborted by the caller while the request may have been on its way.
        if (error instanceof APIUserAbortError) throw mark(error, "unknown");
        if (!fateUnknown(error)) throw mark(error, earlierLost ? "unknown" : "not_sent");
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
    if (attempt > 0) {
      const delay = RECONCILE_DELAYS[Math.min(attempt - 1, RECONCILE_DELAYS.length - 1)] as number;
      try {
        await sleep(delay, spec.signal);
      } catch (error) {
        throw mark(error, "unknown");
      }
    }
    try {
      last = await spec.read();
    } catch (error) {
      if (error instanceof APIUserAbortError) throw mark(error, "unknown");
      // A transient read failure is read again within the watch; anything else ends it.
      if (transientRead(error) && Date.now() - started < spec.reconcileTimeout) continue;
      return {
        kind: "unknown",
        evidence: `the session could not be read (${(error as Error).message})`,
        session: last,
      };
    }
    const busy = last.task_status !== null && last.task_status !== undefined;
    if (spec.message !== undefined && showsTurn(last, spec.message, before)) {
      return {
        kind: "dispatched",
        evidence: "the transcript holds this turn's message",
        session: last,
      };
    }
    if (spec.message === undefined && showsExampleRun(last, claim, before)) {
      return {
        kind: "dispatched",
        evidence: "the session was idle just before sending and now shows an example run",
        session: last,
      };
    }
    if (spec.message === undefined && busy && last.task_status === claim) {
      return {
        kind: "unknown",
        evidence: `the session runs an example run (${claim}), this one or another: nothing tells them apart`,
        session: last,
      };
    }
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

/**
 * Whether `session` shows an example run that started after `before`: the session was idle when
 * this client saw it just before sending, and now holds the claim or new examples. (Another
 * client starting an example run in that window would be taken for this one.)
 */
function showsExampleRun(
  session: Session,
  claim: string,
  before: SessionMemo | undefined,
): boolean {
  if (!before || before.taskStatus !== null || Date.now() - before.at > FRESH_MS) return false;
  if (session.task_status === claim) return true;
  return (
    session.task_status === null && fingerprint(session.generated_examples) !== before.examples
  );
}

/** A session read worth repeating: connection trouble, 429, 5xx, a garbled answer. */
function transientRead(error: unknown): boolean {
  return (
    error instanceof APIConnectionError ||
    error instanceof RateLimitError ||
    error instanceof InternalServerError ||
    error instanceof ResponseValidationError
  );
}

/** Whether `session` holds the turn `message` sent after `before` was seen. */
function showsTurn(session: Session, message: string, before: SessionMemo | undefined): boolean {
  const users = (session.messages ?? []).filter((m) => m?.role === "user");
  if (before) return users.slice(before.users).some((m) => m.content === message);
  return users.at(-1)?.content === message;
}

/** Record on an SDK error whether the dispatch happened. */
export function mark(error: unknown, dispatch: "sent" | "not_sent" | "unknown"): unknown {
  if (isPuffleError(error) && error.dispatch === undefined) error.dispatch = dispatch;
  return error;
}

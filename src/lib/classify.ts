/**
 * The decisions of the dispatch and write rules (docs/architecture.md "Dispatch rule"), each
 * function named after the decision it serves. Every error guard these rules use is here, so the
 * rules read as sentences and a change of the error tree touches this file only.
 *
 * @internal
 * @module
 */
import { isPuffleError } from "../base/puffle-error";
import {
  ConflictError,
  InternalServerError,
  isAPIError,
  NotFoundError,
  RateLimitError,
  SessionBusyError,
} from "../core/api-errors";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  ResponseValidationError,
} from "../core/errors";
import type { Session } from "../core/types";
import { fingerprint, type SessionMemo } from "../internal/session-memory";

/** How recent the state seen before sending must be to attribute a new example claim to us. */
const FRESH_MS = 30_000;

/**
 * Error codes that prove the request never left the machine, so nothing was dispatched:
 * - `ECONNREFUSED`: the TCP connection was refused. Node raises it only while connecting (on an
 *   open connection a failure is `ECONNRESET`, `EPIPE`, …, after which the request may have been
 *   read), and fetch writes a request only on an open connection.
 * - `ENOTFOUND`, `EAI_AGAIN`, `EAI_FAIL`, `EAI_NONAME`, `EAI_NODATA`: the host name did not
 *   resolve, so no connection was even attempted.
 *
 * Left out on purpose, because they can also end a connection the request was written on:
 * `ECONNRESET`, `EPIPE`, `ETIMEDOUT`, `EHOSTUNREACH` / `ENETUNREACH` (also reported on an open
 * socket when the route goes away), undici's `UND_ERR_SOCKET` and its timeouts. Those lose the
 * answer, and the session is read to learn the dispatch's fate.
 */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EAI_NONAME",
  "EAI_NODATA",
]);

/** How deep the cause chain is searched (fetch nests the socket error two levels down). */
const CAUSE_DEPTH = 6;

/**
 * The `code` of each error on the cause chain: Node's fetch throws `TypeError("fetch failed")`
 * whose `cause` is the socket's error, and the transport wraps that once more, so the code that
 * matters sits at `error.cause.cause` (or deeper under another wrapper).
 */
function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (
    let depth = 0;
    depth <= CAUSE_DEPTH && current !== null && typeof current === "object";
    depth++
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/**
 * A dispatch may be sent again: the failure proves nothing was sent (the connection was refused
 * or the host not found: see {@link NOT_SENT_CODES}). A timeout is never such proof.
 */
export function mayResendDispatch(error: unknown): boolean {
  if (!(error instanceof APIConnectionError) || error instanceof APIConnectionTimeoutError)
    return false;
  return causeCodes(error.cause).some((code) => NOT_SENT_CODES.has(code));
}

/**
 * A dispatch answered 500, which Puffle documents as "the claim was released, nothing runs". A
 * proxy's 500, a crash after the trigger or a failed write of the answer look the same, so this
 * is not proof by itself: the session is read first (see {@link sessionShowsRelease}).
 */
export function dispatchSaid500(error: unknown): error is InternalServerError {
  return error instanceof InternalServerError && error.status === 500;
}

/**
 * A dispatch's answer was lost, so its fate is unknown and the session must be read: no answer
 * (connection dropped, timeout), a gateway error from a proxy that may have forwarded it (502,
 * 503, 504), or a 2xx whose body was unreadable.
 */
export function dispatchAnswerLost(error: unknown): boolean {
  if (mayResendDispatch(error)) return false;
  if (error instanceof APIConnectionError || error instanceof ResponseValidationError) return true;
  return error instanceof InternalServerError && [502, 503, 504].includes(error.status);
}

/**
 * A campaign write's fate is unknown: no answer (connection dropped, timeout), a 5xx (a gateway
 * may have forwarded it, or the server failed after writing), or a 2xx whose body was unreadable.
 */
export function campaignWriteFateUnknown(error: unknown): boolean {
  return (
    error instanceof APIConnectionError ||
    error instanceof ResponseValidationError ||
    error instanceof InternalServerError
  );
}

/** A failed session read is worth repeating: connection trouble, 429, 5xx, a garbled answer. */
export function readWorthRetrying(error: unknown): boolean {
  return (
    error instanceof APIConnectionError ||
    error instanceof RateLimitError ||
    error instanceof InternalServerError ||
    error instanceof ResponseValidationError
  );
}

/** The caller's signal aborted the request (it may have been on its way). */
export function abortedByCaller(error: unknown): boolean {
  return error instanceof APIUserAbortError;
}

/** The dispatch was refused with 409: the session already runs a task (nothing was sent). */
export function sessionBusy(error: unknown): error is SessionBusyError {
  return error instanceof SessionBusyError;
}

/**
 * A retried DELETE found nothing: an earlier attempt deleted the session and its answer was
 * lost, so the delete counts as done.
 */
export function deleteAlreadyDone(error: unknown): error is NotFoundError {
  return error instanceof NotFoundError && error.retries > 0;
}

/** How a failed generate-content turn went: a 4xx answer proves it did not run. */
export function contentTurnFate(error: unknown): "not_sent" | "unknown" {
  return isAPIError(error) && error.status < 500 ? "not_sent" : "unknown";
}

/** A create lost a race: the server refused a duplicate session (409), so another caller made it. */
export function createLostRace(error: unknown): boolean {
  return error instanceof ConflictError;
}

/** The session holds the turn `message`, sent after `before` was seen. */
export function sessionShowsTurn(
  session: Session,
  message: string,
  before: SessionMemo | undefined,
): boolean {
  const users = (session.messages ?? []).filter((m) => m?.role === "user");
  if (before) return users.slice(before.users).some((m) => m.content === message);
  return users.at(-1)?.content === message;
}

/**
 * The session shows an example run that started after `before`: it was idle when this client saw
 * it just before sending, and now holds the claim or new examples. (Another client starting an
 * example run in that window would be taken for this one.)
 */
export function sessionShowsExampleRun(
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

/**
 * After a dispatch 500, the session shows the release Puffle documents: idle, and without this
 * dispatch. A turn: its message is not among the user messages new since `before` (the last one,
 * when this client never read the session). An example run leaves no message: its examples are
 * unchanged since `before`, when this client read the session before. Only then is a second send
 * safe; busy (the claim held: a proxy's 500, a crash after the trigger, a failed write of the
 * answer), the turn's message there, or changed examples are reconciled like a lost answer.
 *
 * The read is made right after the 500, so a task that did start is still running and shows as
 * busy: no turn or example run can start, finish and release its claim in between. That is why
 * "idle" is the proof, and the message and examples only make it stricter.
 */
export function sessionShowsRelease(
  session: Session,
  message: string | undefined,
  before: SessionMemo | undefined,
): boolean {
  if (session.task_status !== null && session.task_status !== undefined) return false;
  if (message !== undefined) return !sessionShowsTurn(session, message, before);
  return !before || fingerprint(session.generated_examples) === before.examples;
}

/** Record on an SDK error whether the dispatch happened. */
export function mark(error: unknown, dispatch: "sent" | "not_sent" | "unknown"): unknown {
  if (isPuffleError(error) && error.dispatch === undefined) error.dispatch = dispatch;
  return error;
}

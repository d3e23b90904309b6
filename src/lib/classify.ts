/**
 * The decisions of the dispatch and write rules (docs/architecture.md "Dispatch rule"), each
 * function named after the decision it serves. Every error guard these rules use is here, so the
 * rules read as sentences and a change of the error tree touches this file only.
 *
 * @internal
 * @module
 */
import {
  ConflictError,
  InternalServerError,
  isAPIError,
  NotFoundError,
  RateLimitError,
  SessionBusyError,
} from "../core/api-errors";
import { APIConnectionError, APIUserAbortError, ResponseValidationError } from "../core/errors";
import type { Session } from "../core/types";
import { fingerprint, type SessionMemo } from "../internal/session-memory";

/** How recent the state seen before sending must be to attribute a new example claim to us. */
const FRESH_MS = 30_000;

/**
 * A dispatch may be sent again: the failure proves nothing was sent (the connection was refused
 * or the host not found).
 */
export function mayResendDispatch(error: unknown): boolean {
  if (!(error instanceof APIConnectionError)) return false;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
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

import { brand, hasKind } from "../../base/brand";
import { PuffleError } from "../../base/puffle-error";
import type { Session } from "../types";

/**
 * The answer of a paid dispatch (`runTurn`, `generateExamples`, `chat`) was lost (connection
 * dropped, timeout, a gateway 502/503/504, an unreadable 2xx) and reading the session could not
 * tell whether the server acted on it. Puffle has no idempotency key, so sending it again could pay
 * twice: the SDK says "unknown" instead of guessing. `session` is the last state read; `cause` is
 * the failure that lost the answer.
 *
 * What to do: read the session later (`getSession`) and look at its transcript; send again only
 * if the turn is not there. `onUnknown: "resend"` makes the SDK send again by itself after it
 * watched the session for `reconcileTimeout` ms without seeing the turn (at the risk of paying
 * twice if the first request arrives later still).
 *
 * @example
 * ```ts
 * import { isDispatchUnknownError } from "puffle-chat";
 * try { await puffle.chat(id, { message }); } catch (error) {
 *   if (isDispatchUnknownError(error)) console.warn("maybe sent:", error.session?.messages?.at(-1));
 * }
 * ```
 */
export class DispatchUnknownError extends PuffleError {
  override name = "DispatchUnknownError";
  /** `"runTurn"` or `"generateExamples"`. */
  readonly operation: "runTurn" | "generateExamples";
  /** The session the dispatch was for. */
  readonly sessionId: string;
  /** The last state of the session read while reconciling, when one could be read. */
  readonly session: Session | undefined;
  /** What the reads showed, in words. */
  readonly evidence: string;

  constructor(init: {
    operation: "runTurn" | "generateExamples";
    sessionId: string;
    session: Session | undefined;
    evidence: string;
    cause: unknown;
  }) {
    super(
      `${init.operation} on session ${init.sessionId}: its answer was lost and the session does not show whether it was dispatched (${init.evidence}). ` +
        "It was not sent again, to avoid paying twice: read the session later and send again only if the turn is missing.",
      { cause: init.cause },
    );
    this.operation = init.operation;
    this.sessionId = init.sessionId;
    this.session = init.session;
    this.evidence = init.evidence;
    this.dispatch = "unknown";
    brand(this, "DispatchUnknownError");
  }
}

/**
 * True when `value` is a {@link DispatchUnknownError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isDispatchUnknownError(error)) await puffle.getSession(error.sessionId);
 * ```
 */
export function isDispatchUnknownError(value: unknown): value is DispatchUnknownError {
  return hasKind(value, "DispatchUnknownError");
}

import { brand, hasKind } from "../../base/brand";
import { PuffleError } from "../../base/puffle-error";

/**
 * No answer came back: the connection failed, was dropped, or (subclass
 * {@link APIConnectionTimeoutError}) timed out. Idempotent requests were retried first. For
 * `runTurn` and `generateExamples` the SDK reads the session before deciding, so a turn is never
 * sent twice.
 *
 * @example
 * ```ts
 * import { isAPIConnectionError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (isAPIConnectionError(error)) console.error("Puffle unreachable:", error.message);
 * }
 * ```
 */
export class APIConnectionError extends PuffleError {
  override name = "APIConnectionError";
  /** The request method. */
  readonly method: string | undefined;
  /** The request path. */
  readonly path: string | undefined;

  constructor(message: string, options: { cause?: unknown; method?: string; path?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.method = options.method;
    this.path = options.path;
    brand(this, "APIConnectionError");
  }
}

/**
 * True when `value` is an {@link APIConnectionError} (timeouts included). Works across realms.
 *
 * @example
 * ```ts
 * if (isAPIConnectionError(error)) scheduleRetryLater();
 * ```
 */
export function isAPIConnectionError(value: unknown): value is APIConnectionError {
  return hasKind(value, "APIConnectionError");
}

import { brand, hasKind } from "../../base/brand";
import { PuffleError } from "../../base/puffle-error";

/**
 * The caller's `signal` was aborted. Everything in flight stopped at once: the request, any
 * retry sleep, any wait or subscription. `cause` is the signal's reason.
 *
 * @example
 * ```ts
 * import { isAPIUserAbortError } from "puffle-chat";
 * const controller = new AbortController();
 * setTimeout(() => controller.abort(), 1_000);
 * try { await puffle.waitForIdle(id, { signal: controller.signal }); } catch (error) {
 *   if (isAPIUserAbortError(error)) console.log("cancelled");
 * }
 * ```
 */
export class APIUserAbortError extends PuffleError {
  override name = "APIUserAbortError";

  constructor(message = "The operation was aborted by its signal.", options?: { cause?: unknown }) {
    super(message, options);
    brand(this, "APIUserAbortError");
  }
}

/**
 * True when `value` is an {@link APIUserAbortError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isAPIUserAbortError(error)) return; // the user cancelled
 * ```
 */
export function isAPIUserAbortError(value: unknown): value is APIUserAbortError {
  return hasKind(value, "APIUserAbortError");
}

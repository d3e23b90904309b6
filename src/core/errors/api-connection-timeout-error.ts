import { brand, hasKind } from "../../base/brand";
import { APIConnectionError } from "./api-connection-error";

/**
 * An attempt took longer than the `timeout` option and was abandoned (after the retries that
 * were safe). Raise `timeout` for slow operations such as `generateContent`.
 *
 * @example
 * ```ts
 * import { isAPIConnectionTimeoutError } from "puffle-chat";
 * try { await puffle.getSession(id, { timeout: 5_000 }); } catch (error) {
 *   if (isAPIConnectionTimeoutError(error)) console.error("timed out");
 * }
 * ```
 */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = "APIConnectionTimeoutError";
  /** The per-attempt timeout that ran out, in milliseconds (when that is what ran out). */
  readonly timeoutMs: number | undefined;
  /** The whole call's `deadline` that ran out, in milliseconds (when that is what ran out). */
  readonly deadlineMs: number | undefined;

  constructor(
    message: string,
    options: {
      cause?: unknown;
      method?: string;
      path?: string;
      timeoutMs?: number;
      deadlineMs?: number;
    } = {},
  ) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
    this.deadlineMs = options.deadlineMs;
    brand(this, "APIConnectionTimeoutError");
  }
}

/**
 * True when `value` is an {@link APIConnectionTimeoutError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isAPIConnectionTimeoutError(error)) console.log(error.timeoutMs);
 * ```
 */
export function isAPIConnectionTimeoutError(value: unknown): value is APIConnectionTimeoutError {
  return hasKind(value, "APIConnectionTimeoutError");
}

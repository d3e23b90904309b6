import { brand, hasKind } from "../../base/brand";
import { APIError, type APIErrorInit } from "./api-error";

/**
 * 429: too many requests. The SDK already retried (honouring `Retry-After` up to a cap) before
 * throwing this; `retryAfterMs` is what the server asked for last, when it said.
 *
 * @example
 * ```ts
 * import { isRateLimitError } from "puffle-chat";
 * try { await puffle.listSessions(campaignId); } catch (error) {
 *   if (isRateLimitError(error)) await new Promise((r) => setTimeout(r, error.retryAfterMs ?? 5_000));
 * }
 * ```
 */
export class RateLimitError extends APIError {
  override name = "RateLimitError";
  /** Always 429. */
  declare readonly status: 429;
  /** The delay the server asked for in `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(init: APIErrorInit, retryAfterMs: number | undefined) {
    super(
      init,
      `Rate limited by Puffle; ${retryAfterMs === undefined ? "wait a little" : `wait ${Math.ceil(retryAfterMs / 1000)} s`} before trying again, or raise maxRetries.`,
    );
    this.retryAfterMs = retryAfterMs;
    brand(this, "RateLimitError");
  }
}

/**
 * True when `value` is a {@link RateLimitError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isRateLimitError(error)) console.log(error.retryAfterMs);
 * ```
 */
export function isRateLimitError(value: unknown): value is RateLimitError {
  return hasKind(value, "RateLimitError");
}

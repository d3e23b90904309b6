import { brand, hasKind } from "../../base/brand";
import { APIError, type APIErrorInit } from "./api-error";

/**
 * 402: the account's credits are exhausted.
 *
 * @example
 * ```ts
 * import { isInsufficientCreditsError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (isInsufficientCreditsError(error)) notifyBilling();
 * }
 * ```
 */
export class InsufficientCreditsError extends APIError {
  override name = "InsufficientCreditsError";
  /** Always 402. */
  declare readonly status: 402;

  constructor(init: APIErrorInit, hint = "Top up the Puffle account's credits, then try again.") {
    super(init, hint);
    brand(this, "InsufficientCreditsError");
  }
}

/**
 * True when `value` is a {@link InsufficientCreditsError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isInsufficientCreditsError(error)) notifyBilling();
 * ```
 */
export function isInsufficientCreditsError(value: unknown): value is InsufficientCreditsError {
  return hasKind(value, "InsufficientCreditsError");
}

import { brand, hasKind } from "../../base/brand";
import { APIError, type APIErrorInit } from "./api-error";

/**
 * 404: the object does not exist or belongs to another account (Puffle answers 404 for both, so that existence does not leak).
 *
 * @example
 * ```ts
 * import { isNotFoundError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (isNotFoundError(error)) return null;
 * }
 * ```
 */
export class NotFoundError extends APIError {
  override name = "NotFoundError";
  /** Always 404. */
  declare readonly status: 404;

  constructor(
    init: APIErrorInit,
    hint = "It does not exist, or it belongs to another account (Puffle answers 404 for both): check the id.",
  ) {
    super(init, hint);
    brand(this, "NotFoundError");
  }
}

/**
 * True when `value` is a {@link NotFoundError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isNotFoundError(error)) return null;
 * ```
 */
export function isNotFoundError(value: unknown): value is NotFoundError {
  return hasKind(value, "NotFoundError");
}

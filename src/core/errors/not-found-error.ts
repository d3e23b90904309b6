import { APIError, type APIErrorInit } from "./api-error";
import { brand, hasKind } from "./brand";

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

  constructor(
    init: APIErrorInit,
    hint = "Check the id: it does not exist, or it belongs to another account (Puffle answers 404 for both).",
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

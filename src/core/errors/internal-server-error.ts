import { brand, hasKind } from "../../base/brand";
import { APIError, type APIErrorInit } from "./api-error";

/**
 * 5xx: Puffle (or a proxy in front of it) failed.
 *
 * @example
 * ```ts
 * import { isInternalServerError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (isInternalServerError(error)) console.warn("Puffle is having trouble", error.requestId);
 * }
 * ```
 */
export class InternalServerError extends APIError {
  override name = "InternalServerError";

  constructor(init: APIErrorInit, hint = "Puffle failed to answer; try again shortly.") {
    super(init, hint);
    brand(this, "InternalServerError");
  }
}

/**
 * True when `value` is a {@link InternalServerError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isInternalServerError(error)) console.warn("Puffle is having trouble", error.requestId);
 * ```
 */
export function isInternalServerError(value: unknown): value is InternalServerError {
  return hasKind(value, "InternalServerError");
}

import { brand, hasKind } from "../../base/brand";
import { APIError, type APIErrorInit } from "./api-error";

/**
 * 403: the key is valid but lacks permission.
 *
 * @example
 * ```ts
 * import { isPermissionDeniedError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (isPermissionDeniedError(error)) console.error(error.message);
 * }
 * ```
 */
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
  /** Always 403. */
  declare readonly status: 403;

  constructor(init: APIErrorInit, hint = "Use a key whose account has access to this campaign.") {
    super(init, hint);
    brand(this, "PermissionDeniedError");
  }
}

/**
 * True when `value` is a {@link PermissionDeniedError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isPermissionDeniedError(error)) console.error(error.message);
 * ```
 */
export function isPermissionDeniedError(value: unknown): value is PermissionDeniedError {
  return hasKind(value, "PermissionDeniedError");
}

import { brand, hasKind } from "../../base/brand";
import type { APIErrorInit } from "./api-error";
import { BadRequestError } from "./bad-request-error";

/**
 * 400 from `generateExamples`: the session has no skeleton yet (`Session has no framework yet.
 * Chat first to create one.`). Send more turns until `session.skeleton` is set, then try again.
 *
 * @example
 * ```ts
 * import { isSkeletonRequiredError } from "puffle-chat";
 * try { await puffle.generateExamples(id, { leads }); } catch (error) {
 *   if (isSkeletonRequiredError(error)) await puffle.chat(id, { message: "Let's settle the structure" });
 * }
 * ```
 */
export class SkeletonRequiredError extends BadRequestError {
  override name = "SkeletonRequiredError";

  constructor(init: APIErrorInit) {
    super(
      init,
      "The session has no skeleton yet: keep chatting (runTurn or chat) until session.skeleton is set, then generate examples.",
    );
    brand(this, "SkeletonRequiredError");
  }
}

/**
 * True when `value` is a {@link SkeletonRequiredError}. Works across realms.
 *
 * @example
 * ```ts
 * if (isSkeletonRequiredError(error)) console.log("chat first");
 * ```
 */
export function isSkeletonRequiredError(value: unknown): value is SkeletonRequiredError {
  return hasKind(value, "SkeletonRequiredError");
}

/**
 * The public edge of `finishSession`: its id and request-option checks, before the composition
 * (./finish-session.ts) runs.
 *
 * @internal
 * @module
 */
import { PuffleError } from "../base/puffle-error";
import type { FinishSessionResult } from "../core/campaign-types";
import type { FinishSessionOptions } from "../core/options";
import { checkOptions, REQUEST_OPTIONS } from "../internal/check-options";
import { validateId } from "../internal/validate";
import type { MethodContext, OptionsSpec } from "./context";
import { finishSession } from "./finish-session";

/** finishSession's request options; its own keys (via, lint, resolve) it checks itself. */
const FINISH_REQUEST_OPTIONS: OptionsSpec = {
  keys: REQUEST_OPTIONS.keys,
  hidden: ["deadlineAt", "via", "lint", "resolve"],
};

/** `PuffleClient.finishSession`: check the id and the options, then finish the session. */
export function finishSessionChecked(
  ctx: MethodContext,
  sessionId: string,
  options: FinishSessionOptions,
): Promise<FinishSessionResult> {
  const id = validateId("finishSession", "sessionId", sessionId);
  if (typeof options !== "object" || options === null) {
    throw new PuffleError("finishSession: the options argument must be an object.");
  }
  checkOptions("finishSession", "options", options, FINISH_REQUEST_OPTIONS);
  return finishSession(ctx, id, options);
}

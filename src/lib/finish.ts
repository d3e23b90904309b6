/**
 * The public edge of `finishSession`: its id and option checks (FINISH_SESSION_OPTIONS: its own
 * keys and the request options), before the composition (./finish-session.ts) runs.
 *
 * @internal
 * @module
 */
import type { FinishSessionResult } from "../core/campaign-types";
import type { FinishSessionOptions } from "../core/options";
import { checkOptions, FINISH_SESSION_OPTIONS } from "../internal/check-options";
import { validateId } from "../internal/validate";
import type { MethodContext } from "./context";
import { finishSession } from "./finish-session";

/** `PuffleClient.finishSession`: check the id and the options, then finish the session. */
export function finishSessionChecked(
  ctx: MethodContext,
  sessionId: string,
  options: FinishSessionOptions,
): Promise<FinishSessionResult> {
  const id = validateId("finishSession", "sessionId", sessionId);
  checkOptions("finishSession", "options", options, FINISH_SESSION_OPTIONS);
  return finishSession(ctx, id, options);
}

import type { EmulatorContext } from "./context";
import { bearer, fail } from "./http";
import type { RunState } from "./runs";

/**
 * Authorisation of the Trigger.dev realtime endpoints: a `tr_pat_…` token minted for that run and
 * not expired.
 *
 * @module
 */

/** The run, or the 401 / 404 answer. */
export function authorizeRun(
  ctx: EmulatorContext,
  request: Request,
  runId: string,
): RunState | Response {
  const token = bearer(request);
  if (!ctx.runs.tokenValid(token, runId)) {
    return fail(
      401,
      "Unauthorized: the public access token is invalid, expired or not scoped to this run",
    );
  }
  const run = ctx.runs.runs.get(runId);
  if (!run) return fail(404, "Run not found");
  return run;
}

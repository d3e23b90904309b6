/**
 * `deleteSession`, with the one tolerance of its write rule: a retry that finds the session gone.
 *
 * @internal
 * @module
 */
import type { CallOptions } from "../internal/http";
import { send } from "../resources/operation";
import { deleteSessionOp } from "../resources/sessions";
import { deleteAlreadyDone } from "./classify";
import type { MethodContext } from "./context";

/** Delete a session; a retried DELETE that finds nothing counts as done (its answer was lost). */
export async function deleteSession(
  ctx: MethodContext,
  args: { sessionId: string },
  options: CallOptions | undefined,
): Promise<void> {
  try {
    await send(ctx, deleteSessionOp, args, options);
  } catch (error) {
    if (!deleteAlreadyDone(error)) throw error;
    ctx.answered(new Response(null, { status: 404, headers: error.headers }), error.requestId);
  }
}

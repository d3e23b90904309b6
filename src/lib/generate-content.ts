/**
 * `generateContent`: a paid turn run inline, so its timeout defaults to `generateContentTimeout`
 * and its errors say whether it may have run (it is never re-sent after a lost answer).
 *
 * @internal
 * @module
 */
import type { GenerateContentParams, GenerateContentResult, WithRequestID } from "../core/types";
import type { CallOptions } from "../internal/http";
import { withRequestId } from "../internal/with-request-id";
import { generateContentOp } from "../resources/content";
import { send } from "../resources/operation";
import { contentTurnFate } from "./classify";
import type { MethodContext } from "./context";
import { mark } from "./dispatch";

/** Run one framework-chat turn for an AI node. */
export async function generateContent(
  ctx: MethodContext,
  args: { campaignId: string; params: GenerateContentParams },
  options: CallOptions | undefined,
): Promise<WithRequestID<GenerateContentResult>> {
  const timeout = options?.timeout ?? ctx.settings.generateContentTimeout;
  const result = await send(ctx, generateContentOp, args, { ...options, timeout }).catch(
    (error: unknown) => {
      throw mark(error, contentTurnFate(error));
    },
  );
  return withRequestId(result.data, result.requestId);
}

/**
 * The generated-messages resource: `resolve` and `generate_ai`, the list, the edit of one draft.
 *
 * Retry classes: `resolve` is `idempotent` (documented safe to re-run, an upsert); `generate_ai`
 * is paid, a `post` (retried on 429 only, never re-sent after a lost answer: lib/campaigns.ts).
 *
 * @internal
 * @module
 */
import * as z from "zod/mini";
import {
  GenerateAiMessagesParamsSchema,
  GenerateAiMessagesResultSchema,
  GeneratedMessageEnvelopeSchema,
  GeneratedMessageListEnvelopeSchema,
  GenerateMessagesParamsSchema,
  ListGeneratedMessagesQuerySchema,
  ResolveMessagesParamsSchema,
  UpdateGeneratedMessageParamsSchema,
} from "../core/campaign-schemas";
import type {
  GeneratedMessage,
  ListGeneratedMessagesQuery,
  UpdateGeneratedMessageParams,
} from "../core/campaign-types";
import { uuid } from "../core/schemas";
import type { CallOptions } from "../internal/http";
import { withRequestId } from "../internal/with-request-id";
import { type CallContext, defineOperation, send } from "./operation";

const MESSAGES = "/api/campaigns/{campaignId}/generate-messages";

/**
 * The arguments of `generateCampaignMessages`, either action (checked at the edge; the action
 * then picks one of the two declarations below).
 */
export const generateMessagesInput = {
  operationId: "generateCampaignMessages",
  request: /* @__PURE__ */ z.object({ campaignId: uuid, params: GenerateMessagesParamsSchema }),
} as const;

/** One operation in openapi.yaml, declared twice below: each action has its retry class. */
const GENERATE_MESSAGES = {
  operationId: "generateCampaignMessages",
  method: "POST",
  path: MESSAGES,
} as const;

/** `POST …/generate-messages` with `action: "resolve"`: free, synchronous, safe to re-run. */
export const resolveMessagesOp = /* @__PURE__ */ defineOperation({
  ...GENERATE_MESSAGES,
  retry: "idempotent",
  request: /* @__PURE__ */ z.object({ campaignId: uuid, params: ResolveMessagesParamsSchema }),
  response: GeneratedMessageListEnvelopeSchema,
  body: (args) => args.params,
});

/** `POST …/generate-messages` with `action: "generate_ai"`: paid AI generation, queued. */
export const generateAiMessagesOp = /* @__PURE__ */ defineOperation({
  ...GENERATE_MESSAGES,
  retry: "post",
  request: /* @__PURE__ */ z.object({ campaignId: uuid, params: GenerateAiMessagesParamsSchema }),
  response: GenerateAiMessagesResultSchema,
  body: (args) => args.params,
});

/** `GET …/generate-messages`: drafts by default, `status`, `prospect_id` filters. */
export const listGeneratedMessagesOp = /* @__PURE__ */ defineOperation({
  operationId: "listGeneratedMessages",
  method: "GET",
  path: MESSAGES,
  retry: "idempotent",
  request: /* @__PURE__ */ z.object({ campaignId: uuid, query: ListGeneratedMessagesQuerySchema }),
  response: GeneratedMessageListEnvelopeSchema,
  query: ({ query }) => ({
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.prospect_id === undefined ? {} : { prospect_id: query.prospect_id }),
  }),
});

/** `PATCH …/generate-messages`: edit one draft message. */
export const updateGeneratedMessageOp = /* @__PURE__ */ defineOperation({
  operationId: "updateGeneratedMessage",
  method: "PATCH",
  path: MESSAGES,
  retry: "idempotent",
  request: /* @__PURE__ */ z.object({
    campaignId: uuid,
    params: UpdateGeneratedMessageParamsSchema,
  }),
  response: GeneratedMessageEnvelopeSchema,
  body: (args) => args.params,
});

/** A campaign's generated messages. */
export async function listGeneratedMessages(
  ctx: CallContext,
  args: { campaignId: string; query: ListGeneratedMessagesQuery },
  options: CallOptions | undefined,
): Promise<GeneratedMessage[]> {
  const result = await send(ctx, listGeneratedMessagesOp, args, options);
  return withRequestId(result.data.messages, result.requestId);
}

/** Edit one draft generated message. */
export async function updateGeneratedMessage(
  ctx: CallContext,
  args: { campaignId: string; params: UpdateGeneratedMessageParams },
  options: CallOptions | undefined,
): Promise<GeneratedMessage> {
  const result = await send(ctx, updateGeneratedMessageOp, args, options);
  return withRequestId(result.data.message, result.requestId);
}

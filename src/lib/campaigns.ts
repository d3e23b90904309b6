/**
 * The campaign operations behind `PuffleClient`'s thin methods: getCampaign, updateSequenceNode,
 * updateCampaign, generateCampaignMessages, listGeneratedMessages, updateGeneratedMessage.
 *
 * Retry classes: GET, PUT (a partial write of absolute values) and PATCH without
 * `sequence_nodes` are `idempotent`; `resolve` is idempotent too (documented "safe to re-run", an
 * upsert). A PATCH carrying `sequence_nodes` replaces the whole sequence: it is retried on 429
 * only, and when its fate is unknown (no answer, a timeout, a 5xx, an unreadable 2xx) the
 * campaign is read back first; it is sent again only when the read shows the new sequence is not
 * there. `generate_ai` is paid: it is retried on 429 only and never re-sent after a lost answer.
 *
 * @internal
 * @module
 */
import * as z from "zod/mini";
import { registerSecret } from "../base/redact";
import { InternalServerError } from "../core/api-errors";
import {
  CampaignDetailSchema,
  CampaignEnvelopeSchema,
  GenerateAiMessagesResultSchema,
  GeneratedMessageEnvelopeSchema,
  GeneratedMessageListEnvelopeSchema,
  GenerateMessagesParamsSchema,
  ListGeneratedMessagesQuerySchema,
  SequenceNodeEnvelopeSchema,
  SequenceNodePatchSchema,
  UpdateCampaignParamsSchema,
  UpdateGeneratedMessageParamsSchema,
} from "../core/campaign-schemas";
import type {
  Campaign,
  CampaignDetail,
  GeneratedMessage,
  GenerateMessagesParams,
  GenerateMessagesResult,
  ListGeneratedMessagesQuery,
  SequenceNode,
  SequenceNodeInput,
  SequenceNodePatch,
  UpdateCampaignParams,
  UpdateGeneratedMessageParams,
} from "../core/campaign-types";
import {
  APIConnectionError,
  GenerateMessagesUnknownError,
  ResponseValidationError,
} from "../core/errors";
import type { RequestOptions } from "../core/options";
import { uuid } from "../core/schemas";
import type { CallResult, CallSpec } from "../internal/http";
import type { SdkLogger } from "../internal/log";
import { validate } from "../internal/validate";

/** What the campaign operations need from the client. */
export interface CampaignContext {
  call<T>(spec: CallSpec<T>): Promise<CallResult<T>>;
  /** Validates and normalises per-call options (throws on bad ones). */
  requestOptions(
    operation: string,
    options: RequestOptions | undefined,
  ): RequestOptions | undefined;
  /** The client's default `maxRetries`. */
  maxRetries: number;
  logger: SdkLogger;
}

const CAMPAIGNS = "/api/campaigns";

/** `GET /api/campaigns/{id}`. */
export async function getCampaign(
  ctx: CampaignContext,
  campaignId: string,
  options?: RequestOptions,
): Promise<CampaignDetail> {
  const { campaignId: id } = validate(
    "getCampaign",
    /* @__PURE__ */ z.object({ campaignId: uuid }),
    {
      campaignId,
    },
  );
  return readCampaign(ctx, id, ctx.requestOptions("getCampaign", options));
}

async function readCampaign(
  ctx: CampaignContext,
  id: string,
  options: RequestOptions | undefined,
): Promise<CampaignDetail> {
  const result = await ctx.call({
    operation: "getCampaign",
    method: "GET",
    path: `${CAMPAIGNS}/${id}`,
    retry: "idempotent",
    schema: CampaignDetailSchema,
    options,
  });
  const detail = withRequestId(result.data, result.requestId);
  // Position order is documented; keep it even if a server sends them shuffled.
  detail.sequence_nodes = [...detail.sequence_nodes].sort((a, b) => a.position - b.position);
  return detail;
}

/** `PUT /api/campaigns/{id}/sequence/nodes/{nodeId}`. */
export async function updateSequenceNode(
  ctx: CampaignContext,
  campaignId: string,
  nodeId: string,
  patch: SequenceNodePatch,
  options?: RequestOptions,
): Promise<SequenceNode> {
  const args = validate(
    "updateSequenceNode",
    /* @__PURE__ */ z.object({ campaignId: uuid, nodeId: uuid, patch: SequenceNodePatchSchema }),
    { campaignId, nodeId, patch },
  );
  const result = await ctx.call({
    operation: "updateSequenceNode",
    method: "PUT",
    path: `${CAMPAIGNS}/${args.campaignId}/sequence/nodes/${args.nodeId}`,
    body: args.patch,
    retry: "idempotent",
    schema: SequenceNodeEnvelopeSchema,
    options: ctx.requestOptions("updateSequenceNode", options),
  });
  return withRequestId(result.data.node, result.requestId);
}

/**
 * How an `updateCampaign` went, for callers that need to know (finishSession's report).
 *
 * @internal
 */
export interface UpdateCampaignOutcome {
  campaign: Campaign;
  /** True when the answer was lost and the read-back proved the new sequence is stored. */
  reconciled: boolean;
  /** Requests sent, PATCHes and read-backs. */
  sends: number;
}

/** `PATCH /api/campaigns/{id}`. */
export async function updateCampaign(
  ctx: CampaignContext,
  campaignId: string,
  params: UpdateCampaignParams,
  options?: RequestOptions,
): Promise<Campaign> {
  return (await updateCampaignDetailed(ctx, campaignId, params, options)).campaign;
}

/** {@link updateCampaign}, saying whether a lost answer was reconciled by reading back. */
export async function updateCampaignDetailed(
  ctx: CampaignContext,
  campaignId: string,
  params: UpdateCampaignParams,
  options?: RequestOptions,
): Promise<UpdateCampaignOutcome> {
  const args = validate(
    "updateCampaign",
    /* @__PURE__ */ z.object({ campaignId: uuid, params: UpdateCampaignParamsSchema }),
    { campaignId, params },
  );
  const requestOptions = ctx.requestOptions("updateCampaign", options);
  const replacesSequence = args.params.sequence_nodes !== undefined;
  const send = () =>
    ctx.call({
      operation: "updateCampaign",
      method: "PATCH",
      path: `${CAMPAIGNS}/${args.campaignId}`,
      body: args.params,
      retry: replacesSequence ? "post" : "idempotent",
      schema: CampaignEnvelopeSchema,
      options: requestOptions,
    });
  if (!replacesSequence) {
    const result = await send();
    return {
      campaign: withRequestId(result.data.campaign, result.requestId),
      reconciled: false,
      sends: 1,
    };
  }
  const maxSends = 1 + (requestOptions?.maxRetries ?? ctx.maxRetries);
  for (let sends = 1; ; sends++) {
    try {
      const result = await send();
      return {
        campaign: withRequestId(result.data.campaign, result.requestId),
        reconciled: false,
        sends,
      };
    } catch (error) {
      if (!fateUnknown(error)) throw error;
      ctx.logger.info(
        `updateCampaign: the answer to a whole-sequence PATCH was lost (${(error as Error).message}); reading campaign ${args.campaignId} back before deciding`,
      );
      const detail = await readCampaign(ctx, args.campaignId, requestOptions);
      if (campaignMatches(args.params, detail)) {
        ctx.logger.info(
          "updateCampaign: the read-back shows the update is stored; not sending again",
        );
        return { campaign: detail.campaign, reconciled: true, sends };
      }
      if (sends >= maxSends) throw error;
      ctx.logger.info(
        "updateCampaign: the read-back shows the update is not stored; sending once more",
      );
    }
  }
}

/**
 * `POST /api/campaigns/{id}/generate-messages`. `resolve` is retried like a GET (documented safe
 * to re-run); `generate_ai` costs credits and is never re-sent after a lost answer.
 */
export async function generateCampaignMessages(
  ctx: CampaignContext,
  campaignId: string,
  params: GenerateMessagesParams,
  options?: RequestOptions,
): Promise<GenerateMessagesResult> {
  const args = validate(
    "generateCampaignMessages",
    /* @__PURE__ */ z.object({ campaignId: uuid, params: GenerateMessagesParamsSchema }),
    { campaignId, params },
  );
  const base = {
    operation: "generateCampaignMessages",
    method: "POST" as const,
    path: `${CAMPAIGNS}/${args.campaignId}/generate-messages`,
    body: args.params,
    options: ctx.requestOptions("generateCampaignMessages", options),
  };
  if (args.params.action === "resolve") {
    const result = await ctx.call({
      ...base,
      retry: "idempotent",
      schema: GeneratedMessageListEnvelopeSchema,
    });
    return withRequestId(result.data, result.requestId);
  }
  let result: CallResult<z.infer<typeof GenerateAiMessagesResultSchema>>;
  try {
    result = await ctx.call({ ...base, retry: "post", schema: GenerateAiMessagesResultSchema });
  } catch (error) {
    if (!fateUnknown(error)) throw error;
    throw new GenerateMessagesUnknownError({
      campaignId: args.campaignId,
      nodeId: args.params.node_id,
      cause: error,
    });
  }
  if (typeof result.data.publicAccessToken === "string")
    registerSecret(result.data.publicAccessToken);
  return withRequestId(result.data, result.requestId);
}

/** `GET /api/campaigns/{id}/generate-messages`. */
export async function listGeneratedMessages(
  ctx: CampaignContext,
  campaignId: string,
  query: ListGeneratedMessagesQuery = {},
  options?: RequestOptions,
): Promise<GeneratedMessage[]> {
  const args = validate(
    "listGeneratedMessages",
    /* @__PURE__ */ z.object({ campaignId: uuid, query: ListGeneratedMessagesQuerySchema }),
    { campaignId, query },
  );
  const search: Record<string, string> = {};
  if (args.query.status !== undefined) search.status = args.query.status;
  if (args.query.prospect_id !== undefined) search.prospect_id = args.query.prospect_id;
  const result = await ctx.call({
    operation: "listGeneratedMessages",
    method: "GET",
    path: `${CAMPAIGNS}/${args.campaignId}/generate-messages`,
    ...(Object.keys(search).length > 0 ? { query: search } : {}),
    retry: "idempotent",
    schema: GeneratedMessageListEnvelopeSchema,
    options: ctx.requestOptions("listGeneratedMessages", options),
  });
  return withRequestId(result.data.messages, result.requestId);
}

/** `PATCH /api/campaigns/{id}/generate-messages`. */
export async function updateGeneratedMessage(
  ctx: CampaignContext,
  campaignId: string,
  params: UpdateGeneratedMessageParams,
  options?: RequestOptions,
): Promise<GeneratedMessage> {
  const args = validate(
    "updateGeneratedMessage",
    /* @__PURE__ */ z.object({ campaignId: uuid, params: UpdateGeneratedMessageParamsSchema }),
    { campaignId, params },
  );
  const result = await ctx.call({
    operation: "updateGeneratedMessage",
    method: "PATCH",
    path: `${CAMPAIGNS}/${args.campaignId}/generate-messages`,
    body: args.params,
    retry: "idempotent",
    schema: GeneratedMessageEnvelopeSchema,
    options: ctx.requestOptions("updateGeneratedMessage", options),
  });
  return withRequestId(result.data.message, result.requestId);
}

// ---- helpers --------------------------------------------------------------------------------

/**
 * Whether a write's fate is unknown: no answer (connection dropped, timeout), a 5xx (a gateway
 * may have forwarded it, or the server failed after writing), or a 2xx whose body was unreadable.
 */
export function fateUnknown(error: unknown): boolean {
  return (
    error instanceof APIConnectionError ||
    error instanceof ResponseValidationError ||
    error instanceof InternalServerError
  );
}

const COMPARED_NODE_KEYS = [
  "type",
  "subject",
  "body",
  "signature",
  "include_message",
  "is_reply",
  "delay_days",
  "delay_hours",
  "delay_minutes",
] as const satisfies readonly (keyof SequenceNodeInput)[];

const COMPARED_CAMPAIGN_KEYS = [
  "name",
  "daily_limit",
  "skip_other_campaigns",
  "stop_on_reply",
  "open_tracking",
  "signature",
] as const satisfies readonly (keyof UpdateCampaignParams & keyof Campaign)[];

/**
 * Whether `detail` shows `params` applied: the sequence has exactly the sent nodes in order
 * (same ids where ids were sent, same values for every key sent) and the sent scalar fields hold
 * the sent values.
 */
export function campaignMatches(params: UpdateCampaignParams, detail: CampaignDetail): boolean {
  for (const key of COMPARED_CAMPAIGN_KEYS) {
    const sent = params[key];
    if (sent !== undefined && key in detail.campaign && detail.campaign[key] !== sent) return false;
  }
  const sent = params.sequence_nodes;
  if (sent === undefined) return true;
  return sequenceMatches(sent, detail.sequence_nodes);
}

/** Whether `nodes` (position order) is the sequence `sent` describes. */
export function sequenceMatches(
  sent: readonly SequenceNodeInput[],
  nodes: readonly SequenceNode[],
): boolean {
  if (sent.length !== nodes.length) return false;
  return sent.every((element, i) => {
    const node = nodes[i] as SequenceNode;
    if (element.id !== undefined && element.id.toLowerCase() !== node.id.toLowerCase())
      return false;
    return COMPARED_NODE_KEYS.every(
      (key) => element[key] === undefined || node[key] === undefined || node[key] === element[key],
    );
  });
}

/** Attach the request id as a non-enumerable `_request_id` (kept out of JSON and spreads). */
export function withRequestId<T>(value: T, requestId: string | undefined): T {
  if (requestId !== undefined && value !== null && typeof value === "object") {
    Object.defineProperty(value, "_request_id", {
      value: requestId,
      enumerable: false,
      configurable: true,
    });
  }
  return value;
}

/**
 * The campaign compositions: `updateCampaign` with its read-back after a lost whole-sequence
 * PATCH, and `generateCampaignMessages` with its two actions (the declarations and retry classes
 * are in resources/campaigns.ts and resources/messages.ts).
 *
 * A PATCH carrying `sequence_nodes` replaces the whole sequence: when its fate is unknown (no
 * answer, a timeout, a 5xx, an unreadable 2xx) the campaign is read back first; it is sent again
 * only when the read shows the new sequence is not there. `generate_ai` is paid: never re-sent
 * after a lost answer.
 *
 * @internal
 * @module
 */
import { registerSecret } from "../base/redact";
import type {
  Campaign,
  CampaignDetail,
  GenerateMessagesParams,
  GenerateMessagesResult,
  SequenceNode,
  SequenceNodeInput,
  SequenceNodePatch,
  UpdateCampaignParams,
} from "../core/campaign-types";
import { GenerateMessagesUnknownError } from "../core/errors";
import { hideToken } from "../core/run-handle";
import type { CallOptions } from "../internal/http";
import { withRequestId } from "../internal/with-request-id";
import * as campaigns from "../resources/campaigns";
import {
  generateAiMessagesOp,
  generateMessagesInput,
  resolveMessagesOp,
} from "../resources/messages";
import { parseArgs, send } from "../resources/operation";
import { campaignWriteFateUnknown } from "./classify";
import type { MethodContext } from "./context";

/** What the campaign compositions need: the method context. */
export type CampaignContext = MethodContext;

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

type UpdateCampaignArgs = { campaignId: string; params: UpdateCampaignParams };

/** `PATCH /api/campaigns/{id}` with checked arguments. */
export async function updateCampaign(
  ctx: MethodContext,
  args: UpdateCampaignArgs,
  options: CallOptions | undefined,
): Promise<Campaign> {
  return (await writeCampaign(ctx, args, options)).campaign;
}

/** `PATCH /api/campaigns/{id}` with checked arguments, saying whether a read-back reconciled it. */
export async function writeCampaign(
  ctx: MethodContext,
  args: UpdateCampaignArgs,
  options: CallOptions | undefined,
): Promise<UpdateCampaignOutcome> {
  if (args.params.sequence_nodes === undefined) {
    const result = await send(ctx, campaigns.updateCampaignOp, args, options);
    const campaign = withRequestId(result.data.campaign, result.requestId);
    return { campaign, reconciled: false, sends: 1 };
  }
  const maxSends = 1 + (options?.maxRetries ?? ctx.maxRetries);
  for (let sends = 1; ; sends++) {
    try {
      const result = await send(ctx, campaigns.replaceSequenceOp, args, options);
      const campaign = withRequestId(result.data.campaign, result.requestId);
      return { campaign, reconciled: false, sends };
    } catch (error) {
      if (!campaignWriteFateUnknown(error)) throw error;
      const detail = await readBack(ctx, args, options, error);
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

/** Read the campaign back after a whole-sequence PATCH lost its answer. */
function readBack(
  ctx: MethodContext,
  args: UpdateCampaignArgs,
  options: CallOptions | undefined,
  error: unknown,
): Promise<CampaignDetail> {
  ctx.logger.info(
    `updateCampaign: the answer to a whole-sequence PATCH was lost (${(error as Error).message}); reading campaign ${args.campaignId} back before deciding`,
  );
  return campaigns.getCampaign(ctx, { campaignId: args.campaignId }, options);
}

/**
 * `POST /api/campaigns/{id}/generate-messages` with checked arguments. `resolve` is retried like
 * a GET; `generate_ai` costs credits, and a lost answer throws {@link GenerateMessagesUnknownError}.
 */
export async function generateMessages(
  ctx: MethodContext,
  args: { campaignId: string; params: GenerateMessagesParams },
  options: CallOptions | undefined,
): Promise<GenerateMessagesResult> {
  const { campaignId, params } = args;
  if (params.action === "resolve") {
    const result = await send(ctx, resolveMessagesOp, { campaignId, params }, options);
    return withRequestId(result.data, result.requestId);
  }
  const result = await send(ctx, generateAiMessagesOp, { campaignId, params }, options).catch(
    (error: unknown) => {
      if (!campaignWriteFateUnknown(error)) throw error;
      throw new GenerateMessagesUnknownError({ campaignId, nodeId: params.node_id, cause: error });
    },
  );
  if (typeof result.data.publicAccessToken === "string")
    registerSecret(result.data.publicAccessToken);
  // A queue acknowledgement may carry a run token: read by name only, never printed.
  return withRequestId(hideToken(result.data), result.requestId);
}

// ---- the positional forms finishSession calls (arguments checked here) -----------------------

/** `GET /api/campaigns/{id}`. */
export function getCampaign(
  ctx: MethodContext,
  campaignId: string,
  options?: CallOptions,
): Promise<CampaignDetail> {
  return campaigns.getCampaign(ctx, parseArgs(campaigns.getCampaignOp, { campaignId }), options);
}

/** `PUT /api/campaigns/{id}/sequence/nodes/{nodeId}`. */
export function updateSequenceNode(
  ctx: MethodContext,
  campaignId: string,
  nodeId: string,
  patch: SequenceNodePatch,
  options?: CallOptions,
): Promise<SequenceNode> {
  const args = parseArgs(campaigns.updateSequenceNodeOp, { campaignId, nodeId, patch });
  return campaigns.updateSequenceNode(ctx, args, options);
}

/** `PATCH /api/campaigns/{id}`, saying whether a lost answer was reconciled by reading back. */
export function updateCampaignDetailed(
  ctx: MethodContext,
  campaignId: string,
  params: UpdateCampaignParams,
  options?: CallOptions,
): Promise<UpdateCampaignOutcome> {
  const args = parseArgs(campaigns.updateCampaignOp, { campaignId, params });
  return writeCampaign(ctx, args, options);
}

/** `POST /api/campaigns/{id}/generate-messages`. */
export function generateCampaignMessages(
  ctx: MethodContext,
  campaignId: string,
  params: GenerateMessagesParams,
  options?: CallOptions,
): Promise<GenerateMessagesResult> {
  const args = parseArgs(generateMessagesInput, { campaignId, params });
  return generateMessages(ctx, args, options);
}

// ---- the read-back comparison -----------------------------------------------------------------

/** The content keys of a sequence node, compared on read-back (and copied by finishSession). */
export const COMPARED_NODE_KEYS = [
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

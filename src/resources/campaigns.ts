/**
 * The campaigns resource: a campaign with its sequence, its partial update, and the PUT of one
 * sequence node.
 *
 * Retry classes: GET, PUT (a partial write of absolute values) and a PATCH without
 * `sequence_nodes` are `idempotent`. A PATCH carrying `sequence_nodes` replaces the whole
 * sequence: a `post` (retried on 429 only), reconciled by reading back in lib/campaigns.ts.
 *
 * @internal
 * @module
 */
import * as z from "zod/mini";
import {
  CampaignDetailSchema,
  CampaignEnvelopeSchema,
  SequenceNodeEnvelopeSchema,
  SequenceNodePatchSchema,
  UpdateCampaignParamsSchema,
} from "../core/campaign-schemas";
import type { CampaignDetail, SequenceNode, SequenceNodePatch } from "../core/campaign-types";
import { uuid } from "../core/schemas";
import type { CallOptions } from "../internal/http";
import { withRequestId } from "../internal/with-request-id";
import { type CallContext, defineOperation, send } from "./operation";

const CAMPAIGN = "/api/campaigns/{campaignId}";

/** `GET /api/campaigns/{campaignId}`: the campaign, its nodes, prospect counts. */
export const getCampaignOp = /* @__PURE__ */ defineOperation({
  operationId: "getCampaign",
  method: "GET",
  path: CAMPAIGN,
  retry: "idempotent",
  request: /* @__PURE__ */ z.object({ campaignId: uuid }),
  response: CampaignDetailSchema,
});

const updateCampaignArgs = /* @__PURE__ */ z.object({
  campaignId: uuid,
  params: UpdateCampaignParamsSchema,
});

/** `PATCH /api/campaigns/{campaignId}` without `sequence_nodes`: absolute values. */
export const updateCampaignOp = /* @__PURE__ */ defineOperation({
  operationId: "updateCampaign",
  method: "PATCH",
  path: CAMPAIGN,
  retry: "idempotent",
  request: updateCampaignArgs,
  response: CampaignEnvelopeSchema,
  body: (args) => args.params,
});

/** `PATCH /api/campaigns/{campaignId}` with `sequence_nodes`: replaces the whole sequence. */
export const replaceSequenceOp = /* @__PURE__ */ defineOperation({
  ...updateCampaignOp,
  retry: "post",
});

/** `PUT /api/campaigns/{campaignId}/sequence/nodes/{nodeId}`: some fields of one node. */
export const updateSequenceNodeOp = /* @__PURE__ */ defineOperation({
  operationId: "updateSequenceNode",
  method: "PUT",
  path: `${CAMPAIGN}/sequence/nodes/{nodeId}`,
  retry: "idempotent",
  request: /* @__PURE__ */ z.object({
    campaignId: uuid,
    nodeId: uuid,
    patch: SequenceNodePatchSchema,
  }),
  response: SequenceNodeEnvelopeSchema,
  body: (args) => args.patch,
});

/** Read a campaign, its nodes in position order. */
export async function getCampaign(
  ctx: CallContext,
  args: { campaignId: string },
  options: CallOptions | undefined,
): Promise<CampaignDetail> {
  const result = await send(ctx, getCampaignOp, args, options);
  const detail = withRequestId(result.data, result.requestId);
  // Position order is documented; keep it even if a server sends them shuffled.
  detail.sequence_nodes = [...detail.sequence_nodes].sort((a, b) => a.position - b.position);
  return detail;
}

/** Write some fields of one sequence node; resolves with the refreshed node. */
export async function updateSequenceNode(
  ctx: CallContext,
  args: { campaignId: string; nodeId: string; patch: SequenceNodePatch },
  options: CallOptions | undefined,
): Promise<SequenceNode> {
  const result = await send(ctx, updateSequenceNodeOp, args, options);
  return withRequestId(result.data.node, result.requestId);
}

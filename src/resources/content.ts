/**
 * The content resource: the synchronous framework-chat turn of an AI node.
 *
 * @internal
 * @module
 */
import * as z from "zod/mini";
import { GenerateContentParamsSchema, GenerateContentResultSchema, uuid } from "../core/schemas";
import { defineOperation } from "./operation";

/**
 * `POST /api/campaigns/{campaignId}/generate-content`: a paid turn run inline (minutes), so a
 * `post`: retried on 429 only, never after a lost answer.
 */
export const generateContentOp = /* @__PURE__ */ defineOperation({
  operationId: "generateContent",
  method: "POST",
  path: "/api/campaigns/{campaignId}/generate-content",
  retry: "post",
  request: /* @__PURE__ */ z.object({ campaignId: uuid, params: GenerateContentParamsSchema }),
  response: GenerateContentResultSchema,
  body: (args) => args.params,
});

/**
 * zod schemas of the campaign routes (getCampaign, updateSequenceNode, updateCampaign,
 * generate-messages), tied to the types generated from `openapi.yaml` by compile-time checks at
 * the end of this file, as `schemas.ts` does for the session routes. Requests are strict to the
 * depth of the spec (nested shapes, unknown keys, ranges); responses are lenient.
 *
 * @internal
 * @module
 */
import * as z from "zod/mini";
import type { components } from "../../generated/openapi";
import type {
  AiNode,
  Campaign,
  CampaignDetail,
  GeneratedMessage,
  GenerateMessagesParams,
  ListGeneratedMessagesQuery,
  SequenceNode,
  SequenceNodeInput,
  SequenceNodePatch,
  UpdateCampaignParams,
  UpdateGeneratedMessageParams,
} from "../campaigns/types";
import { uuid } from "./schemas";

const opt = <T extends z.ZodMiniType>(schema: T) => z.exactOptional(schema);
const looseRecord = z.record(z.string(), z.unknown());
const nullableString = z.nullable(z.string());

const nonNegativeInt = z
  .int({ error: "must be a whole number" })
  .check(
    z.minimum(0, { error: "must be 0 or more" }),
    z.maximum(Number.MAX_SAFE_INTEGER, { error: "must be a safe integer" }),
  );

// ---- responses ------------------------------------------------------------------------------

export const CampaignSchema = z.looseObject({
  id: z.string(),
  user_id: opt(z.string()),
  type: opt(z.string()),
  name: opt(z.string()),
  status: opt(z.string()),
  daily_limit: opt(z.nullable(z.number())),
  stop_on_reply: opt(z.nullable(z.boolean())),
  open_tracking: opt(z.nullable(z.boolean())),
  signature: opt(nullableString),
  skip_other_campaigns: opt(z.nullable(z.boolean())),
  operating_hours: opt(z.nullable(looseRecord)),
  stats: opt(z.nullable(looseRecord)),
  created_at: opt(z.string()),
  updated_at: opt(z.string()),
  sender_accounts: opt(z.array(looseRecord)),
});

export const AiNodeSchema = z.looseObject({
  purpose: opt(z.string()),
  output_type: opt(z.string()),
});

export const SequenceNodeSchema = z.looseObject({
  id: z.string(),
  campaign_id: opt(z.string()),
  position: z.number(),
  type: opt(z.string()),
  subject: opt(nullableString),
  body: opt(nullableString),
  body_html: opt(nullableString),
  signature: opt(nullableString),
  from_name: opt(nullableString),
  reply_to: opt(nullableString),
  cc: opt(nullableString),
  bcc: opt(nullableString),
  attachments: opt(z.nullable(z.array(z.unknown()))),
  include_message: opt(z.nullable(z.boolean())),
  is_reply: opt(z.nullable(z.boolean())),
  delay_days: opt(z.nullable(z.number())),
  delay_hours: opt(z.nullable(z.number())),
  delay_minutes: opt(z.nullable(z.number())),
  ai_node: opt(z.nullable(AiNodeSchema)),
});

export const CampaignDetailSchema = z.looseObject({
  campaign: CampaignSchema,
  sequence_nodes: z.array(SequenceNodeSchema),
  prospects_by_status: opt(z.record(z.string(), z.number())),
  prospects_by_node: opt(z.record(z.string(), z.record(z.string(), z.number()))),
});

export const CampaignEnvelopeSchema = z.looseObject({ campaign: CampaignSchema });
export const SequenceNodeEnvelopeSchema = z.looseObject({ node: SequenceNodeSchema });

export const GeneratedMessageSchema = z.looseObject({
  id: z.string(),
  campaign_id: opt(z.string()),
  prospect_id: z.string(),
  node_id: z.string(),
  subject: opt(nullableString),
  body_text: opt(nullableString),
  body_html: opt(nullableString),
  status: opt(z.string()),
  manually_edited: opt(z.boolean()),
  created_at: opt(z.string()),
});

export const GeneratedMessageListEnvelopeSchema = z.looseObject({
  messages: z.array(GeneratedMessageSchema),
});
export const GeneratedMessageEnvelopeSchema = z.looseObject({ message: GeneratedMessageSchema });

export const GenerateAiMessagesResultSchema = z.looseObject({
  runId: opt(z.string()),
  publicAccessToken: opt(z.string()),
});

// ---- requests -------------------------------------------------------------------------------

const NODE_TYPES = ["email", "connection_request", "message", "delay", "ai", "end"] as const;

export const AiNodePatchSchema = z.strictObject({
  purpose: opt(z.string()),
  output_type: opt(z.string()),
});

export const SequenceNodePatchSchema = z.strictObject({
  subject: opt(z.string()),
  body: opt(z.string()),
  body_html: opt(z.string()),
  signature: opt(z.string()),
  from_name: opt(z.string()),
  reply_to: opt(z.string()),
  cc: opt(z.string()),
  bcc: opt(z.string()),
  attachments: opt(z.array(z.unknown())),
  include_message: opt(z.boolean()),
  is_reply: opt(z.boolean()),
  delay_days: opt(nonNegativeInt),
  delay_hours: opt(nonNegativeInt),
  delay_minutes: opt(nonNegativeInt),
  ai_node: opt(AiNodePatchSchema),
});

export const SequenceNodeInputSchema = z.strictObject({
  id: opt(uuid),
  type: opt(z.enum(NODE_TYPES, { error: `must be one of ${NODE_TYPES.join(", ")}` })),
  position: opt(nonNegativeInt),
  subject: opt(z.string()),
  body: opt(z.string()),
  signature: opt(z.string()),
  include_message: opt(z.boolean()),
  is_reply: opt(z.boolean()),
  delay_days: opt(nonNegativeInt),
  delay_hours: opt(nonNegativeInt),
  delay_minutes: opt(nonNegativeInt),
});

const AccountLimitSchema = z.strictObject({ account_id: uuid, daily_limit: nonNegativeInt });

export const UpdateCampaignParamsSchema = z.strictObject({
  name: opt(z.string().check(z.minLength(1, { error: "must not be empty" }))),
  operating_hours: opt(z.nullable(looseRecord)),
  daily_limit: opt(
    z
      .int({ error: "must be a whole number" })
      .check(
        z.minimum(1, { error: "must be 1 or more" }),
        z.maximum(500, { error: "must be 500 or less" }),
      ),
  ),
  skip_other_campaigns: opt(z.boolean()),
  stop_on_reply: opt(z.boolean()),
  open_tracking: opt(z.boolean()),
  signature: opt(z.string()),
  sender_account_ids: opt(
    z.array(uuid).check(z.maxLength(50, { error: "must hold at most 50 ids" })),
  ),
  account_limits: opt(z.array(AccountLimitSchema)),
  sequence_nodes: opt(z.array(SequenceNodeInputSchema)),
});

export const ResolveMessagesParamsSchema = z.strictObject({ action: z.literal("resolve") });

export const GenerateAiMessagesParamsSchema = z.strictObject({
  action: z.literal("generate_ai"),
  node_id: uuid,
  prospect_ids: opt(
    z.array(uuid).check(z.minLength(1, { error: "must hold at least one id when given" })),
  ),
});

export const GenerateMessagesParamsSchema = z.discriminatedUnion(
  "action",
  [ResolveMessagesParamsSchema, GenerateAiMessagesParamsSchema],
  { error: 'action must be "resolve" or "generate_ai"' },
);

export const ListGeneratedMessagesQuerySchema = z.strictObject({
  status: opt(
    z.union([
      z.literal("draft"),
      z.literal("pending"),
      z.literal("sent"),
      z.literal("all"),
      z.undefined(),
    ]),
  ),
  prospect_id: opt(z.union([uuid, z.undefined()])),
});

export const UpdateGeneratedMessageParamsSchema = z.strictObject({
  message_id: z.string().check(z.minLength(1, { error: "must not be empty" })),
  subject: opt(z.string()),
  body_text: opt(z.string()),
});

// ---- compile-time ties to generated/ --------------------------------------------------------

type Schemas = components["schemas"];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;

export type CampaignSchemaChecks = [
  Check<Same<z.infer<typeof CampaignSchema>, Campaign>>,
  Check<Same<z.infer<typeof AiNodeSchema>, AiNode>>,
  Check<Same<z.infer<typeof SequenceNodeSchema>, SequenceNode>>,
  Check<Same<z.infer<typeof CampaignDetailSchema>, CampaignDetail>>,
  Check<
    Same<
      z.infer<typeof CampaignEnvelopeSchema>["campaign"],
      Schemas["CampaignEnvelope"]["campaign"]
    >
  >,
  Check<
    Same<
      z.infer<typeof SequenceNodeEnvelopeSchema>["node"],
      Schemas["SequenceNodeEnvelope"]["node"]
    >
  >,
  Check<Same<z.infer<typeof GeneratedMessageSchema>, GeneratedMessage>>,
  Check<
    Same<
      z.infer<typeof GeneratedMessageListEnvelopeSchema>["messages"],
      Schemas["GeneratedMessageListEnvelope"]["messages"]
    >
  >,
  Check<
    Same<
      z.infer<typeof GeneratedMessageEnvelopeSchema>["message"],
      Schemas["GeneratedMessageEnvelope"]["message"]
    >
  >,
  Check<Same<z.infer<typeof GenerateAiMessagesResultSchema>, Schemas["GenerateAiMessagesResult"]>>,
  Check<Same<z.infer<typeof AiNodePatchSchema>, Schemas["AiNodePatch"]>>,
  Check<Same<z.infer<typeof SequenceNodePatchSchema>, SequenceNodePatch>>,
  Check<Same<z.infer<typeof SequenceNodeInputSchema>, SequenceNodeInput>>,
  Check<Same<z.infer<typeof AccountLimitSchema>, Schemas["AccountLimit"]>>,
  Check<Same<z.infer<typeof UpdateCampaignParamsSchema>, UpdateCampaignParams>>,
  Check<Same<z.infer<typeof GenerateMessagesParamsSchema>, GenerateMessagesParams>>,
  Check<Same<z.infer<typeof UpdateGeneratedMessageParamsSchema>, UpdateGeneratedMessageParams>>,
  Check<Same<z.infer<typeof ListGeneratedMessagesQuerySchema>, ListGeneratedMessagesQuery>>,
];

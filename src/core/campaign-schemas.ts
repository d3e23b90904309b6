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
} from "./campaign-types";
import {
  type AllAgree,
  checked,
  type Disagreeing,
  type Field,
  type Generated,
  looseRecord,
  nonNegativeInt,
  opt,
  uuid,
} from "./schemas";

const nullableString = /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string());

// ---- responses ------------------------------------------------------------------------------

export const CampaignSchema = /* @__PURE__ */ z.looseObject({
  id: /* @__PURE__ */ z.string(),
  user_id: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  type: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  name: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  status: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  daily_limit: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.number())),
  stop_on_reply: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.boolean())),
  open_tracking: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.boolean())),
  signature: /* @__PURE__ */ opt(nullableString),
  skip_other_campaigns: /* @__PURE__ */ opt(
    /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.boolean()),
  ),
  operating_hours: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(looseRecord)),
  stats: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(looseRecord)),
  created_at: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  updated_at: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  sender_accounts: /* @__PURE__ */ opt(/* @__PURE__ */ z.array(looseRecord)),
});

export const AiNodeSchema = /* @__PURE__ */ z.looseObject({
  purpose: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  output_type: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
});

export const SequenceNodeSchema = /* @__PURE__ */ z.looseObject({
  id: /* @__PURE__ */ z.string(),
  campaign_id: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  position: /* @__PURE__ */ z.number(),
  type: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  subject: /* @__PURE__ */ opt(nullableString),
  body: /* @__PURE__ */ opt(nullableString),
  body_html: /* @__PURE__ */ opt(nullableString),
  signature: /* @__PURE__ */ opt(nullableString),
  from_name: /* @__PURE__ */ opt(nullableString),
  reply_to: /* @__PURE__ */ opt(nullableString),
  cc: /* @__PURE__ */ opt(nullableString),
  bcc: /* @__PURE__ */ opt(nullableString),
  attachments: /* @__PURE__ */ opt(
    /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.array(/* @__PURE__ */ z.unknown())),
  ),
  include_message: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.boolean())),
  is_reply: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.boolean())),
  delay_days: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.number())),
  delay_hours: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.number())),
  delay_minutes: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.number())),
  ai_node: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(AiNodeSchema)),
});

export const CampaignDetailSchema = /* @__PURE__ */ z.looseObject({
  campaign: CampaignSchema,
  sequence_nodes: /* @__PURE__ */ z.array(SequenceNodeSchema),
  prospects_by_status: /* @__PURE__ */ opt(
    /* @__PURE__ */ z.record(/* @__PURE__ */ z.string(), /* @__PURE__ */ z.number()),
  ),
  prospects_by_node: /* @__PURE__ */ opt(
    /* @__PURE__ */ z.record(
      /* @__PURE__ */ z.string(),
      /* @__PURE__ */ z.record(/* @__PURE__ */ z.string(), /* @__PURE__ */ z.number()),
    ),
  ),
});

export const CampaignEnvelopeSchema = /* @__PURE__ */ z.looseObject({ campaign: CampaignSchema });
export const SequenceNodeEnvelopeSchema = /* @__PURE__ */ z.looseObject({
  node: SequenceNodeSchema,
});

export const GeneratedMessageSchema = /* @__PURE__ */ z.looseObject({
  id: /* @__PURE__ */ z.string(),
  campaign_id: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  prospect_id: /* @__PURE__ */ z.string(),
  node_id: /* @__PURE__ */ z.string(),
  subject: /* @__PURE__ */ opt(nullableString),
  body_text: /* @__PURE__ */ opt(nullableString),
  body_html: /* @__PURE__ */ opt(nullableString),
  status: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  manually_edited: /* @__PURE__ */ opt(/* @__PURE__ */ z.boolean()),
  created_at: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
});

export const GeneratedMessageListEnvelopeSchema = /* @__PURE__ */ z.looseObject({
  messages: /* @__PURE__ */ z.array(GeneratedMessageSchema),
});
export const GeneratedMessageEnvelopeSchema = /* @__PURE__ */ z.looseObject({
  message: GeneratedMessageSchema,
});

export const GenerateAiMessagesResultSchema = /* @__PURE__ */ z.looseObject({
  runId: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  publicAccessToken: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
});

// ---- requests -------------------------------------------------------------------------------

const NODE_TYPES = ["email", "connection_request", "message", "delay", "ai", "end"] as const;

export const AiNodePatchSchema = /* @__PURE__ */ z.strictObject({
  purpose: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  output_type: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
});

export const SequenceNodePatchSchema = /* @__PURE__ */ z.strictObject({
  subject: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  body: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  body_html: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  signature: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  from_name: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  reply_to: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  cc: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  bcc: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  attachments: /* @__PURE__ */ opt(/* @__PURE__ */ z.array(/* @__PURE__ */ z.unknown())),
  include_message: /* @__PURE__ */ opt(/* @__PURE__ */ z.boolean()),
  is_reply: /* @__PURE__ */ opt(/* @__PURE__ */ z.boolean()),
  delay_days: /* @__PURE__ */ opt(nonNegativeInt),
  delay_hours: /* @__PURE__ */ opt(nonNegativeInt),
  delay_minutes: /* @__PURE__ */ opt(nonNegativeInt),
  ai_node: /* @__PURE__ */ opt(AiNodePatchSchema),
});

export const SequenceNodeInputSchema = /* @__PURE__ */ z.strictObject({
  id: /* @__PURE__ */ opt(uuid),
  type: /* @__PURE__ */ opt(
    /* @__PURE__ */ z.enum(NODE_TYPES, { error: `must be one of ${NODE_TYPES.join(", ")}` }),
  ),
  position: /* @__PURE__ */ opt(nonNegativeInt),
  subject: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  body: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  signature: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  include_message: /* @__PURE__ */ opt(/* @__PURE__ */ z.boolean()),
  is_reply: /* @__PURE__ */ opt(/* @__PURE__ */ z.boolean()),
  delay_days: /* @__PURE__ */ opt(nonNegativeInt),
  delay_hours: /* @__PURE__ */ opt(nonNegativeInt),
  delay_minutes: /* @__PURE__ */ opt(nonNegativeInt),
});

const AccountLimitSchema = /* @__PURE__ */ z.strictObject({
  account_id: uuid,
  daily_limit: nonNegativeInt,
});

export const UpdateCampaignParamsSchema = /* @__PURE__ */ z.strictObject({
  name: /* @__PURE__ */ opt(
    /* @__PURE__ */ checked(
      /* @__PURE__ */ z.string(),
      /* @__PURE__ */ z.minLength(1, { error: "must not be empty" }),
    ),
  ),
  operating_hours: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(looseRecord)),
  daily_limit: /* @__PURE__ */ opt(
    /* @__PURE__ */ checked(
      /* @__PURE__ */ z.int({ error: "must be a whole number" }),
      /* @__PURE__ */ z.minimum(1, { error: "must be 1 or more" }),
      /* @__PURE__ */ z.maximum(500, { error: "must be 500 or less" }),
    ),
  ),
  skip_other_campaigns: /* @__PURE__ */ opt(/* @__PURE__ */ z.boolean()),
  stop_on_reply: /* @__PURE__ */ opt(/* @__PURE__ */ z.boolean()),
  open_tracking: /* @__PURE__ */ opt(/* @__PURE__ */ z.boolean()),
  signature: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  sender_account_ids: /* @__PURE__ */ opt(
    /* @__PURE__ */ checked(
      /* @__PURE__ */ z.array(uuid),
      /* @__PURE__ */ z.maxLength(50, { error: "must hold at most 50 ids" }),
    ),
  ),
  account_limits: /* @__PURE__ */ opt(/* @__PURE__ */ z.array(AccountLimitSchema)),
  sequence_nodes: /* @__PURE__ */ opt(/* @__PURE__ */ z.array(SequenceNodeInputSchema)),
});

export const ResolveMessagesParamsSchema = /* @__PURE__ */ z.strictObject({
  action: /* @__PURE__ */ z.literal("resolve"),
});

export const GenerateAiMessagesParamsSchema = /* @__PURE__ */ z.strictObject({
  action: /* @__PURE__ */ z.literal("generate_ai"),
  node_id: uuid,
  prospect_ids: /* @__PURE__ */ opt(
    /* @__PURE__ */ checked(
      /* @__PURE__ */ z.array(uuid),
      /* @__PURE__ */ z.minLength(1, { error: "must hold at least one id when given" }),
    ),
  ),
});

export const GenerateMessagesParamsSchema = /* @__PURE__ */ z.discriminatedUnion(
  "action",
  [ResolveMessagesParamsSchema, GenerateAiMessagesParamsSchema],
  { error: 'action must be "resolve" or "generate_ai"' },
);

export const ListGeneratedMessagesQuerySchema = /* @__PURE__ */ z.strictObject({
  status: /* @__PURE__ */ opt(
    /* @__PURE__ */ z.union([
      /* @__PURE__ */ z.literal("draft"),
      /* @__PURE__ */ z.literal("pending"),
      /* @__PURE__ */ z.literal("sent"),
      /* @__PURE__ */ z.literal("all"),
      /* @__PURE__ */ z.undefined(),
    ]),
  ),
  prospect_id: /* @__PURE__ */ opt(/* @__PURE__ */ z.union([uuid, /* @__PURE__ */ z.undefined()])),
});

export const UpdateGeneratedMessageParamsSchema = /* @__PURE__ */ z.strictObject({
  message_id: /* @__PURE__ */ checked(
    /* @__PURE__ */ z.string(),
    /* @__PURE__ */ z.minLength(1, { error: "must not be empty" }),
  ),
  subject: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  body_text: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
});

// ---- compile-time ties to generated/ --------------------------------------------------------

/**
 * Under each generated schema's name: the zod schema and the public type its inferred type must
 * be the same as (the generated type itself when the row names none).
 */
type Ties = {
  Campaign: [typeof CampaignSchema, Campaign];
  AiNode: [typeof AiNodeSchema, AiNode];
  SequenceNode: [typeof SequenceNodeSchema, SequenceNode];
  CampaignDetail: [typeof CampaignDetailSchema, CampaignDetail];
  GeneratedMessage: [typeof GeneratedMessageSchema, GeneratedMessage];
  GenerateAiMessagesResult: [typeof GenerateAiMessagesResultSchema];
  AiNodePatch: [typeof AiNodePatchSchema];
  SequenceNodePatch: [typeof SequenceNodePatchSchema, SequenceNodePatch];
  SequenceNodeInput: [typeof SequenceNodeInputSchema, SequenceNodeInput];
  AccountLimit: [typeof AccountLimitSchema];
  UpdateCampaignRequest: [typeof UpdateCampaignParamsSchema, UpdateCampaignParams];
  GenerateMessages: [typeof GenerateMessagesParamsSchema, GenerateMessagesParams];
  UpdateGeneratedMessageRequest: [
    typeof UpdateGeneratedMessageParamsSchema,
    UpdateGeneratedMessageParams,
  ];
  ListGeneratedMessagesQuery: [typeof ListGeneratedMessagesQuerySchema, ListGeneratedMessagesQuery];
};
/** Under each generated envelope's name: its schema and the key of its value. */
type Envelopes = {
  CampaignEnvelope: [typeof CampaignEnvelopeSchema, "campaign"];
  SequenceNodeEnvelope: [typeof SequenceNodeEnvelopeSchema, "node"];
  GeneratedMessageListEnvelope: [typeof GeneratedMessageListEnvelopeSchema, "messages"];
  GeneratedMessageEnvelope: [typeof GeneratedMessageEnvelopeSchema, "message"];
};
type Expected<K, Row> = Row extends [unknown, infer Public] ? Public : Generated<K>;

/** Every row agrees (a failing row is named by `tsc`). */
export type CampaignSchemaChecks = AllAgree<
  | Disagreeing<{ [K in keyof Ties]: [z.infer<Ties[K][0]>, Expected<K, Ties[K]>] }>
  | Disagreeing<{
      [K in keyof Envelopes]: [
        Field<z.infer<Envelopes[K][0]>, Envelopes[K][1]>,
        Field<Generated<K>, Envelopes[K][1]>,
      ];
    }>
>;

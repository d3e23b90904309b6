import * as z from "zod/mini";
import { fail, readJsonObject } from "./http";
import { isUuid } from "./ids";

/**
 * The emulator's request-body validation, to the depth of `openapi.yaml`: nested shapes, unknown
 * keys (refused wherever the spec says `additionalProperties: false`), types and ranges. A body
 * that fails is answered 400 listing every problem, before anything is written. These schemas are
 * the server side's own (the testing entry imports no client code); the Prism test keeps both
 * sides honest against the spec.
 *
 * @module
 */

const opt = <T extends z.ZodMiniType>(schema: T) => z.exactOptional(schema);
const uuid = z.string().check(z.refine((v) => isUuid(v), { error: "must be a UUID" }));
const safeInt = z
  .int()
  .check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER, { error: "must be a safe integer" }));
const looseRecord = z.record(z.string(), z.unknown());
const nonEmpty = z.string().check(z.minLength(1, { error: "must not be empty" }));
const optString = opt(z.string());

const Message = z.looseObject({ role: z.string(), content: z.string() });
const GeneratedExample = z.looseObject({
  lead_id: opt(z.nullable(z.string())),
  subject: z.string(),
  body: z.string(),
});
const Skeleton = z.looseObject({
  subject: optString,
  body: optString,
  blocks: opt(
    z.array(
      z.looseObject({
        name: optString,
        strategy: optString,
        personalization: opt(
          z.looseObject({
            fields: opt(z.array(z.string())),
            approach: optString,
            fallback: optString,
          }),
        ),
      }),
    ),
  ),
  exampleSubject: optString,
  exampleBody: optString,
});
const Lead = z.looseObject({
  first_name: optString,
  last_name: optString,
  full_name: optString,
  company: optString,
  position: optString,
  headline: optString,
  linkedin_url: optString,
  custom_fields: opt(looseRecord),
});
const ContentLead = z.looseObject({
  first_name: optString,
  last_name: optString,
  email: optString,
  company: optString,
  position: optString,
  custom_fields: opt(looseRecord),
});
const SequenceContext = z.looseObject({
  position: opt(safeInt),
  total_nodes: opt(safeInt),
  prior_nodes: opt(z.array(looseRecord)),
});

/** `POST /api/campaigns/ai-chat-sessions`. */
export const CreateSessionBody = z.strictObject({ campaign_id: uuid, node_id: uuid });

/** `PATCH /api/campaigns/ai-chat-sessions/{id}`. */
export const UpdateSessionBody = z.strictObject({
  title: opt(z.nullable(z.string())),
  messages: opt(z.nullable(z.array(Message))),
  draft_subject: opt(z.nullable(z.string())),
  draft_body: opt(z.nullable(z.string())),
  skeleton: opt(z.nullable(Skeleton)),
  skeleton_history: opt(z.nullable(z.array(looseRecord))),
  draft_history: opt(z.nullable(z.array(looseRecord))),
  framework_version: opt(z.nullable(safeInt)),
  generated_examples: opt(z.nullable(z.array(GeneratedExample))),
  task_status: opt(z.nullable(z.string())),
});

/** `POST …/turn`: `message` needs at least one character (a single space is a message). */
export const TurnBody = z.strictObject({
  message: nonEmpty,
  availableVarNames: opt(z.array(z.string())),
  sampleLeads: opt(z.array(Lead)),
  sequenceContext: opt(SequenceContext),
});

/** `POST …/generate-examples`. */
export const GenerateExamplesBody = z.strictObject({
  leads: z.array(Lead).check(z.minLength(1, { error: "needs at least one lead" })),
  sequenceContext: opt(SequenceContext),
  isFirstBatch: opt(z.boolean()),
});

/** `POST /api/campaigns/{id}/generate-content`. */
export const GenerateContentBody = z.strictObject({
  node_id: uuid,
  message: nonEmpty,
  sample_leads: opt(z.array(ContentLead)),
  sequence_context: opt(SequenceContext),
});

/** `PUT /api/campaigns/{id}/sequence/nodes/{nodeId}`. */
export const SequenceNodePatchBody = z.strictObject({
  subject: optString,
  body: optString,
  body_html: optString,
  signature: optString,
  from_name: optString,
  reply_to: optString,
  cc: optString,
  bcc: optString,
  attachments: opt(z.array(z.unknown())),
  include_message: opt(z.boolean()),
  is_reply: opt(z.boolean()),
  delay_days: opt(safeInt),
  delay_hours: opt(safeInt),
  delay_minutes: opt(safeInt),
  ai_node: opt(z.strictObject({ purpose: optString, output_type: optString })),
});

/** The node types of `AN`: what `sequence_nodes[].type` accepts. */
export const NODE_TYPES = ["email", "connection_request", "message", "delay", "ai", "end"] as const;

const SequenceNodeInput = z.strictObject({
  id: opt(uuid),
  type: opt(z.enum(NODE_TYPES)),
  position: opt(safeInt),
  subject: optString,
  body: optString,
  signature: optString,
  include_message: opt(z.boolean()),
  is_reply: opt(z.boolean()),
  delay_days: opt(safeInt),
  delay_hours: opt(safeInt),
  delay_minutes: opt(safeInt),
});

/** `PATCH /api/campaigns/{id}`. */
export const UpdateCampaignBody = z.strictObject({
  name: opt(nonEmpty),
  operating_hours: opt(z.nullable(looseRecord)),
  daily_limit: opt(z.int().check(z.minimum(1), z.maximum(500))),
  skip_other_campaigns: opt(z.boolean()),
  stop_on_reply: opt(z.boolean()),
  open_tracking: opt(z.boolean()),
  signature: optString,
  sender_account_ids: opt(z.array(uuid).check(z.maxLength(50))),
  account_limits: opt(z.array(z.strictObject({ account_id: uuid, daily_limit: safeInt }))),
  sequence_nodes: opt(z.array(SequenceNodeInput)),
});

/** `POST /api/campaigns/{id}/generate-messages`. */
export const GenerateMessagesBody = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("resolve") }),
  z.strictObject({
    action: z.literal("generate_ai"),
    node_id: uuid,
    prospect_ids: opt(z.array(uuid).check(z.minLength(1))),
  }),
]);

/** `PATCH /api/campaigns/{id}/generate-messages`. */
export const UpdateMessageBody = z.strictObject({
  message_id: nonEmpty,
  subject: optString,
  body_text: optString,
});

/** Read the JSON body of `request` and validate it: the data, or a 400 answer listing every issue. */
export async function parseBody<T>(
  request: Request,
  schema: z.ZodMiniType<T>,
): Promise<T | Response> {
  const body = await readJsonObject(request);
  if (body instanceof Response) return body;
  const result = z.safeParse(schema, body);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join(".") || "(body)";
    if (issue.code === "unrecognized_keys")
      return `${path}: unknown key(s) ${issue.keys.join(", ")}`;
    return `${path}: ${issue.message}`;
  });
  return fail(400, `Invalid request body: ${issues.join("; ")}`);
}

/**
 * Read and validate the body of `request`, then answer with `handle(body)`: the one parse step of
 * the handlers that read their body before any other check (a 400 answer when it fails).
 */
export async function withBody<T>(
  request: Request,
  schema: z.ZodMiniType<T>,
  handle: (body: T) => Response | Promise<Response>,
): Promise<Response> {
  const body = await parseBody(request, schema);
  return body instanceof Response ? body : handle(body);
}

/** A valid `POST …/generate-examples` body. */
export type GenerateExamplesInput = z.infer<typeof GenerateExamplesBody>;
/** A valid `POST /api/campaigns/ai-chat-sessions` body. */
export type CreateSessionInput = z.infer<typeof CreateSessionBody>;
/** A valid `PATCH /api/campaigns/ai-chat-sessions/{id}` body. */
export type UpdateSessionInput = z.infer<typeof UpdateSessionBody>;
/** A valid `PATCH /api/campaigns/{id}` body. */
export type UpdateCampaignInput = z.infer<typeof UpdateCampaignBody>;
/** A valid `POST /api/campaigns/{id}/generate-messages` body. */
export type GenerateMessagesInput = z.infer<typeof GenerateMessagesBody>;
/** A valid `PATCH /api/campaigns/{id}/generate-messages` body. */
export type UpdateMessageInput = z.infer<typeof UpdateMessageBody>;

/**
 * zod schemas for every request body and response of the Puffle API, written by hand and tied to
 * the types generated from `openapi.yaml` by compile-time checks at the end of this file: a spec
 * change that is not mirrored here fails `tsc`.
 *
 * Requests are strict (unknown top-level keys are refused, so a typo such as
 * `available_var_names` is caught before anything is sent). Responses are lenient: the required
 * structure is checked, unknown keys pass through untouched, an unknown `task_status` is kept.
 *
 * @internal
 * @module
 */
import * as z from "zod";
import type { components } from "../../generated/openapi";
import type {
  ContentLead,
  CreateSessionParams,
  DispatchedRun,
  GenerateContentParams,
  GenerateContentResult,
  GeneratedExample,
  GenerateExamplesParams,
  Lead,
  Message,
  SequenceContext,
  Session,
  Skeleton,
  TurnParams,
  UpdateSessionParams,
} from "./types";

/** RFC 4122 versions 1-8, plus the nil and max UUIDs (API.md). */
export const UUID_PATTERN =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;

export const uuid = z
  .string({ error: "must be a string holding a UUID" })
  .regex(UUID_PATTERN, { error: "must be a UUID such as 3c90c3cc-0d44-4b50-8888-8dd25736052a" });

const nonNegativeInt = z
  .number()
  .int({ error: "must be a whole number" })
  .min(0, { error: "must be 0 or more" })
  .max(Number.MAX_SAFE_INTEGER, { error: "must be a safe integer" });

const looseRecord = z.record(z.string(), z.unknown());

const opt = <T extends z.ZodType>(schema: T) => schema.exactOptional();

export const TaskStatusSchema = z.string().nullable();

export const MessageSchema = z.looseObject({
  role: z.string(),
  content: z.string(),
});

export const GeneratedExampleSchema = z.looseObject({
  lead_id: opt(z.string().nullable()),
  subject: z.string(),
  body: z.string(),
});

const SkeletonPersonalizationSchema = z.looseObject({
  fields: opt(z.array(z.string())),
  approach: opt(z.string()),
  fallback: opt(z.string()),
});

const SkeletonBlockSchema = z.looseObject({
  name: opt(z.string()),
  strategy: opt(z.string()),
  personalization: opt(SkeletonPersonalizationSchema),
});

export const SkeletonSchema = z.looseObject({
  subject: opt(z.string()),
  body: opt(z.string()),
  blocks: opt(z.array(SkeletonBlockSchema)),
  exampleSubject: opt(z.string()),
  exampleBody: opt(z.string()),
});

const historySchema = z.array(looseRecord).nullable();

export const SessionSchema = z.looseObject({
  id: z.string(),
  user_id: z.string(),
  campaign_id: z.string(),
  node_id: z.string(),
  title: z.string().nullable(),
  messages: z.array(MessageSchema).nullable(),
  draft_subject: z.string().nullable(),
  draft_body: z.string().nullable(),
  skeleton: SkeletonSchema.nullable(),
  skeleton_history: historySchema,
  draft_history: historySchema,
  framework_version: z.number().nullable(),
  generated_examples: z.array(GeneratedExampleSchema).nullable(),
  task_status: TaskStatusSchema,
  created_at: z.string(),
  updated_at: z.string(),
});

export const SessionEnvelopeSchema = z.looseObject({ session: SessionSchema });
export const SessionListEnvelopeSchema = z.looseObject({ sessions: z.array(SessionSchema) });
export const DeleteResultSchema = z.looseObject({ success: z.boolean() });

export const RunHandleSchema = z.looseObject({
  runId: z.string().min(1),
  publicAccessToken: z.string(),
});

export const GenerateContentResultSchema = z.looseObject({
  session_id: z.string(),
  assistant_message: z.string(),
  skeleton: SkeletonSchema.nullable(),
  skeleton_updated: z.boolean(),
});

// ---- requests -------------------------------------------------------------------------------

export const LeadSchema = z.looseObject({
  first_name: opt(z.string()),
  last_name: opt(z.string()),
  full_name: opt(z.string()),
  company: opt(z.string()),
  position: opt(z.string()),
  headline: opt(z.string()),
  linkedin_url: opt(z.string()),
  custom_fields: opt(looseRecord),
});

export const ContentLeadSchema = z.looseObject({
  first_name: opt(z.string()),
  last_name: opt(z.string()),
  email: opt(z.string()),
  company: opt(z.string()),
  position: opt(z.string()),
  custom_fields: opt(looseRecord),
});

export const SequenceContextSchema = z.looseObject({
  position: opt(nonNegativeInt),
  total_nodes: opt(nonNegativeInt),
  prior_nodes: opt(z.array(looseRecord)),
});

const message = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty: say what the email should do" });

export const CreateSessionParamsSchema = z.strictObject({ campaign_id: uuid, node_id: uuid });

export const UpdateSessionParamsSchema = z.strictObject({
  title: opt(z.string().nullable()),
  messages: opt(z.array(MessageSchema).nullable()),
  draft_subject: opt(z.string().nullable()),
  draft_body: opt(z.string().nullable()),
  skeleton: opt(SkeletonSchema.nullable()),
  skeleton_history: opt(historySchema),
  draft_history: opt(historySchema),
  framework_version: opt(nonNegativeInt.nullable()),
  generated_examples: opt(z.array(GeneratedExampleSchema).nullable()),
  task_status: opt(TaskStatusSchema),
});

export const TurnParamsSchema = z.strictObject({
  message,
  availableVarNames: opt(z.array(z.string())),
  sampleLeads: opt(z.array(LeadSchema)),
  sequenceContext: opt(SequenceContextSchema),
});

export const GenerateExamplesParamsSchema = z.strictObject({
  leads: z.array(LeadSchema).min(1, { error: "needs at least one lead (3 to 10 is typical)" }),
  sequenceContext: opt(SequenceContextSchema),
  isFirstBatch: opt(z.boolean()),
});

export const GenerateContentParamsSchema = z.strictObject({
  node_id: uuid,
  message,
  sample_leads: opt(z.array(ContentLeadSchema)),
  sequence_context: opt(SequenceContextSchema),
});

// ---- compile-time ties to generated/ --------------------------------------------------------

type Schemas = components["schemas"];
/** True when A and B are assignable both ways (identical for every practical purpose). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;

export type SchemaChecks = [
  Check<Same<z.output<typeof MessageSchema>, Message>>,
  Check<Same<z.output<typeof GeneratedExampleSchema>, GeneratedExample>>,
  Check<Same<z.output<typeof SkeletonSchema>, Skeleton>>,
  Check<Same<z.output<typeof SessionSchema>, Session>>,
  Check<Same<z.output<typeof SessionSchema>, Schemas["Session"]>>,
  Check<
    Same<z.output<typeof SessionEnvelopeSchema>["session"], Schemas["SessionEnvelope"]["session"]>
  >,
  Check<
    Same<
      z.output<typeof SessionListEnvelopeSchema>["sessions"],
      Schemas["SessionListEnvelope"]["sessions"]
    >
  >,
  Check<Same<z.output<typeof DeleteResultSchema>["success"], Schemas["DeleteResult"]["success"]>>,
  Check<Same<z.output<typeof RunHandleSchema>, DispatchedRun>>,
  Check<Same<z.output<typeof GenerateContentResultSchema>, GenerateContentResult>>,
  Check<Same<z.output<typeof LeadSchema>, Lead>>,
  Check<Same<z.output<typeof ContentLeadSchema>, ContentLead>>,
  Check<Same<z.output<typeof SequenceContextSchema>, SequenceContext>>,
  Check<Same<z.output<typeof CreateSessionParamsSchema>, CreateSessionParams>>,
  Check<Same<z.output<typeof UpdateSessionParamsSchema>, UpdateSessionParams>>,
  Check<Same<z.output<typeof TurnParamsSchema>, TurnParams>>,
  Check<Same<z.output<typeof GenerateExamplesParamsSchema>, GenerateExamplesParams>>,
  Check<Same<z.output<typeof GenerateContentParamsSchema>, GenerateContentParams>>,
];

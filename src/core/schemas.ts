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
import * as z from "zod/mini";
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
  SkeletonBlock,
  TurnParams,
  UpdateSessionParams,
} from "./types";

/**
 * The UUID pattern of the API: RFC 4122 versions 1-8, plus the nil and max UUIDs. Ids are checked
 * against it before anything is sent.
 *
 * @example
 * ```ts
 * if (!UUID_PATTERN.test(id)) throw new Error("not a Puffle id");
 * ```
 */
export const UUID_PATTERN =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;

export const uuid = z
  .string({ error: "must be a string holding a UUID" })
  .check(
    z.regex(UUID_PATTERN, { error: "must be a UUID such as 3c90c3cc-0d44-4b50-8888-8dd25736052a" }),
  );

const nonNegativeInt = z
  .int({ error: "must be a whole number" })
  .check(
    z.minimum(0, { error: "must be 0 or more" }),
    z.maximum(Number.MAX_SAFE_INTEGER, { error: "must be a safe integer" }),
  );

const looseRecord = z.record(z.string(), z.unknown());

const opt = <T extends z.ZodMiniType>(schema: T) => z.exactOptional(schema);

export const TaskStatusSchema = z.nullable(z.string());

export const MessageSchema = z.looseObject({
  role: z.string(),
  content: z.string(),
});

export const GeneratedExampleSchema = z.looseObject({
  lead_id: opt(z.nullable(z.string())),
  subject: z.string(),
  body: z.string(),
});

const SkeletonPersonalizationSchema = z.looseObject({
  fields: opt(z.array(z.string())),
  approach: opt(z.string()),
  fallback: opt(z.string()),
});

export const SkeletonBlockSchema = z.looseObject({
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

const historySchema = z.nullable(z.array(looseRecord));

export const SessionSchema = z.looseObject({
  id: z.string(),
  user_id: z.string(),
  campaign_id: z.string(),
  node_id: z.string(),
  title: z.nullable(z.string()),
  messages: z.nullable(z.array(MessageSchema)),
  draft_subject: z.nullable(z.string()),
  draft_body: z.nullable(z.string()),
  skeleton: z.nullable(SkeletonSchema),
  skeleton_history: historySchema,
  draft_history: historySchema,
  framework_version: z.nullable(z.number()),
  generated_examples: z.nullable(z.array(GeneratedExampleSchema)),
  task_status: TaskStatusSchema,
  created_at: z.string(),
  updated_at: z.string(),
});

export const SessionEnvelopeSchema = z.looseObject({ session: SessionSchema });
export const SessionListEnvelopeSchema = z.looseObject({ sessions: z.array(SessionSchema) });
export const DeleteResultSchema = z.looseObject({ success: z.boolean() });

export const RunHandleSchema = z.looseObject({
  runId: z.string().check(z.minLength(1)),
  publicAccessToken: z.string(),
});

export const GenerateContentResultSchema = z.looseObject({
  session_id: z.string(),
  assistant_message: z.string(),
  skeleton: z.nullable(SkeletonSchema),
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
  .check(z.minLength(1, { error: "must not be empty: say what the email should do" }));

export const CreateSessionParamsSchema = z.strictObject({ campaign_id: uuid, node_id: uuid });

export const UpdateSessionParamsSchema = z.strictObject({
  title: opt(z.nullable(z.string())),
  messages: opt(z.nullable(z.array(MessageSchema))),
  draft_subject: opt(z.nullable(z.string())),
  draft_body: opt(z.nullable(z.string())),
  skeleton: opt(z.nullable(SkeletonSchema)),
  skeleton_history: opt(historySchema),
  draft_history: opt(historySchema),
  framework_version: opt(z.nullable(nonNegativeInt)),
  generated_examples: opt(z.nullable(z.array(GeneratedExampleSchema))),
  task_status: opt(TaskStatusSchema),
});

export const TurnParamsSchema = z.strictObject({
  message,
  availableVarNames: opt(z.array(z.string())),
  sampleLeads: opt(z.array(LeadSchema)),
  sequenceContext: opt(SequenceContextSchema),
});

export const GenerateExamplesParamsSchema = z.strictObject({
  leads: z
    .array(LeadSchema)
    .check(z.minLength(1, { error: "needs at least one lead (3 to 10 is typical)" })),
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
/** T without its index signatures (the known keys only, modifiers kept). */
type KnownKeys<T> = {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K];
};
type DeepKnownObject<T> = { [K in keyof T]: Known<T[K]> };
/**
 * A generated or zod-inferred type as users read it: index signatures removed at every level,
 * except on free-form records (no known key at all), which stay `Record<string, unknown>`.
 */
type Known<T> = T extends readonly (infer E)[]
  ? Known<E>[]
  : T extends object
    ? [keyof KnownKeys<T>] extends [never]
      ? T
      : DeepKnownObject<KnownKeys<T>>
    : T;
/** Both ways: the public interface, the generated type and the zod schema agree. */
type Both<Public, Generated, Inferred> = [
  Same<Public, Known<Generated>>,
  Same<Public, Known<Inferred>>,
];
type Tied<T extends [true, true]> = T;

export type SchemaChecks = [
  Tied<Both<Message, Schemas["Message"], z.infer<typeof MessageSchema>>>,
  Tied<Both<GeneratedExample, Schemas["GeneratedExample"], z.infer<typeof GeneratedExampleSchema>>>,
  Tied<Both<SkeletonBlock, Schemas["SkeletonBlock"], z.infer<typeof SkeletonBlockSchema>>>,
  Tied<Both<Skeleton, Schemas["Skeleton"], z.infer<typeof SkeletonSchema>>>,
  Tied<Both<Session, Schemas["Session"], z.infer<typeof SessionSchema>>>,
  Tied<
    Both<
      Session,
      Schemas["SessionEnvelope"]["session"],
      z.infer<typeof SessionEnvelopeSchema>["session"]
    >
  >,
  Tied<
    Both<
      Session[],
      Schemas["SessionListEnvelope"]["sessions"],
      z.infer<typeof SessionListEnvelopeSchema>["sessions"]
    >
  >,
  Check<Same<z.infer<typeof DeleteResultSchema>["success"], Schemas["DeleteResult"]["success"]>>,
  Tied<
    Both<Omit<DispatchedRun, "reconciled">, Schemas["RunHandle"], z.infer<typeof RunHandleSchema>>
  >,
  Tied<
    Both<
      GenerateContentResult,
      Schemas["GenerateContentResult"],
      z.infer<typeof GenerateContentResultSchema>
    >
  >,
  Tied<Both<Lead, Schemas["Lead"], z.infer<typeof LeadSchema>>>,
  Tied<Both<ContentLead, Schemas["ContentLead"], z.infer<typeof ContentLeadSchema>>>,
  Tied<Both<SequenceContext, Schemas["SequenceContext"], z.infer<typeof SequenceContextSchema>>>,
  Tied<
    Both<
      CreateSessionParams,
      Schemas["CreateSessionRequest"],
      z.infer<typeof CreateSessionParamsSchema>
    >
  >,
  Tied<
    Both<
      UpdateSessionParams,
      Schemas["UpdateSessionRequest"],
      z.infer<typeof UpdateSessionParamsSchema>
    >
  >,
  Tied<Both<TurnParams, Schemas["TurnRequest"], z.infer<typeof TurnParamsSchema>>>,
  Tied<
    Both<
      GenerateExamplesParams,
      Schemas["GenerateExamplesRequest"],
      z.infer<typeof GenerateExamplesParamsSchema>
    >
  >,
  Tied<
    Both<
      GenerateContentParams,
      Schemas["GenerateContentRequest"],
      z.infer<typeof GenerateContentParamsSchema>
    >
  >,
];

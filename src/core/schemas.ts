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

/** `schema.check(...checks)` as one call, so that one pure annotation covers the whole schema. */
export const checked = <T extends z.ZodMiniType>(schema: T, ...checks: Parameters<T["check"]>): T =>
  schema.check(...checks) as T;

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

export const uuid = /* @__PURE__ */ checked(
  /* @__PURE__ */ z.string({ error: "must be a string holding a UUID" }),
  /* @__PURE__ */ z.regex(UUID_PATTERN, {
    error: "must be a UUID such as 3c90c3cc-0d44-4b50-8888-8dd25736052a",
  }),
);

/** A whole number from 0 to `Number.MAX_SAFE_INTEGER`. */
export const nonNegativeInt = /* @__PURE__ */ checked(
  /* @__PURE__ */ z.int({ error: "must be a whole number" }),
  /* @__PURE__ */ z.minimum(0, { error: "must be 0 or more" }),
  /* @__PURE__ */ z.maximum(
    9_007_199_254_740_991 /* Number.MAX_SAFE_INTEGER, a literal so bundlers can drop the schema */,
    { error: "must be a safe integer" },
  ),
);

/** A free-form object (any keys, any values). */
export const looseRecord = /* @__PURE__ */ z.record(
  /* @__PURE__ */ z.string(),
  /* @__PURE__ */ z.unknown(),
);

/** An optional key: absent is fine, `undefined` is not (`exactOptional`). */
export const opt = <T extends z.ZodMiniType>(schema: T) => /* @__PURE__ */ z.exactOptional(schema);

export const TaskStatusSchema = /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string());

export const MessageSchema = /* @__PURE__ */ z.looseObject({
  role: /* @__PURE__ */ z.string(),
  content: /* @__PURE__ */ z.string(),
});

export const GeneratedExampleSchema = /* @__PURE__ */ z.looseObject({
  lead_id: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string())),
  subject: /* @__PURE__ */ z.string(),
  body: /* @__PURE__ */ z.string(),
});

const SkeletonPersonalizationSchema = /* @__PURE__ */ z.looseObject({
  fields: /* @__PURE__ */ opt(/* @__PURE__ */ z.array(/* @__PURE__ */ z.string())),
  approach: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  fallback: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
});

export const SkeletonBlockSchema = /* @__PURE__ */ z.looseObject({
  name: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  strategy: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  personalization: /* @__PURE__ */ opt(SkeletonPersonalizationSchema),
});

export const SkeletonSchema = /* @__PURE__ */ z.looseObject({
  subject: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  body: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  blocks: /* @__PURE__ */ opt(/* @__PURE__ */ z.array(SkeletonBlockSchema)),
  exampleSubject: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
  exampleBody: /* @__PURE__ */ opt(/* @__PURE__ */ z.string()),
});

const historySchema = /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.array(looseRecord));

export const SessionSchema = /* @__PURE__ */ z.looseObject({
  id: /* @__PURE__ */ z.string(),
  user_id: /* @__PURE__ */ z.string(),
  campaign_id: /* @__PURE__ */ z.string(),
  node_id: /* @__PURE__ */ z.string(),
  title: /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string()),
  messages: /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.array(MessageSchema)),
  draft_subject: /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string()),
  draft_body: /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string()),
  skeleton: /* @__PURE__ */ z.nullable(SkeletonSchema),
  skeleton_history: historySchema,
  draft_history: historySchema,
  framework_version: /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.number()),
  generated_examples: /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.array(GeneratedExampleSchema)),
  task_status: TaskStatusSchema,
  created_at: /* @__PURE__ */ z.string(),
  updated_at: /* @__PURE__ */ z.string(),
});

export const SessionEnvelopeSchema = /* @__PURE__ */ z.looseObject({ session: SessionSchema });
export const SessionListEnvelopeSchema = /* @__PURE__ */ z.looseObject({
  sessions: /* @__PURE__ */ z.array(SessionSchema),
});
export const DeleteResultSchema = /* @__PURE__ */ z.looseObject({
  success: /* @__PURE__ */ z.boolean(),
});

export const RunHandleSchema = /* @__PURE__ */ z.looseObject({
  runId: /* @__PURE__ */ checked(/* @__PURE__ */ z.string(), /* @__PURE__ */ z.minLength(1)),
  publicAccessToken: /* @__PURE__ */ z.string(),
});

export const GenerateContentResultSchema = /* @__PURE__ */ z.looseObject({
  session_id: /* @__PURE__ */ z.string(),
  assistant_message: /* @__PURE__ */ z.string(),
  skeleton: /* @__PURE__ */ z.nullable(SkeletonSchema),
  skeleton_updated: /* @__PURE__ */ z.boolean(),
});

// ---- requests -------------------------------------------------------------------------------

const optionalString = /* @__PURE__ */ opt(/* @__PURE__ */ z.string());

/** The name and role fields both lead shapes share (each keeps its own key order around them). */
const leadName = { first_name: optionalString, last_name: optionalString };
const leadRole = { company: optionalString, position: optionalString };

export const LeadSchema = /* @__PURE__ */ z.looseObject({
  ...leadName,
  full_name: optionalString,
  ...leadRole,
  headline: optionalString,
  linkedin_url: optionalString,
  custom_fields: /* @__PURE__ */ opt(looseRecord),
});

export const ContentLeadSchema = /* @__PURE__ */ z.looseObject({
  ...leadName,
  email: optionalString,
  ...leadRole,
  custom_fields: /* @__PURE__ */ opt(looseRecord),
});

export const SequenceContextSchema = /* @__PURE__ */ z.looseObject({
  position: /* @__PURE__ */ opt(nonNegativeInt),
  total_nodes: /* @__PURE__ */ opt(nonNegativeInt),
  prior_nodes: /* @__PURE__ */ opt(/* @__PURE__ */ z.array(looseRecord)),
});

const message = /* @__PURE__ */ checked(
  /* @__PURE__ */ z.string({ error: "must be a string" }),
  /* @__PURE__ */ z.minLength(1, { error: "must not be empty: say what the email should do" }),
);

export const CreateSessionParamsSchema = /* @__PURE__ */ z.strictObject({
  campaign_id: uuid,
  node_id: uuid,
});

export const UpdateSessionParamsSchema = /* @__PURE__ */ z.strictObject({
  title: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string())),
  messages: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.array(MessageSchema))),
  draft_subject: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string())),
  draft_body: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(/* @__PURE__ */ z.string())),
  skeleton: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(SkeletonSchema)),
  skeleton_history: /* @__PURE__ */ opt(historySchema),
  draft_history: /* @__PURE__ */ opt(historySchema),
  framework_version: /* @__PURE__ */ opt(/* @__PURE__ */ z.nullable(nonNegativeInt)),
  generated_examples: /* @__PURE__ */ opt(
    /* @__PURE__ */ z.nullable(/* @__PURE__ */ z.array(GeneratedExampleSchema)),
  ),
  task_status: /* @__PURE__ */ opt(TaskStatusSchema),
});

export const TurnParamsSchema = /* @__PURE__ */ z.strictObject({
  message,
  availableVarNames: /* @__PURE__ */ opt(/* @__PURE__ */ z.array(/* @__PURE__ */ z.string())),
  sampleLeads: /* @__PURE__ */ opt(/* @__PURE__ */ z.array(LeadSchema)),
  sequenceContext: /* @__PURE__ */ opt(SequenceContextSchema),
});

export const GenerateExamplesParamsSchema = /* @__PURE__ */ z.strictObject({
  leads: /* @__PURE__ */ checked(
    /* @__PURE__ */ z.array(LeadSchema),
    /* @__PURE__ */ z.minLength(1, { error: "needs at least one lead (3 to 10 is typical)" }),
  ),
  sequenceContext: /* @__PURE__ */ opt(SequenceContextSchema),
  isFirstBatch: /* @__PURE__ */ opt(/* @__PURE__ */ z.boolean()),
});

export const GenerateContentParamsSchema = /* @__PURE__ */ z.strictObject({
  node_id: uuid,
  message,
  sample_leads: /* @__PURE__ */ opt(/* @__PURE__ */ z.array(ContentLeadSchema)),
  sequence_context: /* @__PURE__ */ opt(SequenceContextSchema),
});

// ---- compile-time ties to generated/ --------------------------------------------------------

type Schemas = components["schemas"];
/** True when A and B are assignable both ways (identical for every practical purpose). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The names of the rows of `T` whose two types are not the {@link Same}. */
export type Disagreeing<T extends Record<string, [unknown, unknown]>> = {
  [K in keyof T]: Same<T[K][0], T[K][1]> extends true ? never : K;
}[keyof T];
/** Fails to compile, naming the row, unless every row agrees (`T` is `never`). */
export type AllAgree<T extends never> = T;
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
/** The generated schema named `K` (never for another name, so that its row fails). */
export type Generated<K> = K extends keyof Schemas ? Schemas[K] : never;
/** `T[F]`, or never when `T` has no key `F`. */
export type Field<T, F> = F extends keyof T ? T[F] : never;

/** Under each generated schema's name: the public type and the zod schema of it. */
type Ties = {
  Message: [Message, typeof MessageSchema];
  GeneratedExample: [GeneratedExample, typeof GeneratedExampleSchema];
  SkeletonBlock: [SkeletonBlock, typeof SkeletonBlockSchema];
  Skeleton: [Skeleton, typeof SkeletonSchema];
  Session: [Session, typeof SessionSchema];
  RunHandle: [Omit<DispatchedRun, "reconciled">, typeof RunHandleSchema];
  GenerateContentResult: [GenerateContentResult, typeof GenerateContentResultSchema];
  Lead: [Lead, typeof LeadSchema];
  ContentLead: [ContentLead, typeof ContentLeadSchema];
  SequenceContext: [SequenceContext, typeof SequenceContextSchema];
  CreateSessionRequest: [CreateSessionParams, typeof CreateSessionParamsSchema];
  UpdateSessionRequest: [UpdateSessionParams, typeof UpdateSessionParamsSchema];
  TurnRequest: [TurnParams, typeof TurnParamsSchema];
  GenerateExamplesRequest: [GenerateExamplesParams, typeof GenerateExamplesParamsSchema];
  GenerateContentRequest: [GenerateContentParams, typeof GenerateContentParamsSchema];
};
/** Under each generated envelope's name: the public type of its value, its schema, its key. */
type Envelopes = {
  SessionEnvelope: [Session, typeof SessionEnvelopeSchema, "session"];
  SessionListEnvelope: [Session[], typeof SessionListEnvelopeSchema, "sessions"];
  DeleteResult: [boolean, typeof DeleteResultSchema, "success"];
};

/**
 * Both ways: for every row, the public interface is the same as the generated type and as the
 * schema's inferred type (index signatures stripped); a failing row is named by `tsc`.
 */
export type SchemaChecks = AllAgree<
  | Disagreeing<{ [K in keyof Ties]: [Ties[K][0], Known<Generated<K>>] }>
  | Disagreeing<{ [K in keyof Ties]: [Ties[K][0], Known<z.infer<Ties[K][1]>>] }>
  | Disagreeing<{
      [K in keyof Envelopes]: [Envelopes[K][0], Known<Field<Generated<K>, Envelopes[K][2]>>];
    }>
  | Disagreeing<{
      [K in keyof Envelopes]: [
        Envelopes[K][0],
        Known<Field<z.infer<Envelopes[K][1]>, Envelopes[K][2]>>,
      ];
    }>
>;

/**
 * Public types of the Puffle API: named interfaces, checked both ways against the types generated
 * from `openapi.yaml` (see the compile-time checks at the end of `schemas.ts`), so the spec, the
 * types and the validators cannot drift. API field names stay snake_case, as the server sends them.
 *
 * What users read has no index signatures: a typo such as `session.draft_subjcet` is a compile
 * error. At run time, responses are still validated leniently and keys a newer server adds are kept
 * on the objects; reach them explicitly with {@link WithUnknownKeys}.
 *
 * @module
 */
import type { RunHandle } from "../base/run-handle";
import type { RunUpdate } from "../realtime/run-update";

/**
 * The busy flag of a session while a task runs: `"chat_processing"` during a turn,
 * `"generating_examples"` during an example run. Any other string a newer server sends is kept as it
 * is and means busy too (the `string & {}` member keeps the two known names in editor hovers and
 * completions). A session's `task_status` is `TaskStatus | null`; `null` means idle.
 *
 * @example
 * ```ts
 * import type { Session, TaskStatus } from "puffle-chat/types";
 * declare const session: Session;
 * const status: TaskStatus | null = session.task_status;
 * if (status === "generating_examples") console.log("examples on the way");
 * ```
 */
export type TaskStatus = "chat_processing" | "generating_examples" | (string & {});

/**
 * A response object as the server sent it, unknown keys included: the SDK keeps every key a newer
 * server adds, and this type is the explicit way to read them (a cast, checked at run time by you).
 *
 * @example
 * ```ts
 * import type { Session, WithUnknownKeys } from "puffle-chat/types";
 * declare const session: Session;
 * const extra = (session as WithUnknownKeys<Session>).brand_new_field; // unknown
 * ```
 */
export type WithUnknownKeys<T> = T & { readonly [key: string]: unknown };

/**
 * A returned object with the request id of the HTTP answer it came from, as a non-enumerable
 * `_request_id` (kept out of `JSON.stringify` and spreads). Absent when the server sent no request
 * id. Lists carry none: use `.withResponse()` for their `requestId`.
 *
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * const puffle = new PuffleClient();
 * const session = await puffle.getSession("3c90c3cc-0d44-4b50-8888-8dd25736052a");
 * console.log(session._request_id); // string | undefined
 * ```
 */
export type WithRequestID<T> = T & {
  /** The request id the server sent with this object (`x-request-id`), when it sent one. */
  readonly _request_id?: string | undefined;
};

/**
 * One message of a session's transcript. Roles other than `user` and `assistant` are kept.
 *
 * @example
 * ```ts
 * import type { Message, Session } from "puffle-chat";
 * declare const session: Session;
 * const last: Message | undefined = session.messages?.at(-1);
 * if (last?.role === "assistant") console.log(last.content);
 * ```
 */
export interface Message {
  /** `"user"` or `"assistant"`; other roles a newer server sends are kept. */
  role: "user" | "assistant" | (string & {});
  /** The text of the message. */
  content: string;
}

/**
 * A per-lead sample email written by an example run.
 *
 * @example
 * ```ts
 * import type { GeneratedExample, Session } from "puffle-chat";
 * declare const session: Session;
 * const examples: GeneratedExample[] = session.generated_examples ?? [];
 * for (const ex of examples) console.log(ex.lead_id, ex.subject);
 * ```
 */
export interface GeneratedExample {
  /** The lead it was written for; missing or `null` when the server did not say. */
  lead_id?: string | null;
  /** The subject line, merge fields filled in. */
  subject: string;
  /** The body, merge fields and blocks filled in. */
  body: string;
}

/**
 * How a {@link SkeletonBlock} is personalised per lead.
 *
 * @example
 * ```ts
 * import type { SkeletonPersonalization } from "puffle-chat/types";
 * const p: SkeletonPersonalization = { fields: ["company"], approach: "mention a recent launch" };
 * ```
 */
export interface SkeletonPersonalization {
  /** Lead fields the block draws on. */
  fields?: string[];
  /** How the block uses them. */
  approach?: string;
  /** What to write when the fields are missing. */
  fallback?: string;
}

/**
 * One block of a {@link Skeleton}.
 *
 * @example
 * ```ts
 * import type { Session, SkeletonBlock } from "puffle-chat/types";
 * declare const session: Session;
 * const names = session.skeleton?.blocks?.map((b: SkeletonBlock) => b.name);
 * ```
 */
export interface SkeletonBlock {
  /** The block's name, as used in `&&…&&` markers. */
  name?: string;
  /** What the block is for. */
  strategy?: string;
  /** How it is personalised. */
  personalization?: SkeletonPersonalization;
}

/**
 * The structure the chat converged on. Every key is optional (unknown keys are kept at run time); in
 * `body`, `%name%` is a merge variable and `&&instruction&&` a block the LLM fills per lead.
 *
 * @example
 * ```ts
 * import type { Session, Skeleton } from "puffle-chat";
 * declare const session: Session;
 * const skeleton: Skeleton | null = session.skeleton;
 * if (skeleton) console.log(skeleton.subject, skeleton.blocks?.length);
 * ```
 */
export interface Skeleton {
  /** The subject template. */
  subject?: string;
  /** The body template, with `%variables%` and `&&blocks&&`. */
  body?: string;
  /** The blocks of the body. */
  blocks?: SkeletonBlock[];
  /** A filled-in example subject. */
  exampleSubject?: string;
  /** A filled-in example body. */
  exampleBody?: string;
}

/**
 * A campaign AI chat session (`ai_chat_sessions` row). Keys a newer server adds are kept at run
 * time; read them through {@link WithUnknownKeys}.
 *
 * @example
 * ```ts
 * import { PuffleClient, type Session } from "puffle-chat";
 * const puffle = new PuffleClient();
 * const session: Session = await puffle.getSession("3c90c3cc-0d44-4b50-8888-8dd25736052a");
 * if (session.task_status === null) console.log(session.draft_subject);
 * ```
 */
export interface Session {
  /** The session id (UUID). */
  id: string;
  /** The owner (UUID). */
  user_id: string;
  /** The campaign (UUID). */
  campaign_id: string;
  /** The campaign sequence node this session drafts the email of (UUID). */
  node_id: string;
  /** Shown in Puffle's UI. */
  title: string | null;
  /** The transcript; `null` until the first turn. */
  messages: Message[] | null;
  /** The current draft subject, with `%variable%` merge fields. */
  draft_subject: string | null;
  /** The current draft body, with `%variable%` merge fields. */
  draft_body: string | null;
  /** The structure the chat converged on; `null` until it has enough context. */
  skeleton: Skeleton | null;
  /** Earlier skeletons (element shape undocumented). */
  skeleton_history: Record<string, unknown>[] | null;
  /** Earlier drafts (element shape undocumented). */
  draft_history: Record<string, unknown>[] | null;
  /** Goes up by one on every skeleton revision. */
  framework_version: number | null;
  /** Per-lead sample emails of the last example runs. */
  generated_examples: GeneratedExample[] | null;
  /** The busy flag: `null` when idle. */
  task_status: TaskStatus | null;
  /** ISO date-time. */
  created_at: string;
  /** ISO date-time. */
  updated_at: string;
}

/**
 * A lead for `runTurn` (`sampleLeads`) and `generateExamples` (`leads`): every field optional;
 * anything else goes in `custom_fields`.
 *
 * @example
 * ```ts
 * import type { Lead } from "puffle-chat";
 * const lead: Lead = { first_name: "Ada", company: "Acme", custom_fields: { industry: "SaaS" } };
 * ```
 */
export interface Lead {
  first_name?: string;
  last_name?: string;
  full_name?: string;
  company?: string;
  position?: string;
  headline?: string;
  linkedin_url?: string;
  /** Any other per-lead data the email may use. */
  custom_fields?: Record<string, unknown>;
}

/**
 * A lead for `generateContent` (`sample_leads`); a different shape from {@link Lead}.
 *
 * @example
 * ```ts
 * import type { ContentLead } from "puffle-chat/types";
 * const lead: ContentLead = { first_name: "Ada", email: "ada@acme.test", company: "Acme" };
 * ```
 */
export interface ContentLead {
  first_name?: string;
  last_name?: string;
  email?: string;
  company?: string;
  position?: string;
  /** Any other per-lead data the email may use. */
  custom_fields?: Record<string, unknown>;
}

/**
 * Where this email sits in the campaign sequence, so follow-ups can acknowledge earlier touches.
 *
 * @example
 * ```ts
 * import type { SequenceContext } from "puffle-chat/types";
 * const sequenceContext: SequenceContext = { position: 2, total_nodes: 4, prior_nodes: [] };
 * ```
 */
export interface SequenceContext {
  /** The position of this email in the sequence (0 or more). */
  position?: number;
  /** How many nodes the sequence has. */
  total_nodes?: number;
  /** The earlier nodes (free-form). */
  prior_nodes?: Record<string, unknown>[];
}

// The run handles are declared in base/ (base/run-handle.ts), beside PuffleError, whose `run`
// names the run an error leaves running; re-exported here with the other public types.
export type { DispatchedRun, ReconciledRun, RunHandle } from "../base/run-handle";

/**
 * The body of `createSession`.
 *
 * @example
 * ```ts
 * import type { CreateSessionParams } from "puffle-chat";
 * const body: CreateSessionParams = {
 *   campaign_id: "3c90c3cc-0d44-4b50-8888-8dd25736052a",
 *   node_id: "5b1e7f6a-2c3d-4e5f-8a9b-0c1d2e3f4a5b",
 * };
 * ```
 */
export interface CreateSessionParams {
  /** The campaign (UUID). */
  campaign_id: string;
  /** The sequence node (UUID). */
  node_id: string;
}

/**
 * The body of `updateSession`: any subset of the writable fields; only present keys are written.
 *
 * @example
 * ```ts
 * import type { UpdateSessionParams } from "puffle-chat";
 * const patch: UpdateSessionParams = { title: "Intro email", task_status: null };
 * ```
 */
export interface UpdateSessionParams {
  title?: string | null;
  messages?: Message[] | null;
  draft_subject?: string | null;
  draft_body?: string | null;
  skeleton?: Skeleton | null;
  skeleton_history?: Record<string, unknown>[] | null;
  draft_history?: Record<string, unknown>[] | null;
  framework_version?: number | null;
  generated_examples?: GeneratedExample[] | null;
  /** `null` clears a stuck busy flag. */
  task_status?: TaskStatus | null;
}

/**
 * The body of `runTurn`: `message` is required and non-empty; the hints improve quality and
 * should be sent on every turn when known.
 *
 * @example
 * ```ts
 * import type { TurnParams } from "puffle-chat";
 * const turn: TurnParams = { message: "Intro for VPs of Sales", availableVarNames: ["first_name"] };
 * ```
 */
export interface TurnParams {
  /** What the email should do, or how to change it. Non-empty. */
  message: string;
  /** The merge variables the email may use (without `%`). */
  availableVarNames?: string[];
  /** A few leads to tailor the draft to. */
  sampleLeads?: Lead[];
  /** Where the email sits in the sequence. */
  sequenceContext?: SequenceContext;
}

/**
 * The body of `generateExamples`. The SDK always sends `isFirstBatch` (default `true`: replace
 * the session's examples; `false` appends).
 *
 * @example
 * ```ts
 * import type { GenerateExamplesParams } from "puffle-chat";
 * const params: GenerateExamplesParams = { leads: [{ first_name: "Ada" }], isFirstBatch: true };
 * ```
 */
export interface GenerateExamplesParams {
  /** One sample email per lead (3 to 10 is typical). */
  leads: Lead[];
  /** Where the email sits in the sequence. */
  sequenceContext?: SequenceContext;
  /** `true` (default) replaces `generated_examples`, `false` appends. */
  isFirstBatch?: boolean;
}

/**
 * The body of `generateContent` (snake_case keys, unlike `runTurn`).
 *
 * @example
 * ```ts
 * import type { GenerateContentParams } from "puffle-chat";
 * const params: GenerateContentParams = { node_id: "5b1e7f6a-2c3d-4e5f-8a9b-0c1d2e3f4a5b", message: "Make it shorter" };
 * ```
 */
export interface GenerateContentParams {
  /** The AI sequence node (UUID). */
  node_id: string;
  /** What the email should do, or how to change it. Non-empty. */
  message: string;
  /** Leads to tailor to; without them the server samples up to 5 of the campaign's leads. */
  sample_leads?: ContentLead[];
  /** Where the email sits in the sequence. */
  sequence_context?: SequenceContext;
}

/**
 * The answer of `generateContent`: the reply of the synchronous turn and the latest skeleton
 * that passed the server's quality gate (or `null`).
 *
 * @example
 * ```ts
 * import { PuffleClient, type GenerateContentResult } from "puffle-chat";
 * const puffle = new PuffleClient();
 * const r: GenerateContentResult = await puffle.generateContent("3c90c3cc-0d44-4b50-8888-8dd25736052a", {
 *   node_id: "5b1e7f6a-2c3d-4e5f-8a9b-0c1d2e3f4a5b",
 *   message: "Make it shorter",
 * });
 * console.log(r.assistant_message, r.skeleton_updated);
 * ```
 */
export interface GenerateContentResult {
  /** The node's session (UUID). */
  session_id: string;
  /** The reply of the turn. */
  assistant_message: string;
  /** The latest skeleton that passed the quality gate, or `null`. */
  skeleton: Skeleton | null;
  /** Whether this turn produced a new skeleton (cached examples were then cleared). */
  skeleton_updated: boolean;
}

/**
 * How a wait went.
 *
 * @example
 * ```ts
 * const { session, mode, requests, elapsedMs } = await puffle.waitForIdleDetailed(id, { run });
 * ```
 *
 * @group Waiting
 */
export interface WaitResult {
  /** The idle session. */
  session: Session;
  /** How the idle state was detected. */
  mode: "realtime" | "poll";
  /** Why realtime was given up for polling, when it was. */
  fallbackReason: string | undefined;
  /** Puffle API requests the wait made (session reads, retries included). */
  requests: number;
  /** Time from the start of the wait to the idle session, in ms. */
  elapsedMs: number;
  /** The first session read, when the task was still running then (the state before it wrote). */
  initial: Session | undefined;
  /** The last run update seen, in realtime mode. */
  run: RunUpdate | undefined;
}

/**
 * What `chat()` resolves with.
 *
 * @example
 * ```ts
 * const { reply, session, skeletonChanged, wait } = await puffle.chat(id, { message });
 * console.log(reply, wait.mode, wait.requests);
 * ```
 *
 * @group Waiting
 */
export interface ChatResult {
  /** The idle session after the turn. */
  session: Session;
  /** The assistant's reply this turn wrote (joined when it wrote several messages), or null. */
  reply: string | null;
  /**
   * Whether the turn produced a new skeleton. `undefined` when the task finished before the
   * SDK's first read, so the state before it is unknown.
   */
  skeletonChanged: boolean | undefined;
  /** The run handle of the turn. */
  run: RunHandle;
  /** How the wait went. */
  wait: {
    mode: "realtime" | "poll";
    fallbackReason: string | undefined;
    /** Puffle API requests of the whole turn, dispatch included. */
    requests: number;
    /** Time of the whole turn, in ms. */
    elapsedMs: number;
  };
}

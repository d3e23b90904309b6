/**
 * Public types of the Puffle API, as aliases over the types generated from `openapi.yaml`.
 * API field names stay snake_case, exactly as the server sends them.
 *
 * @module
 */
import type { components } from "../../generated/openapi";

/**
 * A session's busy flag: `null` when idle, `"chat_processing"` during a turn,
 * `"generating_examples"` during an example run. Any other non-null string a newer server sends
 * is kept as it is and means busy too.
 *
 * @example
 * ```ts
 * const busy: boolean = session.task_status !== null;
 * ```
 */
export type TaskStatus = "chat_processing" | "generating_examples" | (string & {}) | null;

/**
 * One message of a session's transcript. Roles other than `user` and `assistant`, and extra
 * keys, are kept.
 *
 * @example
 * ```ts
 * const last = session.messages?.at(-1); // { role: "assistant", content: "..." }
 * ```
 */
export type Message = components["schemas"]["Message"];

/**
 * A per-lead sample email written by an example run.
 *
 * @example
 * ```ts
 * for (const ex of session.generated_examples ?? []) console.log(ex.lead_id, ex.subject);
 * ```
 */
export type GeneratedExample = components["schemas"]["GeneratedExample"];

/**
 * One block of a {@link Skeleton}.
 *
 * @example
 * ```ts
 * const names = session.skeleton?.blocks?.map((b: SkeletonBlock) => b.name);
 * ```
 */
export type SkeletonBlock = components["schemas"]["SkeletonBlock"];

/**
 * The structure the chat converged on. Every key is optional and unknown keys are kept; in
 * `body`, `%name%` is a merge variable and `&&instruction&&` a block the LLM fills per lead.
 *
 * @example
 * ```ts
 * if (session.skeleton) console.log(session.skeleton.subject, session.skeleton.blocks?.length);
 * ```
 */
export type Skeleton = components["schemas"]["Skeleton"];

/**
 * A campaign AI chat session (`ai_chat_sessions` row). Fields the server adds later are kept.
 *
 * @example
 * ```ts
 * const session: Session = await puffle.getSession(id);
 * if (session.task_status === null) console.log(session.draft_subject);
 * ```
 */
export type Session = components["schemas"]["Session"];

/**
 * A lead for `runTurn` (`sampleLeads`) and `generateExamples` (`leads`): every field optional.
 *
 * @example
 * ```ts
 * const lead: Lead = { first_name: "Ada", company: "Acme", custom_fields: { industry: "SaaS" } };
 * ```
 */
export type Lead = components["schemas"]["Lead"];

/**
 * A lead for `generateContent` (`sample_leads`); a different shape from {@link Lead}.
 *
 * @example
 * ```ts
 * const lead: ContentLead = { first_name: "Ada", email: "ada@acme.test", company: "Acme" };
 * ```
 */
export type ContentLead = components["schemas"]["ContentLead"];

/**
 * Where this email sits in the campaign sequence, so follow-ups can acknowledge earlier touches.
 *
 * @example
 * ```ts
 * const sequenceContext: SequenceContext = { position: 2, total_nodes: 4, prior_nodes: [] };
 * ```
 */
export type SequenceContext = components["schemas"]["SequenceContext"];

/**
 * A dispatched Trigger.dev run as the server answers it: the run id and a short-lived, read-only
 * public token scoped to that one run (safe to hand to a browser).
 *
 * @example
 * ```ts
 * const handle: DispatchedRun = { runId: "run_abc123", publicAccessToken: "tr_pat_..." };
 * ```
 */
export type DispatchedRun = components["schemas"]["RunHandle"];

/**
 * The handle of a dispatch whose answer was lost (connection dropped, timeout) but that the SDK
 * proved happened by reading the session: the task is running, its run id and token are unknown.
 * Waiting on it polls the session. See the exactly-once rule in the README.
 *
 * @example
 * ```ts
 * if (run.reconciled) console.log("dispatched; the answer was lost, so waiting will poll");
 * ```
 */
export interface ReconciledRun {
  runId: null;
  publicAccessToken: null;
  /** Always `true`: the SDK inferred this dispatch from the session's state. */
  reconciled: true;
}

/**
 * What `runTurn` and `generateExamples` resolve with: usually a {@link DispatchedRun}; a
 * {@link ReconciledRun} when the answer was lost after the server acted. Narrow with
 * `run.runId !== null` (or `!run.reconciled`) before subscribing with the token.
 *
 * @example
 * ```ts
 * const run: RunHandle = await puffle.runTurn(id, { message: "Shorter please" });
 * if (run.runId !== null) console.log(run.runId); // safe to hand run to a browser
 * await puffle.waitForIdle(id, { run });
 * ```
 */
export type RunHandle = DispatchedRun | ReconciledRun;

/**
 * The body of `createSession`.
 *
 * @example
 * ```ts
 * const body: CreateSessionParams = { campaign_id, node_id };
 * ```
 */
export type CreateSessionParams = components["schemas"]["CreateSessionRequest"];

/**
 * The body of `updateSession`: any subset of the writable fields; only present keys are written.
 *
 * @example
 * ```ts
 * const patch: UpdateSessionParams = { title: "Intro email", task_status: null };
 * ```
 */
export type UpdateSessionParams = components["schemas"]["UpdateSessionRequest"];

/**
 * The body of `runTurn`: `message` is required and non-empty; the hints improve quality and
 * should be sent on every turn when known.
 *
 * @example
 * ```ts
 * const turn: TurnParams = { message: "Intro for VPs of Sales", availableVarNames: ["first_name"] };
 * ```
 */
export type TurnParams = components["schemas"]["TurnRequest"];

/**
 * The body of `generateExamples`. The SDK always sends `isFirstBatch` (default `true`: replace
 * the session's examples; `false` appends).
 *
 * @example
 * ```ts
 * const params: GenerateExamplesParams = { leads: [{ first_name: "Ada" }], isFirstBatch: true };
 * ```
 */
export type GenerateExamplesParams = components["schemas"]["GenerateExamplesRequest"];

/**
 * The body of `generateContent` (snake_case keys, unlike `runTurn`).
 *
 * @example
 * ```ts
 * const params: GenerateContentParams = { node_id, message: "Make it shorter" };
 * ```
 */
export type GenerateContentParams = components["schemas"]["GenerateContentRequest"];

/**
 * The answer of `generateContent`: the reply of the synchronous turn and the latest skeleton
 * that passed the server's quality gate (or `null`).
 *
 * @example
 * ```ts
 * const r: GenerateContentResult = await puffle.generateContent(campaignId, { node_id, message });
 * console.log(r.assistant_message, r.skeleton_updated);
 * ```
 */
export type GenerateContentResult = components["schemas"]["GenerateContentResult"];

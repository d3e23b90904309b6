/**
 * The public types of the campaign driver: `advanceSession` (one resumable step of one session),
 * its plan and its dispatch store, and `draftCampaign` (every content node of a campaign) with its
 * options, progress events and result.
 *
 * @module
 */
import type { RequestOptions } from "./options";
import type { Lead, RunHandle, SequenceContext, Session } from "./types";

/**
 * Where the driver keeps what must survive a crash: one JSON value per key (`null` clears it).
 * `set` must be durable when its promise resolves: the driver awaits it before every paid POST and
 * sends nothing when it throws. `createFileStore(path)` (`puffle-chat/campaign`) is one for
 * scripts and the command line; a job engine passes its database.
 *
 * @example
 * ```ts
 * import type { DispatchStore } from "puffle-chat/types";
 * const values = new Map<string, unknown>();
 * const store: DispatchStore = {
 *   get: async (key) => values.get(key),
 *   set: async (key, value) => void values.set(key, value),
 * };
 * ```
 */
export interface DispatchStore {
  /** The value stored under `key`, or `undefined` (or `null`) when there is none. */
  get(key: string): Promise<unknown>;
  /** Store `value` (plain JSON) under `key`; `null` clears it. */
  set(key: string, value: unknown): Promise<void>;
}

/**
 * A paid dispatch the driver is about to make, saved in the {@link DispatchStore} before the POST,
 * with the session's state read just before it. A resumed step compares the session with it: the
 * message in the transcript (or new examples) proves the dispatch landed; the session unchanged
 * since (`updated_at`, user messages, examples) after `quietUntil` proves it was never received.
 *
 * @example
 * ```ts
 * import type { DispatchIntent } from "puffle-chat/types";
 * const landed = (intent: DispatchIntent, users: string[]) =>
 *   intent.op === "turn" && users[intent.index ?? -1] === intent.message;
 * ```
 */
export interface DispatchIntent {
  /** The format of this record (1). */
  version: 1;
  sessionId: string;
  op: "turn" | "examples";
  /** The turn's position: the number of user messages the session had before it (turns only). */
  index?: number;
  /** The turn's message (turns only). */
  message?: string;
  /** User messages in the transcript just before the POST. */
  usersBefore: number;
  /** A fingerprint of `generated_examples` just before the POST. */
  examplesBefore: number;
  /** The session's `updated_at` just before the POST. */
  updatedAtBefore: string;
  /** When it was saved (epoch ms). */
  at: number;
  /** Epoch ms after which no request of this dispatch can still be on its way. */
  quietUntil: number;
}

/**
 * What one session should become, as plain JSON (a job payload can carry it): the user messages
 * to send in order, the node type whose lint rule decides when the draft is done, the hints sent
 * with every turn, and the leads of an example run for an `ai` node.
 *
 * @example
 * ```ts
 * import type { AdvancePlan } from "puffle-chat/types";
 * const plan: AdvancePlan = {
 *   nodeType: "email",
 *   messages: ["Intro email for VPs of Sales at SaaS companies", "Proceed on your assumptions.", "Give me the final text."],
 *   availableVarNames: ["first_name", "company"],
 * };
 * ```
 */
export interface AdvancePlan {
  /**
   * `"email"`: done when the draft has no lint error, `&&instruction&&` blocks included (the text
   * is sent as written). `"ai"`: blocks allowed (filled per lead at launch).
   */
  nodeType: "email" | "ai";
  /** The user messages, by position: `messages[i]` is the session's i-th user message. */
  messages: string[];
  /** The most user turns the session may hold before it needs attention. Default: `messages.length`. */
  maxTurns?: number | undefined;
  /** Sent with every turn, and the variables the lint allows. */
  availableVarNames?: string[] | undefined;
  /** Sent with every turn. */
  sampleLeads?: Lead[] | undefined;
  /** Sent with every turn (and with the example run). */
  sequenceContext?: SequenceContext | undefined;
  /** `ai` nodes: once drafted, one example run for these leads (3 to 10). */
  examples?: Lead[] | undefined;
}

/** What the next message is composed from when the plan's messages run out. */
export interface ComposeContext {
  /** The session as just read (idle). */
  session: Session;
  /** The position of the message to compose. */
  index: number;
  nodeType: "email" | "ai";
}

/**
 * Options of `advanceSession`: the request options (`deadline` bounds the whole step, waits
 * included) and the step's own.
 *
 * @example
 * ```ts
 * import type { AdvanceSessionOptions } from "puffle-chat/types";
 * const options: AdvanceSessionOptions = { wait: "block", deadline: 120_000 };
 * ```
 */
export interface AdvanceSessionOptions extends RequestOptions {
  /** Saves each dispatch intent before its POST, so that a step after a crash reconciles it. */
  store?: DispatchStore | undefined;
  /**
   * `"return"` (default): never wait; a busy session gives `status: "busy"` with `retryAfterMs`.
   * `"block"`: wait for idle before planning and after sending, within `deadline` (default 10
   * minutes).
   */
  wait?: "return" | "block" | undefined;
  /**
   * How long after a dispatch intent (or, without a store, after the session's last update) the
   * driver waits before it treats the session as untouched and sends. Default `timeout` + 5 s
   * (65 s). Each dispatch is given `quietPeriod - 5 s` as its deadline, so none outlives it.
   */
  quietPeriod?: number | undefined;
  /**
   * A dispatch whose fate stays unknown (the session changed, no message, no examples):
   * `"needs_attention"` (default) or `"resend"` (may pay twice).
   */
  onUnknown?: "needs_attention" | "resend" | undefined;
  /** Called before every POST (a limiter slot); the step waits for it. */
  acquire?: ((kind: "turn" | "examples") => Promise<void>) | undefined;
  /** Called right before every POST: `false` sends nothing (`status: "needs_attention"`, `not-owner`). */
  stillOwner?: (() => boolean | Promise<boolean>) | undefined;
  /**
   * Composes the message at a position past `plan.messages` (a user's own LLM, a form). Its text
   * is saved with the intent before the POST; after a crash it is recomposed and must match.
   */
  compose?: ((question: string, context: ComposeContext) => string | Promise<string>) | undefined;
}

/**
 * Why a step stopped short of sending, or needs a person.
 * - `session-busy`: a task runs on the session (wait for it; nothing was sent).
 * - `quiet-period`: a dispatch may still be on its way (a crashed run's, or this one's lost answer).
 * - `max-turns`: the session holds `maxTurns` user turns and the draft is not done.
 * - `foreign-turn`: the transcript holds a user message that is not in the plan.
 * - `plan-mismatch`: a composed message differs from the one in the transcript or in the intent.
 * - `dispatch-unknown`: a dispatch whose fate cannot be proven (see `onUnknown`).
 * - `not-owner`: `stillOwner()` said no.
 * - `examples-failed`: the example run ended without examples.
 *
 * @example
 * ```ts
 * import type { AdvanceReason } from "puffle-chat/types";
 * const retryable = (reason: AdvanceReason | null) => reason === "session-busy" || reason === "quiet-period";
 * ```
 */
export type AdvanceReason =
  | "session-busy"
  | "quiet-period"
  | "max-turns"
  | "foreign-turn"
  | "plan-mismatch"
  | "dispatch-unknown"
  | "not-owner"
  | "examples-failed";

/**
 * What one `advanceSession` step did. `sent`: one paid dispatch (`dispatched` says which, `run` its
 * handle; with `wait: "block"`, `session` is idle again). `busy`: nothing sent, call again after
 * `retryAfterMs`. `drafted`: the draft passes the node's lint rule (and an `ai` node has its
 * examples when the plan asked). `needs_attention`: stop, `reason` and `detail` say why.
 *
 * @example
 * ```ts
 * import type { AdvanceResult } from "puffle-chat/types";
 * const next = (r: AdvanceResult) => (r.status === "busy" ? r.retryAfterMs : r.status === "sent" ? 0 : null);
 * ```
 */
export interface AdvanceResult {
  status: "sent" | "busy" | "drafted" | "needs_attention";
  /** The dispatch this step made, or `null`. */
  dispatched: { op: "turn"; index: number; message: string } | { op: "examples" } | null;
  /** The run of that dispatch (a `ReconciledRun` when its answer was lost), or `null`. */
  run: RunHandle | null;
  /** The last session read. */
  session: Session;
  /** `busy`: when to call again, in ms. */
  retryAfterMs: number | null;
  reason: AdvanceReason | null;
  /** One sentence on what happened or what to do. */
  detail: string;
  /** User turns in the transcript after this step. */
  turns: number;
  /** Positions of user messages that repeat the planned message before them (a double dispatch). */
  duplicates: number[];
}

/**
 * How `draftCampaign` answers the assistant's clarifying questions: follow-up messages in order, or
 * a function of the last reply (your own LLM, a form). Default: one follow-up asking it to go on
 * with stated assumptions; an email node's later follow-ups ask for the final text.
 *
 * @example
 * ```ts
 * import type { DraftAnswers } from "puffle-chat/types";
 * const answers: DraftAnswers = (question, { index }) => (index === 1 ? "Decision makers at SaaS firms; goal: a call." : "Final text, please.");
 * ```
 */
export type DraftAnswers =
  | string[]
  | ((question: string, context: ComposeContext) => string | Promise<string>);

/**
 * One `onProgress` event of `draftCampaign`.
 *
 * @example
 * ```ts
 * import type { DraftProgressEvent } from "puffle-chat/types";
 * const log = (e: DraftProgressEvent) => console.log(e.type, e.nodeId, e.turns, e.detail);
 * ```
 */
export interface DraftProgressEvent {
  type:
    | "node_started"
    | "turn_sent"
    | "waiting"
    | "drafted"
    | "finished"
    | "needs_attention"
    | "failed";
  nodeId: string;
  sessionId: string | null;
  /** User turns in the transcript. */
  turns: number;
  detail: string;
}

/**
 * Options of `draftCampaign`. `deadline` bounds the whole call; `timeout`, `maxRetries` and
 * `headers` apply to each request.
 *
 * @example
 * ```ts
 * import type { DraftCampaignOptions } from "puffle-chat/types";
 * const options: DraftCampaignOptions = { brief: "Q3 outreach to VPs of Sales", concurrency: 2, finish: true };
 * ```
 */
export interface DraftCampaignOptions extends RequestOptions {
  /** What the campaign is for: the first turn of every node. Required, non-empty. */
  brief: string;
  /** How clarifying questions are answered. See {@link DraftAnswers}. */
  answers?: DraftAnswers | undefined;
  /** Only these content nodes (ids of email or ai nodes of the campaign). Default: all of them. */
  nodes?: string[] | undefined;
  /** Most user turns per node before it needs attention. Default 4. */
  maxTurnsPerNode?: number | undefined;
  /** Most turns this call sends in all. Default: no limit beyond the per-node one. */
  maxTurns?: number | undefined;
  /** Sessions in flight at once. Default 2. A node starts once every node before it has a draft. */
  concurrency?: number | undefined;
  /** Puffle requests per minute for the whole call (a sliding 60 s window); 429s are honoured too. */
  requestsPerMinute?: number | undefined;
  /** Sent with every turn; the lint's allowed variables. */
  availableVarNames?: string[] | undefined;
  /** Sent with every turn. */
  sampleLeads?: Lead[] | undefined;
  /** Leads to generate examples for, once each `ai` node is drafted. */
  examples?: Lead[] | undefined;
  /** End each drafted node with `finishSession` (email: copy onto the node; then resolve). */
  finish?: boolean | undefined;
  /** Saves dispatch intents (see {@link DispatchStore}); rerun with the same store to resume. */
  store?: DispatchStore | undefined;
  /** See {@link AdvanceSessionOptions.quietPeriod}. */
  quietPeriod?: number | undefined;
  /** See {@link AdvanceSessionOptions.onUnknown}. */
  onUnknown?: "needs_attention" | "resend" | undefined;
  /** Called on every step of every node; an exception thrown here is ignored. */
  onProgress?: ((event: DraftProgressEvent) => void) | undefined;
}

/**
 * One node of a `draftCampaign` result. `drafted`: the draft passes the node's lint rule;
 * `finished`: and `finishSession` ran; `needs_attention`: stopped (`reason`, `error`); `failed`: an
 * error ended it (`error`).
 *
 * @example
 * ```ts
 * import type { DraftNodeResult } from "puffle-chat/types";
 * const line = (n: DraftNodeResult) => `${n.nodeId} ${n.status} after ${n.turns} turns`;
 * ```
 */
export interface DraftNodeResult {
  nodeId: string;
  nodeType: "email" | "ai";
  position: number;
  sessionId: string | null;
  status: "drafted" | "finished" | "needs_attention" | "failed";
  /** Turns this call sent for the node. */
  turnsSent: number;
  /** User turns in the node's transcript (every run included). */
  turns: number;
  draft_subject: string | null;
  draft_body: string | null;
  /** `needs_attention`: why. */
  reason?: AdvanceReason | "stopped" | undefined;
  /** What went wrong, for `needs_attention` and `failed`. */
  error?: string | undefined;
  /** Double dispatches seen in the transcript (see {@link AdvanceResult.duplicates}). */
  duplicates: number[];
}

/**
 * What `draftCampaign` resolves with: every node asked for, in sequence order.
 *
 * @example
 * ```ts
 * import type { DraftCampaignResult } from "puffle-chat/types";
 * const done = (r: DraftCampaignResult) => r.nodes.every((n) => n.status === "drafted" || n.status === "finished");
 * ```
 */
export interface DraftCampaignResult {
  campaignId: string;
  nodes: DraftNodeResult[];
  /** Turns this call sent. */
  turnsSent: number;
  /** Puffle requests this call made (retries included). */
  requests: number;
  elapsedMs: number;
  /** Why the call stopped early (`signal`, `deadline`, `maxTurns`), or `null`. */
  stopped: "signal" | "deadline" | "max-turns" | null;
}

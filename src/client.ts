/**
 * `PuffleClient`, a facade: each method makes one call into resources/ (each operation declared
 * once) or lib/ (the compositions), which check arguments, then options, before sending anything.
 * @module
 */
import { pinSecret } from "./base/redact";
import type { APIPromise } from "./core/api-promise";
import type {
  Campaign,
  CampaignDetail,
  FinishSessionResult,
  GeneratedMessage,
  GenerateMessagesParams,
  GenerateMessagesResult,
  ListGeneratedMessagesQuery,
  SequenceNode,
  SequenceNodePatch,
  UpdateCampaignParams,
  UpdateGeneratedMessageParams,
} from "./core/campaign-types";
import type {
  AdvancePlan,
  AdvanceResult,
  AdvanceSessionOptions,
  DraftCampaignOptions,
  DraftCampaignResult,
} from "./core/draft-types";
import type {
  ChatOptions,
  ClientOptions,
  DispatchOptions,
  FinishSessionOptions,
  GenerateExamplesAndWaitOptions,
  RequestOptions,
  WaitOptions,
} from "./core/options";
import type {
  ChatResult,
  CreateSessionParams,
  GenerateContentParams,
  GenerateContentResult,
  GenerateExamplesParams,
  RunHandle,
  Session,
  TurnParams,
  UpdateSessionParams,
  WaitResult,
  WithRequestID,
} from "./core/types";
import { CLIENT_OPTIONS, checkOptions, DISPATCH_OPTIONS } from "./internal/check-options";
import { resolveOptions } from "./internal/options";
import * as edge from "./lib/context";
import { deleteSession } from "./lib/delete-session";
import { generateContent } from "./lib/generate-content";
import { getOrCreateSession } from "./lib/get-or-create-session";
import * as lazy from "./lib/lazy";
import * as campaigns from "./resources/campaigns";
import { generateContentOp } from "./resources/content";
import * as messages from "./resources/messages";
import * as sessions from "./resources/sessions";

/**
 * The Puffle campaign AI chat client (`PUFFLE_API_KEY` and `PUFFLE_BASE_URL` from the
 * environment unless the options say). Every method validates its arguments before sending,
 * takes `{ signal, timeout, deadline, maxRetries, headers }` last (`timeout`: one attempt;
 * `deadline`: the whole call) and returns an {@link APIPromise}: await it for the data, or call
 * `.withResponse()` / `.asResponse()`.
 * @throws {@link PuffleError} when no API key is found, an option is invalid, or it runs in a
 * browser without `dangerouslyAllowBrowser`.
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * const puffle = new PuffleClient(); // PUFFLE_API_KEY from the environment
 * const session = await puffle.getOrCreateSession({ campaign_id, node_id });
 * const turn = await puffle.chat(session.id, { message: "Intro email for VPs of Sales" });
 * console.log(turn.reply, turn.session.draft_subject);
 * ```
 */
export class PuffleClient {
  /** Settings, transport and session memory (the API key is kept out of enumeration). */
  readonly #state: edge.ClientState;
  constructor(options: ClientOptions = {}) {
    checkOptions("new PuffleClient", "options", options, CLIENT_OPTIONS);
    const o = resolveOptions(options);
    // The key is redacted from every error and log line for as long as this client lives.
    pinSecret(o.apiKey, this);
    this.#state = edge.clientState(o);
  }
  /** The Puffle API host this client talks to. */
  get baseURL(): string {
    return this.#state.settings.baseURL;
  }
  /** The Trigger.dev host realtime subscriptions go to. */
  get triggerBaseURL(): string {
    return this.#state.settings.triggerBaseURL;
  }
  /**
   * Create an empty session for a campaign node (free). Prefer {@link getOrCreateSession}.
   * @throws {@link RequestValidationError} for a malformed UUID; {@link NotFoundError} (not yours).
   * @example
   * ```ts
   * const session = await puffle.createSession({ campaign_id, node_id });
   * ```
   */
  createSession(
    params: CreateSessionParams,
    options?: RequestOptions,
  ): APIPromise<WithRequestID<Session>> {
    return this.#op(sessions.createSessionOp, params, options, sessions.createSession);
  }
  /**
   * The sessions of a campaign, oldest first (no pagination); empty for a campaign not yours.
   * @throws {@link RequestValidationError} for a malformed campaign id.
   * @example
   * ```ts
   * const forNode = (await puffle.listSessions(campaignId)).filter((s) => s.node_id === nodeId);
   * ```
   */
  listSessions(campaignId: string, options?: RequestOptions): APIPromise<Session[]> {
    return this.#op(sessions.listSessionsOp, { campaignId }, options, sessions.listSessions);
  }
  /**
   * Read a session. `task_status` is `null` when it is idle.
   * @throws {@link NotFoundError} when missing or not yours; {@link RequestValidationError}.
   * @example
   * ```ts
   * console.log((await puffle.getSession(id)).task_status ?? "idle");
   * ```
   */
  getSession(sessionId: string, options?: RequestOptions): APIPromise<WithRequestID<Session>> {
    return this.#op(sessions.getSessionOp, { sessionId }, options, sessions.getSession);
  }
  /**
   * Write some fields of a session; only the keys present are written. It does not check for a
   * running task, so it can race with one. Overwriting `skeleton` clears `generated_examples`;
   * `{ task_status: null }` clears a stuck busy flag.
   * @throws {@link RequestValidationError} for an unknown key or wrong type; {@link NotFoundError}.
   * @example
   * ```ts
   * await puffle.updateSession(id, { title: "Intro email", draft_subject: "Quick question, %first_name%" });
   * ```
   */
  updateSession(
    sessionId: string,
    patch: UpdateSessionParams,
    options?: RequestOptions,
  ): APIPromise<WithRequestID<Session>> {
    const args = { sessionId, patch };
    return this.#op(sessions.updateSessionOp, args, options, sessions.updateSession);
  }
  /**
   * Delete a session (a task it runs still completes); a retry that finds it gone after a lost
   * answer counts as done.
   * @throws {@link NotFoundError} when it does not exist or is not yours.
   * @example
   * ```ts
   * await puffle.deleteSession(id);
   * ```
   */
  deleteSession(sessionId: string, options?: RequestOptions): APIPromise<void> {
    return this.#op(sessions.deleteSessionOp, { sessionId }, options, deleteSession);
  }
  /**
   * Send one chat turn; the answer is a run handle to {@link waitForIdle} on ({@link chat} does
   * both). A paid turn is sent at most once: again only when the failure proves it was not
   * processed (429, a dispatch 500, a refused connection, a 409 with `onBusy: "wait"`). After a
   * lost answer the session is read: this turn's message there gives a {@link ReconciledRun};
   * otherwise {@link DispatchUnknownError} (or, with `onUnknown: "resend"`, a resend). See README
   * "Retries and at-most-once turns".
   * @throws {@link SessionBusyError} (unless `onBusy: "wait"`); {@link DispatchUnknownError};
   * {@link RequestValidationError} (nothing sent); {@link NotFoundError};
   * {@link InsufficientCreditsError}. `error.dispatch` says `"sent"`, `"not_sent"` or `"unknown"`.
   * @example
   * ```ts
   * const run = await puffle.runTurn(id, { message: "Intro email for VPs of Sales", availableVarNames: ["first_name", "company"] });
   * const session = await puffle.waitForIdle(id, { run });
   * ```
   */
  runTurn(
    sessionId: string,
    turn: TurnParams,
    options?: DispatchOptions,
  ): APIPromise<WithRequestID<RunHandle>> {
    const args = { sessionId, turn };
    return this.#op(sessions.runTurnOp, args, options, lazy.runTurn, DISPATCH_OPTIONS);
  }
  /**
   * Start an example run: one sample email per lead (3 to 10). Needs a skeleton. `isFirstBatch`
   * (always sent) `true` (default) replaces the examples, `false` appends. The rule and options
   * of {@link runTurn}; a lost answer is reconciled only when this client saw the session idle
   * (within 30 s) just before sending.
   * @throws {@link SkeletonRequiredError}; {@link SessionBusyError}; {@link RequestValidationError}.
   * @example
   * ```ts
   * const run = await puffle.generateExamples(id, { leads: [{ first_name: "Ada", company: "Acme" }] });
   * console.log((await puffle.waitForIdle(id, { run })).generated_examples);
   * ```
   */
  generateExamples(
    sessionId: string,
    params: GenerateExamplesParams,
    options?: DispatchOptions,
  ): APIPromise<WithRequestID<RunHandle>> {
    const [op, args] = [sessions.generateExamplesOp, { sessionId, params }];
    return this.#op(op, args, options, lazy.generateExamples, DISPATCH_OPTIONS);
  }
  /**
   * One synchronous framework-chat turn for an AI node (its session found or created): the reply
   * and the latest skeleton. Minutes long: timeout `generateContentTimeout` (10 min). Retried on
   * 429 only; `error.dispatch` is `"not_sent"` for a 4xx, else `"unknown"` (never re-sent).
   * @throws {@link BadRequestError} when the campaign is not a draft or the node not its `ai`
   * node; {@link NotFoundError}; {@link SessionBusyError}; {@link RequestValidationError}.
   * @example
   * ```ts
   * const result = await puffle.generateContent(campaignId, { node_id, message: "Shorter, please" });
   * ```
   */
  generateContent(
    campaignId: string,
    params: GenerateContentParams,
    options?: RequestOptions,
  ): APIPromise<WithRequestID<GenerateContentResult>> {
    return this.#op(generateContentOp, { campaignId, params }, options, generateContent);
  }
  /**
   * The session of a campaign node: the oldest existing one, else a new one (concurrent callers
   * converge on one session, whether the server refuses a duplicate create or allows it).
   * @throws {@link NotFoundError} for a campaign or node not yours; {@link RequestValidationError}.
   * @example
   * ```ts
   * const session = await puffle.getOrCreateSession({ campaign_id, node_id });
   * ```
   */
  getOrCreateSession(params: CreateSessionParams, options?: RequestOptions): APIPromise<Session> {
    const [op, name] = [sessions.createSessionOp, "getOrCreateSession"];
    return this.#op(op, params, options, getOrCreateSession, undefined, name);
  }
  /**
   * Wait until a session is idle (`task_status` null). With a run handle it follows the run in
   * realtime (polling on any feed trouble), else it polls every 2-5 s. `deadline` bounds the
   * wait, `timeout` each read.
   * @throws {@link WaitTimeoutError} at the `deadline` (default 10 minutes), with the run and the
   * last session seen; {@link TaskFailedError} when the run failed; {@link APIUserAbortError} on
   * abort; {@link NotFoundError} / {@link AuthenticationError} from the session reads.
   * @example
   * ```ts
   * const run = await puffle.runTurn(id, { message });
   * const session = await puffle.waitForIdle(id, { run, deadline: 120_000 });
   * ```
   */
  waitForIdle(sessionId: string, options: WaitOptions = {}): APIPromise<Session> {
    const run = async (ctx: edge.MethodContext, id: string) =>
      (await lazy.waitForIdleDetailed(ctx, id, options)).session;
    return edge.runWait(this.#state, "waitForIdle", sessionId, options, run);
  }
  /**
   * {@link waitForIdle}, also saying how the wait went (mode, fallback, requests, time).
   * @throws the same errors as {@link waitForIdle}.
   * @example
   * ```ts
   * const { session, mode, requests, fallbackReason } = await puffle.waitForIdleDetailed(id, { run });
   * ```
   */
  waitForIdleDetailed(sessionId: string, options: WaitOptions = {}): APIPromise<WaitResult> {
    return edge.runWait(this.#state, "waitForIdleDetailed", sessionId, options, (ctx, id) =>
      lazy.waitForIdleDetailed(ctx, id, options),
    );
  }
  /**
   * {@link runTurn} then {@link waitForIdle}: the idle session, this turn's reply, whether the
   * skeleton changed, and how the wait went.
   * @throws everything {@link runTurn} and {@link waitForIdle} throw.
   * @example
   * ```ts
   * const turn = await puffle.chat(id, { message: "Shorter, and mention SOC 2" });
   * if (turn.skeletonChanged) console.log(turn.reply, turn.session.skeleton);
   * ```
   */
  chat(sessionId: string, turn: TurnParams, options: ChatOptions = {}): APIPromise<ChatResult> {
    return edge.runMethod(this.#state, (ctx) => lazy.chat(ctx, sessionId, turn, options));
  }
  /**
   * {@link generateExamples} then {@link waitForIdle}: the idle session with its new examples.
   * @throws everything {@link generateExamples} and {@link waitForIdle} throw.
   * @example
   * ```ts
   * const { generated_examples } = await puffle.generateExamplesAndWait(id, { leads });
   * ```
   */
  generateExamplesAndWait(
    sessionId: string,
    params: GenerateExamplesParams,
    options: GenerateExamplesAndWaitOptions = {},
  ): APIPromise<Session> {
    const run = (ctx: edge.MethodContext) =>
      lazy.generateExamplesAndWait(ctx, sessionId, params, options);
    return edge.runMethod(this.#state, run);
  }
  /**
   * Read a campaign, its sequence nodes in position order, and prospect counts by status and
   * node. Inferred: 404 for a campaign you do not own.
   * @throws {@link NotFoundError}; {@link RequestValidationError} for a malformed id.
   * @example
   * ```ts
   * const { campaign, sequence_nodes } = await puffle.getCampaign(campaignId);
   * ```
   */
  getCampaign(campaignId: string, options?: RequestOptions): APIPromise<CampaignDetail> {
    return this.#op(campaigns.getCampaignOp, { campaignId }, options, campaigns.getCampaign);
  }
  /**
   * Write some fields of one sequence node of a draft campaign (the keys present that apply to
   * its type); resolves with the refreshed node. A PUT of absolute values: retried like a GET.
   * @throws {@link BadRequestError} when not a draft; {@link NotFoundError} for an unknown node;
   * {@link RequestValidationError} for a bad id, unknown key (`type`, `position` too) or type.
   * @example
   * ```ts
   * const node = await puffle.updateSequenceNode(campaignId, nodeId, { subject: "Quick question, %first_name%", body: "Hi %first_name%, ..." });
   * ```
   */
  updateSequenceNode(
    campaignId: string,
    nodeId: string,
    patch: SequenceNodePatch,
    options?: RequestOptions,
  ): APIPromise<SequenceNode> {
    const [op, args] = [campaigns.updateSequenceNodeOp, { campaignId, nodeId, patch }];
    return this.#op(op, args, options, campaigns.updateSequenceNode);
  }
  /**
   * Update a campaign: the fields present (a non-draft ignores the draft-only ones). A PATCH
   * with `sequence_nodes` (every node, `end` too) replaces the sequence and is not retried
   * blindly: after a lost answer the campaign is read back, resent only if it lacks the sequence.
   * @throws {@link BadRequestError} for delay totals outside 1 minute to 30 days (nothing
   * written); {@link NotFoundError}; {@link ConflictError} for a duplicate name (inferred);
   * {@link RequestValidationError} (nothing sent).
   * @example
   * ```ts
   * const campaign = await puffle.updateCampaign(campaignId, { name: "Q3 outreach", daily_limit: 200 });
   * ```
   */
  updateCampaign(
    campaignId: string,
    params: UpdateCampaignParams,
    options?: RequestOptions,
  ): APIPromise<Campaign> {
    const args = { campaignId, params };
    return this.#op(campaigns.updateCampaignOp, args, options, lazy.updateCampaign);
  }
  /**
   * Draft campaigns only. `resolve` (free, safe to re-run): render one draft per prospect and
   * non-AI node (manual edits kept) and copy AI sessions' examples onto matching prospects.
   * `generate_ai` (paid, `{ node_id, prospect_ids? }` inferred): queue AI generation; sent once.
   * @throws {@link InsufficientCreditsError} (402) for `generate_ai` without credits;
   * {@link GenerateMessagesUnknownError} when a `generate_ai` answer was lost (not sent again);
   * {@link BadRequestError} when the campaign is not a draft (inferred status);
   * {@link NotFoundError}; {@link RequestValidationError} (nothing sent).
   * @example
   * ```ts
   * const result = await puffle.generateCampaignMessages(campaignId, { action: "resolve" });
   * ```
   */
  generateCampaignMessages(
    campaignId: string,
    params: GenerateMessagesParams,
    options?: RequestOptions,
  ): APIPromise<GenerateMessagesResult> {
    const args = { campaignId, params };
    return this.#op(messages.generateMessagesInput, args, options, lazy.generateMessages);
  }
  /**
   * A campaign's generated messages: drafts by default, `status: "all"`, `prospect_id` filter.
   * @throws {@link NotFoundError}; {@link RequestValidationError} for a bad id or status.
   * @example
   * ```ts
   * const drafts = await puffle.listGeneratedMessages(campaignId, { status: "draft" });
   * ```
   */
  listGeneratedMessages(
    campaignId: string,
    query: ListGeneratedMessagesQuery = {},
    options?: RequestOptions,
  ): APIPromise<GeneratedMessage[]> {
    const [op, args] = [messages.listGeneratedMessagesOp, { campaignId, query }];
    return this.#op(op, args, options, messages.listGeneratedMessages);
  }
  /**
   * Edit one draft generated message (`subject`, `body_text` or both); only drafts are editable.
   * Inferred: the edit marks it `manually_edited`, so `resolve` leaves it alone.
   * @throws {@link BadRequestError} when the message is pending or sent (inferred status);
   * {@link NotFoundError} for an unknown message (inferred); {@link RequestValidationError}.
   * @example
   * ```ts
   * const message = await puffle.updateGeneratedMessage(campaignId, { message_id: messageId, subject: "Better subject" });
   * ```
   */
  updateGeneratedMessage(
    campaignId: string,
    params: UpdateGeneratedMessageParams,
    options?: RequestOptions,
  ): APIPromise<GeneratedMessage> {
    const [op, args] = [messages.updateGeneratedMessageOp, { campaignId, params }];
    return this.#op(op, args, options, messages.updateGeneratedMessage);
  }
  /**
   * From a finished chat to launch-ready drafts: checks the session idle, the campaign a draft,
   * the node in its sequence; an `email` node's draft is linted (unfilled `&&instruction&&`
   * refused unless told) and copied verbatim with {@link updateSequenceNode} (`via:
   * "updateCampaign"`: the whole-sequence PATCH, read back); an `ai` node needs
   * `generated_examples`; then `resolve`. Resolves with a step-by-step report.
   * @throws {@link FinishSessionError} when it refuses (`reason` says why, `steps` what was
   * done); the errors of the calls it makes ({@link NotFoundError}, {@link BadRequestError}, ...);
   * {@link RequestValidationError} for a bad id; {@link PuffleError} for bad options.
   * @example
   * ```ts
   * for (const s of (await puffle.finishSession(sessionId)).steps) console.log(s.step, s.outcome);
   * ```
   */
  finishSession(
    sessionId: string,
    options: FinishSessionOptions = {},
  ): APIPromise<FinishSessionResult> {
    return edge.runMethod(this.#state, (ctx) => lazy.finishSession(ctx, sessionId, options));
  }
  /**
   * Draft every email and ai node of a draft campaign; rerun to resume. @throws {@link NotFoundError}
   * @example `const { nodes } = await puffle.draftCampaign(campaignId, { brief: "Q3 outreach" });`
   */
  draftCampaign(
    campaignId: string,
    options: DraftCampaignOptions,
  ): APIPromise<DraftCampaignResult> {
    return edge.runMethod(this.#state, () => lazy.draftCampaign(this.#state, campaignId, options));
  }
  /**
   * One step of a session's plan for job engines: at most one paid dispatch, never past `deadline`.
   * @example `const step = await puffle.advanceSession(id, { nodeType: "ai", messages: [brief] });`
   */
  advanceSession(
    id: string,
    plan: AdvancePlan,
    options: AdvanceSessionOptions = {},
  ): APIPromise<AdvanceResult> {
    return edge.runMethod(this.#state, (ctx) => lazy.advanceSession(ctx, id, plan, options));
  }
  /** One operation's method: its arguments, then its options, checked; then `run`. */
  #op<A, R>(...call: edge.OperationCall<A, R>): APIPromise<R> {
    return edge.runOperation(this.#state, ...call);
  }
}

/**
 * `PuffleClient`: one method per operation of the Puffle API, plus the high-level helpers
 * (`getOrCreateSession`, `waitForIdle`, `chat`, `generateExamplesAndWait`).
 *
 * @module
 */

import * as z from "zod/mini";
import { PuffleError } from "./base/puffle-error";
import { pinSecret, registerSecret } from "./base/redact";
import { APIPromise } from "./core/api-promise";
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
import { isAPIError } from "./core/errors/api-error";
import { isConflictError } from "./core/errors/conflict-error";
import { isNotFoundError } from "./core/errors/not-found-error";
import type {
  ChatOptions,
  ClientOptions,
  DispatchOptions,
  FinishSessionOptions,
  GenerateExamplesAndWaitOptions,
  RequestOptions,
  WaitOptions,
} from "./core/options";
import {
  CreateSessionParamsSchema,
  DeleteResultSchema,
  GenerateContentParamsSchema,
  GenerateContentResultSchema,
  GenerateExamplesParamsSchema,
  RunHandleSchema,
  SessionEnvelopeSchema,
  SessionListEnvelopeSchema,
  TurnParamsSchema,
  UpdateSessionParamsSchema,
} from "./core/schemas";
import type {
  ChatResult,
  CreateSessionParams,
  DispatchedRun,
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
import {
  CHAT_OPTIONS,
  CLIENT_OPTIONS,
  checkOptions,
  DISPATCH_OPTIONS,
  REQUEST_OPTIONS,
  type Spec,
  WAIT_OPTIONS,
} from "./internal/check-options";
import {
  type CallOptions,
  type CallResult,
  type CallSpec,
  call,
  type TransportConfig,
} from "./internal/http";
import {
  checkCount,
  checkDuration,
  type ResolvedOptions,
  resolveOptions,
} from "./internal/options";
import { validate, validateId, validateIdAndBody } from "./internal/validate";
import {
  type CampaignContext,
  generateCampaignMessages,
  getCampaign,
  listGeneratedMessages,
  updateCampaign,
  updateGeneratedMessage,
  updateSequenceNode,
} from "./lib/campaigns";
import { chatOnce, withBudget } from "./lib/chat";
import {
  DEFAULT_RECONCILE_TIMEOUT_MS,
  dispatchAtMostOnce,
  mark,
  SessionMemory,
} from "./lib/dispatch";
import { type FinishContext, finishSession } from "./lib/finish-session";
import { type WaitContext, waitForIdleDetailed } from "./lib/wait-for-idle";

const SESSIONS = "/api/campaigns/ai-chat-sessions";

/** How one method call makes its HTTP calls (and remembers the last answer). */
interface IO {
  call<T>(spec: CallSpec<T>): Promise<CallResult<T>>;
  /** Record an answer that did not come through `call` (a tolerated error). */
  answered(response: Response, requestId: string | undefined): void;
}

/**
 * The Puffle campaign AI chat client. Reads `PUFFLE_API_KEY` and `PUFFLE_BASE_URL` from the
 * environment when the options do not say. Every method validates its arguments before sending
 * anything and takes `{ signal, timeout, deadline, maxRetries, headers }` as its last argument
 * (`timeout`: one attempt; `deadline`: the whole call). Every method returns an
 * {@link APIPromise}: await it for the data, or call `.withResponse()` / `.asResponse()`.
 *
 * @throws {@link PuffleError} when no API key is found, an option is invalid, or it runs in a
 * browser without `dangerouslyAllowBrowser`.
 *
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
  /** The resolved settings (the API key is kept out of enumeration and serialisation). */
  readonly #options: ResolvedOptions;
  readonly #transport: TransportConfig;
  /** What this client last saw of each session (the state before a dispatch, for reconciling). */
  readonly #memory = new SessionMemory();

  constructor(options: ClientOptions = {}) {
    checkOptions("new PuffleClient", "options", options, CLIENT_OPTIONS);
    this.#options = resolveOptions(options);
    const o = this.#options;
    // The key is redacted from every error and log line for as long as this client lives.
    pinSecret(o.apiKey, this);
    this.#transport = {
      apiKey: o.apiKey,
      baseURL: o.baseURL,
      fetch: o.fetch,
      timeout: o.timeout,
      maxRetries: o.maxRetries,
      headers: o.headers,
      logger: o.logger,
      maxRetryAfterMs: o.maxRetryAfter,
      retryBaseDelayMs: o.retryDelay,
      retryMaxDelayMs: o.retryMaxDelay,
    };
  }

  /** The Puffle API host this client talks to. */
  get baseURL(): string {
    return this.#options.baseURL;
  }

  /** The Trigger.dev host realtime subscriptions go to. */
  get triggerBaseURL(): string {
    return this.#options.triggerBaseURL;
  }

  /**
   * Create an empty session for a campaign and one of its sequence nodes. No LLM call, no cost.
   * Prefer {@link getOrCreateSession}: Puffle keeps one session per node.
   *
   * @throws {@link RequestValidationError} for a malformed UUID (nothing sent);
   * {@link NotFoundError} when the campaign is not yours or the node is not in it.
   *
   * @example
   * ```ts
   * const session = await puffle.createSession({ campaign_id, node_id });
   * ```
   */
  createSession(
    params: CreateSessionParams,
    options?: RequestOptions,
  ): APIPromise<WithRequestID<Session>> {
    return this.#api(async (io) => {
      const body = validate("createSession", CreateSessionParamsSchema, params);
      const result = await io.call({
        operation: "createSession",
        method: "POST",
        path: SESSIONS,
        body,
        retry: "post",
        schema: SessionEnvelopeSchema,
        options: this.#requestOptions("createSession", options),
      });
      return withRequestId(result.data.session, result.requestId);
    });
  }

  /**
   * The sessions of a campaign, oldest first (no pagination). A campaign you do not own gives an
   * empty list.
   *
   * @throws {@link RequestValidationError} for a malformed campaign id (nothing sent).
   *
   * @example
   * ```ts
   * const sessions = await puffle.listSessions(campaignId);
   * const forNode = sessions.filter((s) => s.node_id === nodeId);
   * ```
   */
  listSessions(campaignId: string, options?: RequestOptions): APIPromise<Session[]> {
    return this.#api(async (io) => {
      const id = validateId("listSessions", "campaignId", campaignId);
      const result = await io.call({
        operation: "listSessions",
        method: "GET",
        path: SESSIONS,
        query: { campaign_id: id },
        retry: "idempotent",
        schema: SessionListEnvelopeSchema,
        options: this.#requestOptions("listSessions", options),
      });
      return result.data.sessions;
    });
  }

  /**
   * Read a session. `task_status` is `null` when it is idle.
   *
   * @throws {@link NotFoundError} when it does not exist or is not yours;
   * {@link RequestValidationError} for a malformed id (nothing sent).
   *
   * @example
   * ```ts
   * const session = await puffle.getSession(id);
   * console.log(session.task_status ?? "idle", session.draft_subject);
   * ```
   */
  getSession(sessionId: string, options?: RequestOptions): APIPromise<WithRequestID<Session>> {
    return this.#api(async (io) => {
      const id = validateId("getSession", "sessionId", sessionId);
      return this.#getSession(io, id, this.#requestOptions("getSession", options));
    });
  }

  /** @internal getSession without re-validation, with a request counter. */
  async #getSession(
    io: IO,
    id: string,
    options: CallOptions | undefined,
    onRequest?: () => void,
  ): Promise<WithRequestID<Session>> {
    const result = await io.call({
      operation: "getSession",
      method: "GET",
      path: `${SESSIONS}/${id}`,
      retry: "idempotent",
      schema: SessionEnvelopeSchema,
      options,
      onRequest,
    });
    this.#memory.note(id, result.data.session);
    return withRequestId(result.data.session, result.requestId);
  }

  /**
   * Write some fields of a session; only the keys present are written. It does not check for a
   * running task, so it can race with one. Overwriting `skeleton` clears `generated_examples`.
   * `{ task_status: null }` clears a stuck busy flag.
   *
   * @throws {@link RequestValidationError} for an unknown key or a wrong type (nothing sent);
   * {@link NotFoundError} when the session is not yours.
   *
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
    return this.#api(async (io) => {
      const { id, body } = validateIdAndBody(
        "updateSession",
        { name: "sessionId", value: sessionId },
        { name: "patch", schema: UpdateSessionParamsSchema, value: patch },
      );
      const result = await io.call({
        operation: "updateSession",
        method: "PATCH",
        path: `${SESSIONS}/${id}`,
        body,
        retry: "idempotent",
        schema: SessionEnvelopeSchema,
        options: this.#requestOptions("updateSession", options),
      });
      this.#memory.note(id, result.data.session);
      return withRequestId(result.data.session, result.requestId);
    });
  }

  /**
   * Delete a session for good. A task it runs is not cancelled and still runs to completion.
   * When an earlier attempt's answer was lost and a retry then finds the session gone, the delete
   * counts as done.
   *
   * @throws {@link NotFoundError} when it does not exist or is not yours.
   *
   * @example
   * ```ts
   * await puffle.deleteSession(id);
   * ```
   */
  deleteSession(sessionId: string, options?: RequestOptions): APIPromise<void> {
    return this.#api(async (io) => {
      const id = validateId("deleteSession", "sessionId", sessionId);
      try {
        await io.call({
          operation: "deleteSession",
          method: "DELETE",
          path: `${SESSIONS}/${id}`,
          retry: "idempotent",
          // Any 2xx is success (API.md); a 204 with no body is one too.
          schema: z.optional(DeleteResultSchema),
          options: this.#requestOptions("deleteSession", options),
        });
      } catch (error) {
        // A retried DELETE that finds nothing: an earlier attempt deleted it and its answer was lost.
        if (isNotFoundError(error) && error.retries > 0) {
          io.answered(new Response(null, { status: 404, headers: error.headers }), error.requestId);
          return;
        }
        throw error;
      }
    });
  }

  /**
   * Send one chat turn. The server claims the session and answers at once with a run handle;
   * wait with {@link waitForIdle} (or use {@link chat}, which does both). A turn costs money, so
   * it is sent at most once: it is sent again only when the failure proves it was not processed
   * (429, a dispatch 500, a refused connection, a 409 with `onBusy: "wait"`). When its answer is
   * lost (dropped connection, timeout, gateway 502/503/504), the SDK reads the session: this
   * turn's message in the transcript proves it was dispatched and a {@link ReconciledRun} is
   * returned; otherwise it throws {@link DispatchUnknownError} (or, with `onUnknown: "resend"`,
   * sends again). See README "Retries and at-most-once turns" for the table of cases.
   *
   * @throws {@link SessionBusyError} when the session already runs a task (unless
   * `onBusy: "wait"`); {@link DispatchUnknownError} when its answer was lost and the session does
   * not show it; {@link RequestValidationError} for an empty message or a bad id (nothing
   * sent); {@link NotFoundError}; {@link InsufficientCreditsError}. Every error of a dispatch
   * says in `error.dispatch` whether it was `"sent"`, `"not_sent"` or `"unknown"`.
   *
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
    return this.#api(async (io) => {
      const { id, body } = validateIdAndBody(
        "runTurn",
        { name: "sessionId", value: sessionId },
        { name: "turn", schema: TurnParamsSchema, value: turn },
      );
      return this.#dispatch(io, "runTurn", id, "turn", body, options);
    });
  }

  /**
   * Start an example run: one sample email per lead (keep it to a handful, 3 to 10). Needs a
   * skeleton. `isFirstBatch` is always sent: `true` (default) replaces the session's examples,
   * `false` appends. Same at-most-once rule and options as {@link runTurn}; an example run leaves no message to look for, so after a lost answer it is reconciled only when this client saw the session idle (within 30 s) just before sending.
   *
   * @throws {@link SkeletonRequiredError} when the session has no skeleton yet;
   * {@link SessionBusyError}; {@link RequestValidationError} (nothing sent).
   *
   * @example
   * ```ts
   * const run = await puffle.generateExamples(id, { leads: [{ first_name: "Ada", company: "Acme" }] });
   * const session = await puffle.waitForIdle(id, { run });
   * console.log(session.generated_examples);
   * ```
   */
  generateExamples(
    sessionId: string,
    params: GenerateExamplesParams,
    options?: DispatchOptions,
  ): APIPromise<WithRequestID<RunHandle>> {
    return this.#api(async (io) => {
      const { id, body } = validateIdAndBody(
        "generateExamples",
        { name: "sessionId", value: sessionId },
        { name: "params", schema: GenerateExamplesParamsSchema, value: params },
      );
      return this.#dispatch(
        io,
        "generateExamples",
        id,
        "generate-examples",
        { ...body, isFirstBatch: body.isFirstBatch ?? true },
        options,
      );
    });
  }

  /**
   * Run one synchronous framework-chat turn for an AI node: finds or creates the node's session,
   * runs the turn inline and returns the reply and the latest skeleton. It can take minutes, so
   * its timeout defaults to 10 minutes (`generateContentTimeout`). Retried only on 429.
   *
   * @throws {@link BadRequestError} when the campaign is not a draft or the node is not an `ai`
   * node of it; {@link NotFoundError}; {@link SessionBusyError}; {@link RequestValidationError}.
   * Its errors say in `error.dispatch` whether the turn may have run: `"not_sent"` for a 4xx
   * answer, `"unknown"` otherwise (a lost answer is never re-sent: the turn is paid).
   *
   * @example
   * ```ts
   * const result = await puffle.generateContent(campaignId, { node_id, message: "Shorter, please" });
   * console.log(result.assistant_message, result.skeleton_updated);
   * ```
   */
  generateContent(
    campaignId: string,
    params: GenerateContentParams,
    options?: RequestOptions,
  ): APIPromise<WithRequestID<GenerateContentResult>> {
    return this.#api(async (io) => {
      const { id, body } = validateIdAndBody(
        "generateContent",
        { name: "campaignId", value: campaignId },
        { name: "params", schema: GenerateContentParamsSchema, value: params },
      );
      const requestOptions = this.#requestOptions("generateContent", options);
      const result = await io
        .call({
          operation: "generateContent",
          method: "POST",
          path: `/api/campaigns/${id}/generate-content`,
          body,
          retry: "post",
          schema: GenerateContentResultSchema,
          options: {
            ...requestOptions,
            timeout: requestOptions?.timeout ?? this.#options.generateContentTimeout,
          },
        })
        .catch((error: unknown) => {
          // A paid turn too: say whether it may have run (never re-sent after an unknown fate).
          throw mark(error, isAPIError(error) && error.status < 500 ? "not_sent" : "unknown");
        });
      return withRequestId(result.data, result.requestId);
    });
  }

  /**
   * The session of a campaign node: the oldest existing one, or a new one. Lists first (cheap,
   * no side effects); creates only when none exists; and tolerates a server that refuses a
   * duplicate create (409) as well as one that allows it (it then returns the oldest, so
   * concurrent callers converge on one session).
   *
   * @throws {@link NotFoundError} when the campaign is not yours or the node is not in it;
   * {@link RequestValidationError} for malformed ids.
   *
   * @example
   * ```ts
   * const session = await puffle.getOrCreateSession({ campaign_id, node_id });
   * ```
   */
  getOrCreateSession(params: CreateSessionParams, options?: RequestOptions): APIPromise<Session> {
    return this.#api(async (io) => {
      const body = validate("getOrCreateSession", CreateSessionParamsSchema, params);
      // One deadline for the whole method: every call below shares it.
      const shared = this.#requestOptions("getOrCreateSession", options);
      const list = async () =>
        (
          await io.call({
            operation: "listSessions",
            method: "GET",
            path: SESSIONS,
            query: { campaign_id: body.campaign_id },
            retry: "idempotent",
            schema: SessionListEnvelopeSchema,
            options: shared,
          })
        ).data.sessions;
      const pick = (sessions: Session[]) =>
        sessions.find((s) => s.node_id.toLowerCase() === body.node_id.toLowerCase());
      const existing = pick(await list());
      if (existing) return existing;
      try {
        const created = (
          await io.call({
            operation: "createSession",
            method: "POST",
            path: SESSIONS,
            body,
            retry: "post",
            schema: SessionEnvelopeSchema,
            options: shared,
          })
        ).data.session;
        // A server that allows duplicates: whoever created first wins, so concurrent callers agree.
        const oldest = pick(await list());
        return oldest ?? created;
      } catch (error) {
        if (!isConflictError(error)) throw error;
        const raced = pick(await list());
        if (raced) return raced;
        throw error;
      }
    });
  }

  /**
   * Wait until a session is idle again (`task_status` null) and resolve with it. With a run
   * handle it follows the run in realtime (falling back to polling on any feed trouble); without
   * one it polls on Puffle's 2-5 s rhythm. `deadline` bounds the whole wait; `timeout` each read.
   * See README "Waiting".
   *
   * @throws {@link WaitTimeoutError} at the `deadline` (default 10 minutes), with the run and the
   * last session seen; {@link TaskFailedError} when the run failed; {@link APIUserAbortError} on abort;
   * {@link NotFoundError} / {@link AuthenticationError} from the session reads.
   *
   * @example
   * ```ts
   * const run = await puffle.runTurn(id, { message });
   * const session = await puffle.waitForIdle(id, { run, deadline: 120_000 });
   * ```
   */
  waitForIdle(sessionId: string, options: WaitOptions = {}): APIPromise<Session> {
    return this.#api(async (io) => {
      const id = validateId("waitForIdle", "sessionId", sessionId);
      checkOptions("waitForIdle", "options", options, WAIT_OPTIONS);
      return (await waitForIdleDetailed(this.#waitContext(io), id, options)).session;
    });
  }

  /**
   * {@link waitForIdle}, resolving with how the wait went as well: the idle session, the mode
   * used (`realtime` or `poll`), why it fell back to polling, the requests made and the time taken.
   *
   * @throws the same errors as {@link waitForIdle}.
   *
   * @example
   * ```ts
   * const { session, mode, requests, fallbackReason } = await puffle.waitForIdleDetailed(id, { run });
   * ```
   */
  waitForIdleDetailed(sessionId: string, options: WaitOptions = {}): APIPromise<WaitResult> {
    return this.#api(async (io) => {
      const id = validateId("waitForIdle", "sessionId", sessionId);
      checkOptions("waitForIdleDetailed", "options", options, WAIT_OPTIONS);
      return waitForIdleDetailed(this.#waitContext(io), id, options);
    });
  }

  /**
   * One chat turn, start to finish: {@link runTurn} then {@link waitForIdle}. Resolves with the
   * idle session, the assistant reply this turn wrote, whether the skeleton changed, and how the
   * wait went.
   *
   * @throws everything {@link runTurn} and {@link waitForIdle} throw.
   *
   * @example
   * ```ts
   * const turn = await puffle.chat(id, { message: "Shorter, and mention SOC 2" });
   * console.log(turn.reply);
   * if (turn.skeletonChanged) console.log(turn.session.skeleton);
   * ```
   */
  chat(sessionId: string, turn: TurnParams, options: ChatOptions = {}): APIPromise<ChatResult> {
    return this.#api(async (io) => {
      const id = validateId("chat", "sessionId", sessionId);
      const body = validate("chat", TurnParamsSchema, turn, ["turn"]);
      checkOptions("chat", "options", options, CHAT_OPTIONS);
      return chatOnce(this.#waitContext(io), id, body, options, (o, onRequest) =>
        this.#dispatch(io, "runTurn", id, "turn", body, o, onRequest),
      );
    });
  }

  /**
   * {@link generateExamples} then {@link waitForIdle}: resolves with the idle session, whose
   * `generated_examples` holds the new examples.
   *
   * @throws everything {@link generateExamples} and {@link waitForIdle} throw.
   *
   * @example
   * ```ts
   * const session = await puffle.generateExamplesAndWait(id, { leads });
   * for (const ex of session.generated_examples ?? []) console.log(ex.subject);
   * ```
   */
  generateExamplesAndWait(
    sessionId: string,
    params: GenerateExamplesParams,
    options: GenerateExamplesAndWaitOptions = {},
  ): APIPromise<Session> {
    return this.#api(async (io) => {
      const { id, body } = validateIdAndBody(
        "generateExamplesAndWait",
        { name: "sessionId", value: sessionId },
        { name: "params", schema: GenerateExamplesParamsSchema, value: params },
      );
      checkOptions("generateExamplesAndWait", "options", options, CHAT_OPTIONS);
      const { session } = await withBudget(this.#waitContext(io), id, options, (o, onRequest) =>
        this.#dispatch(
          io,
          "generateExamples",
          id,
          "generate-examples",
          { ...body, isFirstBatch: body.isFirstBatch ?? true },
          o,
          onRequest,
        ),
      );
      return session;
    });
  }

  // ---- campaigns (src/lib/): finishing the flow ----------------------------------------

  /**
   * Read a campaign: the campaign, its sequence nodes in position order, and prospect counts by
   * status and by node. Retried like every GET. Inferred: 404 for a campaign you do not own.
   *
   * @throws {@link NotFoundError} when the campaign does not exist or is not yours;
   * {@link RequestValidationError} for a malformed id (nothing sent).
   *
   * @example
   * ```ts
   * const { campaign, sequence_nodes } = await puffle.getCampaign(campaignId);
   * console.log(campaign.status, sequence_nodes.map((n) => n.type));
   * ```
   */
  getCampaign(campaignId: string, options?: RequestOptions): APIPromise<CampaignDetail> {
    return this.#api((io) => getCampaign(this.#campaignContext(io), campaignId, options));
  }

  /**
   * Write some fields of one sequence node (the documented single-node content editor); only the
   * keys present are applied, and only those that apply to the node's type. Draft campaigns
   * only. Resolves with the refreshed node. A PUT of absolute values: retried like a GET.
   *
   * @throws {@link BadRequestError} when the campaign is not a draft (nothing written);
   * {@link NotFoundError} for an unknown node (inferred); {@link RequestValidationError} for a bad
   * id, an unknown key (including the immutable `type`, `position`, `campaign_id`) or a wrong type.
   *
   * @example
   * ```ts
   * const node = await puffle.updateSequenceNode(campaignId, nodeId, { subject: "Quick question, %first_name%", body: "Hi %first_name%, ..." });
   * console.log(node.subject);
   * ```
   */
  updateSequenceNode(
    campaignId: string,
    nodeId: string,
    patch: SequenceNodePatch,
    options?: RequestOptions,
  ): APIPromise<SequenceNode> {
    return this.#api((io) =>
      updateSequenceNode(this.#campaignContext(io), campaignId, nodeId, patch, options),
    );
  }

  /**
   * Update a campaign; only the fields present are applied. On a non-draft campaign the server
   * silently ignores the draft-only fields (`sequence_nodes`, `sender_account_ids`, type-specific
   * settings). `sequence_nodes` replaces the whole sequence (include every node, `end` too):
   * such a PATCH is not retried blindly; when its answer is lost the campaign is read back and
   * the PATCH is sent again only if the new sequence is not there.
   *
   * @throws {@link BadRequestError} for delay totals outside 1 minute to 30 days (nothing
   * written); {@link NotFoundError}; {@link ConflictError} for a duplicate name (inferred);
   * {@link RequestValidationError} (nothing sent).
   *
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
    return this.#api((io) =>
      updateCampaign(this.#campaignContext(io), campaignId, params, options),
    );
  }

  /**
   * `resolve` (free, synchronous, safe to re-run): render `%variables%` into one draft message
   * per prospect and non-AI node, never overwriting manually edited rows, and copy AI sessions'
   * examples onto prospects matched by name. `generate_ai` (paid, inferred body
   * `{ node_id, prospect_ids? }`): queue AI generation for one AI node; never sent twice.
   * Draft campaigns only.
   *
   * @throws {@link InsufficientCreditsError} (402) for `generate_ai` without credits (nothing
   * changed); {@link GenerateMessagesUnknownError} when a `generate_ai` answer was lost (not sent
   * again); {@link BadRequestError} when the campaign is not a draft (inferred status);
   * {@link NotFoundError}; {@link RequestValidationError} (nothing sent).
   *
   * @example
   * ```ts
   * const result = await puffle.generateCampaignMessages(campaignId, { action: "resolve" });
   * if ("messages" in result) console.log(result.messages.length);
   * ```
   */
  generateCampaignMessages(
    campaignId: string,
    params: GenerateMessagesParams,
    options?: RequestOptions,
  ): APIPromise<GenerateMessagesResult> {
    return this.#api((io) =>
      generateCampaignMessages(this.#campaignContext(io), campaignId, params, options),
    );
  }

  /**
   * A campaign's generated messages: drafts by default, `status: "all"` for every one,
   * `prospect_id` for one lead. No side effects.
   *
   * @throws {@link NotFoundError}; {@link RequestValidationError} for a bad id or status.
   *
   * @example
   * ```ts
   * const drafts = await puffle.listGeneratedMessages(campaignId, { status: "draft" });
   * for (const m of drafts) console.log(m.prospect_id, m.subject);
   * ```
   */
  listGeneratedMessages(
    campaignId: string,
    query?: ListGeneratedMessagesQuery,
    options?: RequestOptions,
  ): APIPromise<GeneratedMessage[]> {
    return this.#api((io) =>
      listGeneratedMessages(this.#campaignContext(io), campaignId, query, options),
    );
  }

  /**
   * Edit one draft generated message (`subject`, `body_text` or both). Only drafts are editable.
   * Inferred: the edit marks it `manually_edited`, so `resolve` leaves it alone.
   *
   * @throws {@link BadRequestError} when the message is pending or sent (inferred status);
   * {@link NotFoundError} for an unknown message (inferred); {@link RequestValidationError}.
   *
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
    return this.#api((io) =>
      updateGeneratedMessage(this.#campaignContext(io), campaignId, params, options),
    );
  }

  /**
   * From a finished chat to launch-ready drafts, in one call: checks the session is idle, the
   * campaign a draft and the session's node in its sequence; for an `email` node lints the draft
   * (refusing unfilled `&&instruction&&` blocks unless told otherwise), copies `draft_subject` /
   * `draft_body` verbatim onto the node with {@link updateSequenceNode} and checks the returned
   * node; for an `ai` node writes nothing and requires `generated_examples`; then runs
   * `resolve`. Resolves with a step-by-step report. `via: "updateCampaign"` writes with the
   * whole-sequence PATCH instead and reads back to prove it. The composition is the SDK's design
   * (inferred from the documented flow).
   *
   * @throws {@link FinishSessionError} when it refuses (`reason` says why, `steps` what was
   * done); the errors of the calls it makes ({@link NotFoundError}, {@link BadRequestError}, ...);
   * {@link RequestValidationError} for a bad id; {@link PuffleError} for bad options.
   *
   * @example
   * ```ts
   * const result = await puffle.finishSession(sessionId);
   * for (const step of result.steps) console.log(step.step, step.outcome, step.detail);
   * console.log(result.nodeMessages.map((m) => m.subject));
   * ```
   */
  finishSession(
    sessionId: string,
    options: FinishSessionOptions = {},
  ): APIPromise<FinishSessionResult> {
    return this.#api(async (io) => {
      const id = validateId("finishSession", "sessionId", sessionId);
      if (typeof options !== "object" || options === null) {
        throw new PuffleError("finishSession: the options argument must be an object.");
      }
      const ctx: FinishContext = {
        ...this.#campaignContext(io),
        getSession: (sid, o) => this.#getSession(io, sid, o),
      };
      return finishSession(ctx, id, options);
    });
  }

  #campaignContext(io: IO): CampaignContext {
    return {
      call: (spec) => io.call(spec),
      requestOptions: (operation, options) => this.#requestOptions(operation, options),
      maxRetries: this.#options.maxRetries,
      logger: this.#options.logger,
    };
  }

  // ---- internals ----------------------------------------------------------------------------

  /**
   * Run one public method: `io.call` makes its HTTP calls and remembers the last answer, which
   * `.withResponse()` / `.asResponse()` give back.
   */
  #api<T>(run: (io: IO) => Promise<T>): APIPromise<T> {
    let last: { response: Response; requestId: string | undefined } | undefined;
    const io: IO = {
      call: async (spec) => {
        const result = await call(this.#transport, spec);
        last = result;
        return result;
      },
      answered: (response, requestId) => {
        last = { response, requestId };
      },
    };
    return new APIPromise(
      (async () => {
        const data = await run(io);
        return {
          data,
          response: last?.response ?? new Response(null, { status: 204 }),
          requestId: last?.requestId,
        };
      })(),
    );
  }

  #requestOptions(
    operation: string,
    options: CallOptions | undefined,
    spec: Spec = REQUEST_OPTIONS,
  ): CallOptions | undefined {
    checkOptions(operation, "options", options, spec);
    if (options === undefined) return undefined;
    const deadline =
      options.deadline === undefined ? undefined : checkDuration("deadline", options.deadline, 0);
    return {
      ...options,
      deadline,
      // Set once, when the method starts: every call of the method shares it.
      deadlineAt:
        options.deadlineAt ?? (deadline === undefined ? undefined : Date.now() + deadline),
      timeout:
        options.timeout === undefined ? undefined : checkDuration("timeout", options.timeout, 0),
      maxRetries:
        options.maxRetries === undefined
          ? undefined
          : checkCount("maxRetries", options.maxRetries, 0),
    };
  }

  #waitContext(io: IO): WaitContext {
    return {
      getSession: (id: string, options: CallOptions | undefined, onRequest?: () => void) =>
        this.#getSession(io, id, options, onRequest),
      triggerBaseURL: this.#options.triggerBaseURL,
      fetch: this.#options.fetch,
      realtime: this.#options.realtime,
      logger: this.#options.logger,
    };
  }

  /**
   * POST a dispatch (turn or example run) under the at-most-once rule (src/lib/dispatch.ts) and the
   * onBusy policy.
   */
  async #dispatch(
    io: IO,
    operation: "runTurn" | "generateExamples",
    id: string,
    suffix: "turn" | "generate-examples",
    body: TurnParams | GenerateExamplesParams,
    options: DispatchOptions | undefined,
    onRequest?: () => void,
  ): Promise<WithRequestID<RunHandle>> {
    const requestOptions = this.#requestOptions(operation, options, DISPATCH_OPTIONS);
    const onBusy = options?.onBusy ?? "throw";
    if (onBusy !== "throw" && onBusy !== "wait") {
      throw new PuffleError(
        `${operation}: onBusy must be "throw" or "wait" (got ${String(onBusy)}).`,
      );
    }
    const onUnknown = options?.onUnknown ?? "throw";
    if (onUnknown !== "throw" && onUnknown !== "resend") {
      throw new PuffleError(
        `${operation}: onUnknown must be "throw" or "resend" (got ${String(onUnknown)}).`,
      );
    }
    // The busy wait ends by busyTimeout, and never past the call's own deadline.
    const busyDeadline = Math.min(
      Date.now() + checkDuration("busyTimeout", options?.busyTimeout, 300_000),
      requestOptions?.deadlineAt ?? Number.POSITIVE_INFINITY,
    );
    const reconcileTimeout = checkDuration(
      "reconcileTimeout",
      options?.reconcileTimeout,
      DEFAULT_RECONCILE_TIMEOUT_MS,
    );
    return dispatchAtMostOnce({
      operation,
      sessionId: id,
      message: operation === "runTurn" ? (body as TurnParams).message : undefined,
      send: async () => {
        const result = await io.call({
          operation,
          method: "POST",
          path: `${SESSIONS}/${id}/${suffix}`,
          body,
          retry: "dispatch",
          schema: RunHandleSchema,
          options: requestOptions,
          onRequest,
        });
        registerSecret(result.data.publicAccessToken);
        const handle: DispatchedRun = { ...result.data, reconciled: false };
        return withRequestId(handle, result.requestId);
      },
      // Reconciling is never cut short by the deadline: the outcome must be known, not guessed.
      read: () =>
        this.#getSession(
          io,
          id,
          { ...requestOptions, deadline: undefined, deadlineAt: undefined },
          onRequest,
        ),
      waitIdle: async (ms) => {
        await waitForIdleDetailed(this.#waitContext(io), id, {
          deadline: ms,
          signal: requestOptions?.signal,
          timeout: requestOptions?.timeout,
          poll: options?.poll,
        });
      },
      onBusy,
      onUnknown,
      busyDeadline,
      reconcileTimeout,
      maxSends: 1 + (requestOptions?.maxRetries ?? this.#options.maxRetries),
      signal: requestOptions?.signal,
      memory: this.#memory,
      logger: this.#options.logger,
    });
  }
}

/** Attach the request id as a non-enumerable `_request_id` (kept out of JSON and spreads). */
function withRequestId<T extends object>(
  value: T,
  requestId: string | undefined,
): WithRequestID<T> {
  if (requestId !== undefined && value !== null && typeof value === "object") {
    Object.defineProperty(value, "_request_id", {
      value: requestId,
      enumerable: false,
      configurable: true,
    });
  }
  return value;
}

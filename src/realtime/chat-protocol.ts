/**
 * The JSON a chat route (`createChatRoute` from `puffle-chat/server`) and the browser's chat
 * controller (`createChatController` from `puffle-chat/realtime`) exchange. Types only: both
 * sides share them so the wire cannot drift.
 *
 * One URL (for example `/api/chat`):
 * - `GET ?sessionId=…` reads the session: `{ session, lint }`.
 * - `POST` with `content-type: application/json` and a {@link ChatRouteRequest} body dispatches a
 *   turn or an example run: `{ run }`.
 * - Any refusal: a 4xx/5xx status and `{ error: ChatRouteErrorBody }`.
 *
 * @module
 */

/**
 * What a chat route request asks for: `"turn"` (POST, a chat turn), `"examples"` (POST, an example
 * run) or `"read"` (GET, read the session). The route's `authorize` callback receives it.
 */
export type ChatRouteAction = "turn" | "examples" | "read";

/**
 * The JSON body of a `POST` to a chat route. No other key is accepted.
 */
export type ChatRouteRequest =
  | {
      action: "turn";
      /** The Puffle session to chat on (a UUID). */
      sessionId: string;
      /** The user's message: non-empty, at most the route's `maxMessageLength` characters. */
      message: string;
    }
  | {
      action: "examples";
      sessionId: string;
      /** The leads to write examples for; the route's `leads` option decides when omitted. */
      leads?: Record<string, unknown>[];
      /** `true` (default) replaces the session's examples, `false` appends. */
      isFirstBatch?: boolean;
    };

/**
 * The run handle a chat route answers a dispatch with: the run id and its read-only public token
 * (safe in a browser), plus the Trigger.dev host to subscribe on. When the dispatch's answer was
 * lost but the session proves it happened, `runId` and `publicAccessToken` are `null` and
 * `reconciled` is `true`: follow the session by reading it instead.
 *
 * @example
 * ```ts
 * const { run } = (await res.json()) as { run: ChatRouteRun };
 * if (run.runId !== null) subscribeToChat({ runId: run.runId, publicAccessToken: run.publicAccessToken, triggerBaseURL: run.triggerBaseURL });
 * ```
 */
export type ChatRouteRun =
  | { runId: string; publicAccessToken: string; triggerBaseURL: string; reconciled?: false }
  | { runId: null; publicAccessToken: null; triggerBaseURL: string; reconciled: true };

/**
 * One message of a session as a chat route returns it.
 */
export interface ChatMessage {
  role: "user" | "assistant" | (string & {});
  content: string;
  /** Any other field the server sends. */
  [key: string]: unknown;
}

/**
 * A generated per-lead example email.
 *
 * @example
 * ```ts
 * for (const e of state.examples) console.log(e.lead_id, e.subject);
 * ```
 */
export interface ChatExample {
  lead_id?: string | null;
  subject: string;
  body: string;
  [key: string]: unknown;
}

/**
 * The session fields a chat route returns (the Puffle session as the API sends it).
 *
 * @example
 * ```ts
 * const busy = (s: ChatSessionView) => s.task_status != null;
 * ```
 */
export interface ChatSessionView {
  id: string;
  messages?: ChatMessage[] | null;
  skeleton?: Record<string, unknown> | null;
  draft_subject?: string | null;
  draft_body?: string | null;
  generated_examples?: ChatExample[] | null;
  /** `null` when idle; `"chat_processing"` or `"generating_examples"` while a task runs. */
  task_status?: string | null;
  framework_version?: number | null;
  [key: string]: unknown;
}

/**
 * One issue of the draft's lint report (see `lintDraft` in `puffle-chat`).
 *
 * @example
 * ```ts
 * const errors = (lint?.issues ?? []).filter((i: ChatLintIssue) => i.severity === "error");
 * ```
 */
export interface ChatLintIssue {
  code: string;
  severity: "error" | "warning" | (string & {});
  message: string;
  field: "subject" | "body" | (string & {});
  /** Offsets in the field's text (`end` exclusive). */
  start: number;
  end: number;
  /** 1-based line and column of `start`. */
  line: number;
  column: number;
}

/**
 * The draft's lint report: `ok` is `false` when an issue is an error.
 *
 * @example
 * ```ts
 * if (state.lint && !state.lint.ok) showIssues(state.lint.issues);
 * ```
 */
export interface ChatLintReport {
  ok: boolean;
  issues: ChatLintIssue[];
}

/**
 * The answer to `GET {route}?sessionId=…`: the session and the lint report of its draft (`null`
 * when it has no draft yet).
 *
 * @example
 * ```ts
 * const { session, lint } = (await res.json()) as ChatRouteSession;
 * ```
 */
export interface ChatRouteSession {
  session: ChatSessionView;
  lint: ChatLintReport | null;
}

/**
 * The body of every refusal a chat route answers: a stable `code`, a message that says what to
 * do, the HTTP status, and per code: the validation `issues`, the session's `taskStatus` (busy) or
 * `retryAfterMs` (rate limited). Never a stack trace, never a secret.
 *
 * @example
 * ```ts
 * if (!res.ok) { const { error } = (await res.json()) as { error: ChatRouteErrorBody }; alert(error.message); }
 * ```
 */
export interface ChatRouteErrorBody {
  /**
   * `unauthorized` 401, `forbidden` 403, `invalid_request` 400, `not_found` 404,
   * `method_not_allowed` 405, `unsupported_media_type` 415, `payload_too_large` 413,
   * `session_busy` 409, `skeleton_required` 409, `insufficient_credits` 402, `rate_limited` 429,
   * `upstream_error` 502, `dispatch_unknown` 502, `timeout` 504, `internal_error` 500.
   */
  code: string;
  message: string;
  status: number;
  issues?: { path: string; message: string }[];
  taskStatus?: string | null;
  retryAfterMs?: number;
}

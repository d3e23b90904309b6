/**
 * createChatController: the chat state of a browser app, framework-agnostic, over a chat route
 * (`createChatRoute` from `puffle-chat/server`) and {@link subscribeToChat}.
 *
 * @module
 */

import { PuffleError } from "../base/puffle-error";
import type {
  ChatExample,
  ChatLintReport,
  ChatMessage,
  ChatRouteErrorBody,
  ChatRouteRun,
  ChatRouteSession,
  ChatSessionView,
} from "./chat-protocol";
import { isRealtimeError } from "./errors";
import type { ChatStreamEvent } from "./events";
import { type SubscribeToChatOptions, subscribeToChat } from "./subscribe-to-chat";

/**
 * Where the controller is: `idle` (ready to send), `sending` (the route is dispatching),
 * `streaming` (the run is being followed), `error` (the last action failed; `retry()` or `send()`).
 *
 * @example
 * ```ts
 * const busy = (s: ChatStatus) => s === "sending" || s === "streaming";
 * ```
 */
export type ChatStatus = "idle" | "sending" | "streaming" | "error";

/**
 * The last error, as the UI should show it. `code` is the route's error code (`unauthorized`,
 * `session_busy`, …), `"network"` when the route could not be reached, `"realtime"` when
 * following the run failed, `"run_failed"` when the run itself failed. `dispatched` says whether
 * the turn had been sent (then `retry()` does not send it again).
 *
 * @example
 * ```ts
 * if (state.error?.code === "unauthorized") location.assign("/login");
 * ```
 */
export interface ChatControllerError {
  code: string;
  message: string;
  /** The HTTP status of the route's answer, when there was one. */
  status?: number;
  /** `true` when the error happened after the task was dispatched. */
  dispatched: boolean;
}

/**
 * A snapshot of the chat. A new object after every change (safe for `useSyncExternalStore`).
 *
 * @example
 * ```ts
 * const { status, messages, reply, draft, error } = controller.getState();
 * ```
 */
export interface ChatState {
  status: ChatStatus;
  /** `true` once the session was read at least once. */
  loaded: boolean;
  /** What the current task is: a chat `turn` or an `examples` run; `null` when none runs. */
  task: "turn" | "examples" | null;
  /** The conversation so far; the user's message being sent is already in it. */
  messages: ChatMessage[];
  /** The assistant reply being written, token by token (`""` when none). */
  reply: string;
  skeleton: Record<string, unknown> | null;
  draft: { subject: string; body: string } | null;
  /** The draft's lint report from the route, `null` before the first read or without a draft. */
  lint: ChatLintReport | null;
  examples: ChatExample[];
  /** The run's status while streaming (`QUEUED`, `EXECUTING`, …). */
  runStatus: string | null;
  error: ChatControllerError | null;
  /** Messages waiting their turn (with `whileBusy: "queue"`). */
  queued: string[];
  /** `true` after `stop()` until the next send: the task may still finish on the server. */
  stopped: boolean;
}

/**
 * Options of {@link createChatController}.
 *
 * @example
 * ```ts
 * const options: ChatControllerOptions = { api: "/api/chat", sessionId, whileBusy: "queue" };
 * ```
 */
export interface ChatControllerOptions {
  /** The chat route's URL, for example `"/api/chat"`. */
  api: string;
  /** The Puffle session to chat on. */
  sessionId: string;
  /**
   * A `send()` while a turn runs: `"refuse"` (default) returns `false` and changes nothing;
   * `"queue"` keeps the message and sends it after the current task ends. Turns never interleave.
   */
  whileBusy?: "refuse" | "queue" | undefined;
  /** Extra headers for every request to the route (for example your own auth), or a function. */
  headers?: Record<string, string> | (() => Record<string, string>) | undefined;
  /** The fetch to use. Default: `globalThis.fetch`, looked up per request. */
  fetch?: typeof fetch | undefined;
  /**
   * How often to read the session while following a dispatch whose run is unknown (a reconciled
   * dispatch), in ms. Default `1_500`.
   */
  pollIntervalMs?: number | undefined;
  /**
   * The longest the controller follows a reconciled dispatch by reading the session before it
   * gives up with a `timeout` error (the task may still finish: `retry()` reads the session), in
   * ms. Default `600_000`.
   */
  followTimeoutMs?: number | undefined;
  /** Replaces {@link subscribeToChat} (tests, custom transports). */
  subscribe?: ((options: SubscribeToChatOptions) => AsyncIterable<ChatStreamEvent>) | undefined;
}

/**
 * The controller: read its state, subscribe to changes, act.
 *
 * @example
 * ```ts
 * const chat: ChatController = createChatController({ api: "/api/chat", sessionId });
 * ```
 */
export interface ChatController {
  /** The current snapshot (the same object until something changes). */
  getState(): ChatState;
  /** Call `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Read the session from the route (messages, draft, lint, examples). Starts no task. */
  load(): Promise<void>;
  /**
   * Send a chat turn and follow it to the end. Resolves `true` when the turn was dispatched (or
   * queued with `whileBusy: "queue"`), even if following it failed afterwards (see `error`);
   * `false` when it was not sent: empty message, a task already running, or the route refused it
   * or could not be reached (see `error`). Never rejects.
   */
  send(message: string): Promise<boolean>;
  /** Start an example run (leads from the route's default unless given). Same rules as `send`. */
  generateExamples(options?: {
    leads?: Record<string, unknown>[];
    isFirstBatch?: boolean;
  }): Promise<boolean>;
  /**
   * Stop following the current task: the request or stream is closed at once and the state goes
   * back to `idle` with `stopped: true`. The task may still finish on Puffle's side; the next
   * `load()` shows its result. Drops queued messages.
   */
  stop(): void;
  /**
   * After an error: a refused dispatch is sent again; after a dispatched task failed to be
   * followed, the session is read again instead (a turn is never paid twice).
   */
  retry(): Promise<boolean>;
  /**
   * Close every request and stream (a running task goes back to `idle`; it may still finish on
   * Puffle's side). Listeners stay subscribed; the controller can `load()` and `send()` again.
   */
  dispose(): void;
}

/** Default of {@link ChatControllerOptions.pollIntervalMs}. */
const DEFAULT_POLL_INTERVAL_MS = 1_500;

type Action =
  | { kind: "turn"; message: string }
  | { kind: "examples"; leads?: Record<string, unknown>[]; isFirstBatch?: boolean };

const initialState = (): ChatState => ({
  status: "idle",
  loaded: false,
  task: null,
  messages: [],
  reply: "",
  skeleton: null,
  draft: null,
  lint: null,
  examples: [],
  runStatus: null,
  error: null,
  queued: [],
  stopped: false,
});

/**
 * Create a chat controller: the state machine `idle → sending → streaming → idle` (or `error`) of
 * one chat session, over a chat route. One task at a time: a second `send()` while a turn runs is
 * refused (or queued with `whileBusy: "queue"`), never interleaved. Nothing happens until you call
 * a method (safe to create during server-side rendering); nothing touches `window`.
 *
 * @throws TypeError when `api` or `sessionId` is missing.
 *
 * @example
 * ```ts
 * import { createChatController } from "puffle-chat/realtime";
 *
 * const chat = createChatController({ api: "/api/chat", sessionId });
 * chat.subscribe(() => {
 *   const s = chat.getState();
 *   sendButton.disabled = s.status === "sending" || s.status === "streaming";
 *   replyView.textContent = s.reply;
 * });
 * await chat.load();
 * await chat.send("Intro email for VPs of Sales");
 * ```
 */
export function createChatController(options: ChatControllerOptions): ChatController {
  if (typeof options?.api !== "string" || options.api === "")
    throw new PuffleError(
      'createChatController: `api` must be the chat route URL, e.g. "/api/chat".',
    );
  if (typeof options.sessionId !== "string" || options.sessionId === "")
    throw new PuffleError("createChatController: `sessionId` is required.");
  const whileBusy = options.whileBusy ?? "refuse";
  if (whileBusy !== "refuse" && whileBusy !== "queue")
    throw new PuffleError(
      `createChatController: whileBusy must be "refuse" or "queue" (got ${String(whileBusy)}).`,
    );
  const pollMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const followMs = options.followTimeoutMs ?? 600_000;
  const subscribe = options.subscribe ?? subscribeToChat;
  const listeners = new Set<() => void>();
  let state = initialState();
  /** Aborts the current task's request and stream. */
  let current: AbortController | undefined;
  /** Aborts loads. */
  let loads = new AbortController();
  let lastAction: Action | undefined;

  const set = (patch: Partial<ChatState>) => {
    state = { ...state, ...patch };
    for (const listener of [...listeners]) listener();
  };

  const doFetch = (init: RequestInit & { signal: AbortSignal }, query = ""): Promise<Response> => {
    const headers = typeof options.headers === "function" ? options.headers() : options.headers;
    const f = options.fetch ?? globalThis.fetch;
    return f(`${options.api}${query}`, {
      ...init,
      headers: { accept: "application/json", ...headers, ...(init.headers as object) },
      credentials: "same-origin",
    });
  };

  const applySession = ({ session, lint }: ChatRouteSession) => {
    set({
      loaded: true,
      messages: Array.isArray(session.messages) ? session.messages : [],
      skeleton: session.skeleton ?? null,
      draft: draftOf(session),
      lint: lint ?? null,
      examples: Array.isArray(session.generated_examples) ? session.generated_examples : [],
    });
  };

  const readSession = async (signal: AbortSignal): Promise<ChatRouteSession> => {
    const res = await doFetch(
      { method: "GET", signal },
      `?sessionId=${encodeURIComponent(options.sessionId)}`,
    );
    if (!res.ok) throw await routeError(res, false);
    return (await res.json()) as ChatRouteSession;
  };

  const load = async (): Promise<void> => {
    const signal = loads.signal;
    try {
      const data = await readSession(signal);
      if (signal.aborted) return;
      applySession(data);
      if (state.status === "error" && state.error?.dispatched) set({ status: "idle", error: null });
    } catch (error) {
      if (signal.aborted) return;
      if (state.status === "idle" || state.status === "error")
        set({ status: "error", error: toControllerError(error, false) });
    }
  };

  const busy = () => state.status === "sending" || state.status === "streaming";

  const finish = (signal: AbortSignal) => {
    if (signal.aborted) return;
    current = undefined;
    set({ status: "idle", task: null, runStatus: null });
    const next = state.queued[0];
    if (next !== undefined) {
      set({ queued: state.queued.slice(1) });
      void start({ kind: "turn", message: next });
    }
  };

  const fail = (signal: AbortSignal, error: ChatControllerError) => {
    if (signal.aborted) return;
    current = undefined;
    set({ status: "error", task: null, runStatus: null, error, queued: [] });
  };

  const follow = async (run: ChatRouteRun, action: Action, signal: AbortSignal) => {
    set({ status: "streaming", runStatus: run.runId === null ? null : "QUEUED" });
    if (run.runId === null) {
      // Dispatched, but the run is unknown: follow the session until it is idle (bounded).
      const deadline = Date.now() + followMs;
      for (;;) {
        if (Date.now() > deadline)
          throw {
            code: "timeout",
            message: `The task did not finish within ${Math.round(followMs / 1000)} s. It may still finish: reload to see.`,
            dispatched: true,
          } satisfies ChatControllerError;
        await sleep(pollMs, signal);
        const data = await readSession(signal);
        if (signal.aborted) return;
        if (data.session.task_status == null) {
          applySession(data);
          set({ reply: "" });
          return;
        }
      }
    }
    let failed: ChatControllerError | undefined;
    for await (const event of subscribe({
      runId: run.runId,
      publicAccessToken: run.publicAccessToken,
      triggerBaseURL: run.triggerBaseURL,
      signal,
    })) {
      if (signal.aborted) return;
      switch (event.type) {
        case "status":
          set({ runStatus: event.status });
          break;
        case "delta":
          set({ reply: state.reply + event.text });
          break;
        case "skeleton":
          set({ skeleton: event.skeleton });
          break;
        case "draft":
          set({ draft: { subject: event.subject, body: event.body } });
          break;
        case "example":
          set({ examples: [...state.examples, event.example] });
          break;
        case "completed":
          break;
        case "failed":
          failed = {
            code: "run_failed",
            message: `The task failed (${event.status})${event.error?.message ? `: ${event.error.message}` : ""}.`,
            dispatched: true,
          };
          break;
      }
    }
    if (signal.aborted) return;
    // The run is over: the session is the source of truth for messages, draft, lint, examples.
    if (action.kind === "turn" && !failed && state.reply !== "")
      set({ messages: [...state.messages, { role: "assistant", content: state.reply }] });
    try {
      const data = await readSession(signal);
      if (signal.aborted) return;
      applySession(data);
    } finally {
      if (!signal.aborted) set({ reply: "" });
    }
    if (failed) throw failed;
  };

  const start = async (action: Action): Promise<boolean> => {
    const controller = new AbortController();
    current = controller;
    const { signal } = controller;
    lastAction = action;
    const messages =
      action.kind === "turn"
        ? [...state.messages, { role: "user", content: action.message }]
        : state.messages;
    set({
      status: "sending",
      task: action.kind,
      messages,
      reply: "",
      error: null,
      stopped: false,
      runStatus: null,
      ...(action.kind === "examples" && action.isFirstBatch !== false ? { examples: [] } : {}),
    });
    let dispatched = false;
    try {
      const body =
        action.kind === "turn"
          ? { action: "turn", sessionId: options.sessionId, message: action.message }
          : {
              action: "examples",
              sessionId: options.sessionId,
              ...(action.leads ? { leads: action.leads } : {}),
              ...(action.isFirstBatch === undefined ? {} : { isFirstBatch: action.isFirstBatch }),
            };
      const res = await doFetch({
        method: "POST",
        signal,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) {
        const error = await routeError(res, false);
        // The message was not sent: take it back out of the conversation.
        if (action.kind === "turn" && !signal.aborted) set({ messages: messages.slice(0, -1) });
        fail(signal, error);
        return false;
      }
      const { run } = (await res.json()) as { run: ChatRouteRun };
      dispatched = true;
      if (signal.aborted) return true;
      await follow(run, action, signal);
      finish(signal);
    } catch (error) {
      if (signal.aborted) return true;
      // Not sent: take the message back out of the conversation.
      if (!dispatched && action.kind === "turn") set({ messages: messages.slice(0, -1) });
      fail(signal, toControllerError(error, dispatched));
      return dispatched;
    }
    return true;
  };

  const enqueue = async (action: Action): Promise<boolean> => {
    if (busy()) {
      if (whileBusy === "queue" && action.kind === "turn") {
        set({ queued: [...state.queued, action.message] });
        return true;
      }
      return false;
    }
    return start(action);
  };

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load,
    send(message) {
      if (typeof message !== "string" || message.trim() === "") return Promise.resolve(false);
      return enqueue({ kind: "turn", message: message.trim() });
    },
    generateExamples(params = {}) {
      return enqueue({
        kind: "examples",
        ...(params.leads ? { leads: params.leads } : {}),
        ...(params.isFirstBatch === undefined ? {} : { isFirstBatch: params.isFirstBatch }),
      });
    },
    stop() {
      if (!busy()) return;
      current?.abort();
      current = undefined;
      const partial = state.reply;
      set({
        status: "idle",
        task: null,
        runStatus: null,
        stopped: true,
        queued: [],
        reply: "",
        messages:
          partial !== ""
            ? [...state.messages, { role: "assistant", content: partial, stopped: true }]
            : state.messages,
      });
    },
    async retry() {
      if (state.status !== "error" || busy()) return false;
      if (state.error?.dispatched || !lastAction) {
        set({ status: "idle", error: null });
        await load();
        return true;
      }
      if (lastAction.kind === "turn" && state.error?.code === "dispatch_unknown") {
        // Whether it was sent is unknown: read the session first, never pay twice.
        set({ status: "idle", error: null });
        await load();
        const last = state.messages.filter((m) => m.role === "user").at(-1);
        if (last?.content === lastAction.message) return true;
      }
      return start(lastAction);
    },
    dispose() {
      current?.abort();
      current = undefined;
      loads.abort();
      loads = new AbortController();
      if (busy()) set({ status: "idle", task: null, runStatus: null, reply: "" });
    },
  };
}

function draftOf(session: ChatSessionView): ChatState["draft"] {
  if (session.draft_subject == null && session.draft_body == null) return null;
  return { subject: session.draft_subject ?? "", body: session.draft_body ?? "" };
}

async function routeError(res: Response, dispatched: boolean): Promise<ChatControllerError> {
  let body: { error?: Partial<ChatRouteErrorBody> } | undefined;
  try {
    body = (await res.json()) as typeof body;
  } catch {
    body = undefined;
  }
  const e = body?.error;
  return {
    code: typeof e?.code === "string" ? e.code : `http_${res.status}`,
    message: typeof e?.message === "string" ? e.message : `The chat route answered ${res.status}.`,
    status: res.status,
    dispatched,
  };
}

function toControllerError(error: unknown, dispatched: boolean): ChatControllerError {
  if (isControllerError(error)) return { ...error, dispatched: error.dispatched || dispatched };
  if (isRealtimeError(error))
    return {
      code: "realtime",
      message: `Following the reply failed (${error.kind}). The task was sent: retry reads the session.`,
      dispatched: true,
    };
  if (dispatched)
    return {
      code: "realtime",
      message: "Following the reply failed. The task was sent: retry reads the session.",
      dispatched: true,
    };
  return {
    code: "network",
    message: "The chat route could not be reached: check your connection and try again.",
    dispatched: false,
  };
}

function isControllerError(value: unknown): value is ChatControllerError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ChatControllerError).code === "string" &&
    typeof (value as ChatControllerError).dispatched === "boolean"
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * ChatController (and its factory `createChatController`): the chat state of a browser app,
 * framework-agnostic, over a chat route (`createChatRoute` from `puffle-chat/server`) and
 * {@link subscribeToChat}.
 *
 * @module
 */

import { hasKind } from "../base/brand";
import { ChatControllerError, routeError, toControllerError } from "./chat-controller-error";
import type {
  ChatExample,
  ChatLintReport,
  ChatMessage,
  ChatRouteRequest,
  ChatRouteRun,
  ChatRouteSession,
  ChatSessionView,
} from "./chat-protocol";
import { checkRealtimeOptions } from "./check-options";
import type { ChatStreamEvent } from "./events";
import { sleep } from "./internal";
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
  /** The last error, `null` after a successful action; `dispatched` says whether it was sent. */
  error: ChatControllerError | null;
  /** Messages waiting their turn (with `whileBusy: "queue"`). */
  queued: string[];
  /** `true` after `stop()` until the next send: the task may still finish on the server. */
  stopped: boolean;
}

/**
 * Options of {@link createChatController}.
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
   * dispatch), in ms, from 500 (each read is a request to the route and a Puffle call). Default
   * `1_500`.
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

/** Default of {@link ChatControllerOptions.pollIntervalMs}. */
const DEFAULT_POLL_INTERVAL_MS = 1_500;
/** Default of {@link ChatControllerOptions.followTimeoutMs}. */
const DEFAULT_FOLLOW_TIMEOUT_MS = 600_000;

type Action =
  | { kind: "turn"; message: string }
  | { kind: "examples"; leads?: Record<string, unknown>[]; isFirstBatch?: boolean };

/** A run the route dispatched and named (not a reconciled one). */
type KnownRun = Extract<ChatRouteRun, { runId: string }>;

/** The options once checked, defaults applied. */
interface Settings {
  api: string;
  sessionId: string;
  whileBusy: "refuse" | "queue";
  pollMs: number;
  followMs: number;
  /** The caller's options: `headers` and `fetch` are read from them per request. */
  options: ChatControllerOptions;
  subscribe: (options: SubscribeToChatOptions) => AsyncIterable<ChatStreamEvent>;
}

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
 * The chat state machine `idle → sending → streaming → idle` (or `error`) of one chat session,
 * over a chat route. One task at a time: a second `send()` while a turn runs is refused (or queued
 * with `whileBusy: "queue"`), never interleaved. Nothing happens until you call a method (safe to
 * create during server-side rendering); nothing touches `window`. Every public member is a bound
 * function: `const { send } = chat` works, and so does passing `chat.getState` around.
 *
 * @example
 * ```ts
 * import { ChatController } from "puffle-chat/realtime";
 *
 * const chat = new ChatController({ api: "/api/chat", sessionId });
 * chat.subscribe(() => render(chat.getState()));
 * await chat.send("Intro email for VPs of Sales");
 * ```
 */
export class ChatController {
  readonly #settings: Settings;
  readonly #listeners = new Set<() => void>();
  #state: ChatState = initialState();
  /** Aborts the current task's request and stream. */
  #current: AbortController | undefined;
  /**
   * Aborts loads. Only the newest read may apply: a load cancels the loads before it, and a task
   * start or a task's final read cancels every load in flight, so a slow read answered late (a
   * reload racing a turn: issue 18's stale messages after Stop and reload) never overwrites
   * newer state.
   */
  #loads = new AbortController();
  #lastAction: Action | undefined;

  /**
   * Check the options. Sends nothing and starts no timer.
   *
   * @throws {@link RealtimeOptionsError} when an option is missing or wrong (`api` a plain-http URL
   * to another machine, `pollIntervalMs` under 500, a timeout that is not a finite number of ms, an
   * unknown key, …), listing every problem. Nothing is sent.
   */
  constructor(options: ChatControllerOptions) {
    this.#settings = settingsOf(options);
  }

  /** The current snapshot (the same object until something changes). */
  readonly getState = (): ChatState => this.#state;

  /** Call `listener` after every change; returns the unsubscribe function. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** Read the session from the route (messages, draft, lint, examples). Starts no task. */
  readonly load = (): Promise<void> => this.#load();

  /**
   * Send a chat turn and follow it to the end. Resolves `true` when the turn was dispatched (or
   * queued with `whileBusy: "queue"`), even if following it failed afterwards (see `error`);
   * `false` when it was not sent: empty message, a task already running, or the route refused it
   * or could not be reached (see `error`). Never rejects.
   */
  readonly send = (message: string): Promise<boolean> => {
    if (typeof message !== "string" || message.trim() === "") return Promise.resolve(false);
    return this.#enqueue({ kind: "turn", message: message.trim() });
  };

  /** Start an example run (leads from the route's default unless given). Same rules as `send`. */
  readonly generateExamples = (
    options: { leads?: Record<string, unknown>[]; isFirstBatch?: boolean } = {},
  ): Promise<boolean> =>
    this.#enqueue({
      kind: "examples",
      ...(options.leads ? { leads: options.leads } : {}),
      ...(options.isFirstBatch === undefined ? {} : { isFirstBatch: options.isFirstBatch }),
    });

  /**
   * Stop following the current task: the request or stream is closed at once and the state goes
   * back to `idle` with `stopped: true`. The task may still finish on Puffle's side; the next
   * `load()` shows its result. Drops queued messages.
   */
  readonly stop = (): void => {
    if (!this.#busy()) return;
    this.#abortTask();
    const { reply, messages } = this.#state;
    this.#set({
      status: "idle",
      task: null,
      runStatus: null,
      stopped: true,
      queued: [],
      reply: "",
      messages:
        reply === ""
          ? messages
          : [...messages, { role: "assistant", content: reply, stopped: true }],
    });
  };

  /**
   * After an error: a refused dispatch is sent again; after a dispatched task failed to be
   * followed, the session is read again instead (a turn is never paid twice).
   */
  readonly retry = (): Promise<boolean> => this.#retry();

  /**
   * Close every request and stream (a running task goes back to `idle`; it may still finish on
   * Puffle's side). Listeners stay subscribed; the controller can `load()` and `send()` again.
   */
  readonly dispose = (): void => {
    this.#abortTask();
    this.#cancelLoads();
    if (this.#busy()) this.#set({ status: "idle", task: null, runStatus: null, reply: "" });
  };

  #set(patch: Partial<ChatState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of [...this.#listeners]) listener();
  }

  #busy(): boolean {
    return this.#state.status === "sending" || this.#state.status === "streaming";
  }

  #abortTask(): void {
    this.#current?.abort();
    this.#current = undefined;
  }

  #fetch(init: RequestInit & { signal: AbortSignal }, query = ""): Promise<Response> {
    const { headers, fetch = globalThis.fetch } = this.#settings.options;
    const extra = typeof headers === "function" ? headers() : headers;
    return fetch(`${this.#settings.api}${query}`, {
      ...init,
      headers: { accept: "application/json", ...extra, ...(init.headers as object) },
      credentials: "same-origin",
    });
  }

  async #readSession(signal: AbortSignal): Promise<ChatRouteSession> {
    const query = `?sessionId=${encodeURIComponent(this.#settings.sessionId)}`;
    const res = await this.#fetch({ method: "GET", signal }, query);
    if (!res.ok) throw await routeError(res);
    return (await res.json()) as ChatRouteSession;
  }

  #applySession({ session, lint }: ChatRouteSession): void {
    this.#set({
      loaded: true,
      messages: Array.isArray(session.messages) ? session.messages : [],
      skeleton: session.skeleton ?? null,
      draft: draftOf(session),
      lint: lint ?? null,
      examples: Array.isArray(session.generated_examples) ? session.generated_examples : [],
    });
  }

  /** Abort the loads in flight; the signal of the next one. */
  #cancelLoads(): AbortSignal {
    this.#loads.abort();
    this.#loads = new AbortController();
    return this.#loads.signal;
  }

  async #load(): Promise<void> {
    const signal = this.#cancelLoads();
    try {
      const data = await this.#readSession(signal);
      if (signal.aborted) return;
      this.#applySession(data);
      const { status, error } = this.#state;
      if (status === "error" && error?.dispatched) this.#set({ status: "idle", error: null });
    } catch (error) {
      if (signal.aborted) return;
      const { status } = this.#state;
      if (status === "idle" || status === "error")
        this.#set({ status: "error", error: toControllerError(error, false) });
    }
  }

  async #enqueue(action: Action): Promise<boolean> {
    if (!this.#busy()) return this.#start(action);
    if (this.#settings.whileBusy === "queue" && action.kind === "turn") {
      this.#set({ queued: [...this.#state.queued, action.message] });
      return true;
    }
    return false;
  }

  /** Run one task: dispatch it, follow it, end in `idle` or `error`. Resolves "was it sent". */
  async #start(action: Action): Promise<boolean> {
    const controller = new AbortController();
    this.#current = controller;
    this.#lastAction = action;
    const { signal } = controller;
    const before = this.#state.messages;
    this.#begin(action);
    let dispatched = false;
    try {
      const run = await this.#dispatch(action, signal);
      dispatched = true;
      if (signal.aborted) return true;
      await this.#follow(run, action, signal);
      this.#finish(signal);
      return true;
    } catch (error) {
      // A refusal by the route is never a dispatch; a request cut by stop()/dispose() may be one.
      if (signal.aborted) return dispatched || !hasKind(error, "ChatControllerError");
      // Not sent: take the user's message back out of the conversation.
      if (!dispatched && action.kind === "turn") this.#set({ messages: before });
      this.#fail(signal, toControllerError(error, dispatched));
      return dispatched;
    }
  }

  /** The synchronous first step of a task: `sending`, with the user's message already shown. */
  #begin(action: Action): void {
    this.#cancelLoads();
    const { messages } = this.#state;
    this.#set({
      status: "sending",
      task: action.kind,
      messages:
        action.kind === "turn"
          ? [...messages, { role: "user", content: action.message }]
          : messages,
      reply: "",
      error: null,
      stopped: false,
      runStatus: null,
      ...(action.kind === "examples" && action.isFirstBatch !== false ? { examples: [] } : {}),
    });
  }

  /** POST the task; the run handle, or the route's refusal thrown as a `ChatControllerError`. */
  async #dispatch(action: Action, signal: AbortSignal): Promise<ChatRouteRun> {
    const res = await this.#fetch({
      method: "POST",
      signal,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(requestOf(this.#settings.sessionId, action)),
    });
    if (!res.ok) throw await routeError(res);
    return ((await res.json()) as { run: ChatRouteRun }).run;
  }

  async #follow(run: ChatRouteRun, action: Action, signal: AbortSignal): Promise<void> {
    this.#set({ status: "streaming", runStatus: run.runId === null ? null : "QUEUED" });
    if (run.runId === null) return this.#pollUntilIdle(signal);
    const failed = await this.#stream(run, signal);
    if (signal.aborted) return;
    // The run is over: the session is the source of truth for messages, draft, lint, examples.
    const { reply, messages } = this.#state;
    if (action.kind === "turn" && !failed && reply !== "")
      this.#set({ messages: [...messages, { role: "assistant", content: reply }] });
    try {
      this.#cancelLoads();
      const data = await this.#readSession(signal);
      if (signal.aborted) return;
      this.#applySession(data);
    } finally {
      if (!signal.aborted) this.#set({ reply: "" });
    }
    if (failed) throw failed;
  }

  /** Dispatched, but the run is unknown (reconciled): read the session until it is idle, bounded. */
  async #pollUntilIdle(signal: AbortSignal): Promise<void> {
    const { followMs, pollMs } = this.#settings;
    const deadline = Date.now() + followMs;
    for (;;) {
      if (Date.now() > deadline)
        throw new ChatControllerError({
          code: "timeout",
          message: `The task did not finish within ${Math.round(followMs / 1000)} s. It may still finish: reload to see.`,
          dispatched: true,
        });
      await sleep(pollMs, signal);
      const data = await this.#readSession(signal);
      if (signal.aborted) return;
      if (data.session.task_status == null) {
        this.#cancelLoads();
        this.#applySession(data);
        this.#set({ reply: "" });
        return;
      }
    }
  }

  /** Follow the run's events into the state; the run's failure, if it failed. */
  async #stream(run: KnownRun, signal: AbortSignal): Promise<ChatControllerError | undefined> {
    const { runId, publicAccessToken, triggerBaseURL } = run;
    let failed: ChatControllerError | undefined;
    for await (const event of this.#settings.subscribe({
      runId,
      publicAccessToken,
      triggerBaseURL,
      signal,
    })) {
      if (signal.aborted) return undefined;
      if (event.type === "failed")
        failed = new ChatControllerError({
          code: "run_failed",
          message: `The task failed (${event.status})${event.error?.message ? `: ${event.error.message}` : ""}.`,
          dispatched: true,
        });
      else {
        const patch = patchOf(event, this.#state);
        if (patch) this.#set(patch);
      }
    }
    return failed;
  }

  #finish(signal: AbortSignal): void {
    if (signal.aborted) return;
    this.#current = undefined;
    this.#set({ status: "idle", task: null, runStatus: null });
    const next = this.#state.queued[0];
    if (next !== undefined) {
      this.#set({ queued: this.#state.queued.slice(1) });
      void this.#start({ kind: "turn", message: next });
    }
  }

  #fail(signal: AbortSignal, error: ChatControllerError): void {
    if (signal.aborted) return;
    this.#current = undefined;
    this.#set({ status: "error", task: null, runStatus: null, error, queued: [] });
  }

  async #retry(): Promise<boolean> {
    const { status, error } = this.#state;
    const last = this.#lastAction;
    if (status !== "error") return false;
    if (error?.dispatched || !last) {
      this.#set({ status: "idle", error: null });
      await this.#load();
      return true;
    }
    if (last.kind === "turn" && error?.code === "dispatch_unknown") {
      // Whether it was sent is unknown: read the session first, never pay twice.
      this.#set({ status: "idle", error: null });
      await this.#load();
      const user = this.#state.messages.filter((m) => m.role === "user").at(-1);
      if (user?.content === last.message) return true;
    }
    return this.#start(last);
  }
}

/**
 * Create a {@link ChatController} (the same as `new ChatController(options)`): the chat state of
 * one session over a chat route. Nothing happens until you call a method (safe to create during
 * server-side rendering); nothing touches `window`.
 *
 * @throws {@link RealtimeOptionsError} when an option is missing or wrong (`api` a plain-http URL
 * to another machine, `pollIntervalMs` under 500, a timeout that is not a finite number of ms, an
 * unknown key, …), listing every problem. Nothing is sent.
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
  return new ChatController(options);
}

function settingsOf(options: ChatControllerOptions): Settings {
  checkRealtimeOptions("createChatController", options);
  return {
    api: options.api,
    sessionId: options.sessionId,
    whileBusy: options.whileBusy ?? "refuse",
    pollMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    followMs: options.followTimeoutMs ?? DEFAULT_FOLLOW_TIMEOUT_MS,
    options,
    subscribe: options.subscribe ?? subscribeToChat,
  };
}

function requestOf(sessionId: string, action: Action): ChatRouteRequest {
  if (action.kind === "turn") return { action: "turn", sessionId, message: action.message };
  const { leads, isFirstBatch } = action;
  return {
    action: "examples",
    sessionId,
    ...(leads ? { leads } : {}),
    ...(isFirstBatch === undefined ? {} : { isFirstBatch }),
  };
}

/** The change a stream event makes to the state (`failed` is handled by the caller). */
function patchOf(event: ChatStreamEvent, state: ChatState): Partial<ChatState> | undefined {
  switch (event.type) {
    case "status":
      return { runStatus: event.status };
    case "delta":
      return { reply: state.reply + event.text };
    case "skeleton":
      return { skeleton: event.skeleton };
    case "draft":
      return { draft: { subject: event.subject, body: event.body } };
    case "example":
      return { examples: [...state.examples, event.example] };
    default:
      return undefined;
  }
}

function draftOf(session: ChatSessionView): ChatState["draft"] {
  if (session.draft_subject == null && session.draft_body == null) return null;
  return { subject: session.draft_subject ?? "", body: session.draft_body ?? "" };
}

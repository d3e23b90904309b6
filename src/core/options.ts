/**
 * The public option types of the client and its methods, and their defaults. Resolving them
 * (environment fallbacks, the URL and browser rules) is `internal/options.ts`; checking them,
 * `internal/check-options.ts`.
 *
 * @module
 */
import type { RunUpdate } from "../realtime/run-update";
import type { LintOptions } from "../template/lint";
import type { RunHandle, Session } from "./types";

/**
 * How much the SDK logs: `"off"` nothing, `"error"`, `"warn"` (the default), `"info"` (retries,
 * fallbacks, reconciliations), `"debug"` (every request). Also set by `PUFFLE_LOG`.
 *
 * @example
 * ```ts
 * const level: LogLevel = "debug";
 * new PuffleClient({ logLevel: level });
 * ```
 */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/**
 * Where log lines go. Defaults to `console`; pass pino, winston or your own object with the same
 * four methods. Each receives a message and, sometimes, an object of structured fields.
 *
 * @example
 * ```ts
 * const logger: Logger = { error: console.error, warn: console.warn, info: console.info, debug: console.debug };
 * new PuffleClient({ logger, logLevel: "debug" });
 * ```
 */
export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** Puffle's API host. */
export const DEFAULT_BASE_URL = "https://app.puffle.ai";
/** The Trigger.dev host Puffle's runs live on (assumed: Puffle's documentation does not name it). */
export const DEFAULT_TRIGGER_BASE_URL = "https://api.trigger.dev";
/** Per-attempt timeout of ordinary calls, in ms. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Per-attempt timeout of `generateContent`, which runs a whole turn inline, in ms. */
export const DEFAULT_GENERATE_CONTENT_TIMEOUT_MS = 600_000;
/** Automatic retries of a call that may be retried. */
export const DEFAULT_MAX_RETRIES = 2;
/** Longest `Retry-After` honoured, in ms. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
/**
 * Largest answer body the client reads, in bytes (16 MiB). Puffle's largest answer is a session,
 * a few hundred kilobytes even after hundreds of turns; 16 MiB is far above that and bounds what
 * a broken server or proxy can cost: a larger body is cut off while it is read, never buffered.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Base delay of the exponential retry backoff, in ms. */
export const DEFAULT_RETRY_DELAY_MS = 500;
/** Longest backoff delay between two attempts, in ms. */
export const DEFAULT_RETRY_MAX_DELAY_MS = 8_000;

/**
 * Options of {@link PuffleClient}. Every one is optional; the environment fills the gaps.
 *
 * @example
 * ```ts
 * const puffle = new PuffleClient({
 *   apiKey: process.env.PUFFLE_API_KEY, // default: PUFFLE_API_KEY
 *   timeout: 30_000,
 *   maxRetries: 3,
 *   logLevel: "debug",
 * });
 * ```
 */
export interface ClientOptions {
  /** The API key (`pk_live_…`). Default: `PUFFLE_API_KEY`. Required one way or the other. */
  apiKey?: string | undefined;
  /**
   * The Puffle API host. Default: `PUFFLE_BASE_URL`, then `PUFFLE_API_BASE_URL` (the name the
   * documented CLI uses), then `https://app.puffle.ai`. Must be HTTPS, except on loopback
   * (`localhost`, `127.0.0.1`, `[::1]`) for the emulator.
   */
  baseURL?: string | undefined;
  /**
   * The Trigger.dev host realtime subscriptions go to. Default: `PUFFLE_TRIGGER_BASE_URL`, then
   * `https://api.trigger.dev`. With the emulator, its own URL.
   */
  triggerBaseURL?: string | undefined;
  /** Per-attempt timeout in ms. Default `60_000`. */
  timeout?: number | undefined;
  /** Per-attempt timeout of `generateContent` in ms (it runs a turn inline). Default `600_000`. */
  generateContentTimeout?: number | undefined;
  /** Automatic retries of calls that may be retried (see README "Retries"). Default `2`. */
  maxRetries?: number | undefined;
  /** Longest `Retry-After` the SDK honours, in ms; longer answers are capped. Default `60_000`. */
  maxRetryAfter?: number | undefined;
  /**
   * Base delay of the exponential backoff between retries, in ms: retry n waits a random time
   * up to `retryDelay * 2^(n-1)` (full jitter), capped by `retryMaxDelay`. Used when the server
   * sends no `Retry-After`. Default `500`.
   */
  retryDelay?: number | undefined;
  /** Longest backoff delay between two attempts, in ms. Default `8_000`. */
  retryMaxDelay?: number | undefined;
  /**
   * Largest answer body read, in bytes. A 2xx answer past it is cut off while it is read (the
   * rest is never downloaded) and the call fails with a `ResponseValidationError` (on a paid
   * dispatch: a lost answer, reconciled, never sent again). Error answers are read up to 10 MiB.
   * Default `16_777_216` (16 MiB).
   */
  maxResponseBytes?: number | undefined;
  /** Headers sent with every request. */
  headers?: Record<string, string> | undefined;
  /** The fetch to use. Default: `globalThis.fetch`, looked up on every request (msw works). */
  fetch?: typeof globalThis.fetch | undefined;
  /** How much to log. Default: `PUFFLE_LOG`, then `"warn"`. */
  logLevel?: LogLevel | undefined;
  /** Where to log. Default `console`. Lines never contain the key or a token. */
  logger?: Logger | undefined;
  /**
   * Allow the client (and so the API key) in a browser. Default `false`: a browser app should
   * get run handles from its server and use `puffle-chat/realtime`, which needs no key.
   */
  dangerouslyAllowBrowser?: boolean | undefined;
  /** Realtime settings for `waitForIdle` and `chat`. */
  realtime?: RealtimeOptions | undefined;
}

/**
 * How the client follows runs in realtime.
 *
 * @example
 * ```ts
 * new PuffleClient({ realtime: { transport: "trigger-sdk" } }); // needs `npm install @trigger.dev/sdk`
 * ```
 */
export interface RealtimeOptions {
  /**
   * `"electric"` (default): the SDK's light transport, no extra dependency. `"trigger-sdk"`: the
   * official `@trigger.dev/sdk` (optional peer dependency), with its 401 hang handled.
   */
  transport?: "electric" | "trigger-sdk" | undefined;
  /** Give up on a silent feed (and poll instead) after this long, in ms. Default `60_000`. */
  stallTimeoutMs?: number | undefined;
}

/**
 * Options every method takes as its last argument; each overrides the client's default for that
 * call only.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * await puffle.getSession(id, { timeout: 5_000, maxRetries: 0, signal: controller.signal, headers: { "x-trace": "abc" } });
 * ```
 */
export interface RequestOptions {
  /** Cancels the call: the request in flight and any retry sleep stop at once. */
  signal?: AbortSignal | undefined;
  /**
   * Per-attempt timeout in milliseconds: how long one HTTP request (headers and body) may take.
   * Retries each get their own. Default: the client's `timeout` (60 000).
   */
  timeout?: number | undefined;
  /**
   * The whole call's deadline in milliseconds: every attempt, retry and backoff sleep (and, for
   * `runTurn` / `generateExamples`, the reads that reconcile a lost answer) must finish within it,
   * else the call fails with {@link APIConnectionTimeoutError} (`deadlineMs` set). Default: none
   * (each attempt is bounded by `timeout`, and attempts by `maxRetries`).
   */
  deadline?: number | undefined;
  /** Automatic retries for this call. Default: the client's `maxRetries` (2). */
  maxRetries?: number | undefined;
  /** Extra request headers for this call. */
  headers?: Record<string, string> | undefined;
}

/**
 * Options of `runTurn` and `generateExamples`: the per-request options plus what to do when the
 * session is busy.
 *
 * @example
 * ```ts
 * await puffle.runTurn(id, { message }, { onBusy: "wait", busyTimeout: 120_000 });
 * ```
 */
export interface DispatchOptions extends RequestOptions {
  /**
   * What to do when the session already runs a task (409). `"throw"` (default): throw
   * {@link SessionBusyError}. `"wait"`: wait until it is idle (within `busyTimeout`), then send
   * once more.
   */
  onBusy?: "throw" | "wait" | undefined;
  /**
   * With `onBusy: "wait"`, the longest wait for idle in ms (never past `deadline`). Default
   * `300_000`.
   */
  busyTimeout?: number | undefined;
  /** With `onBusy: "wait"`, the poll schedule of the wait for idle. Default {@link DEFAULT_POLL}. */
  poll?: PollOptions | undefined;
  /**
   * What to do when the dispatch's answer was lost and reading the session for
   * `reconcileTimeout` ms did not show it. `"throw"` (default): throw
   * {@link DispatchUnknownError} (at most once: never pay twice). `"resend"`: send it again (opt-in:
   * if the first request still arrives later, the turn is paid twice).
   */
  onUnknown?: "throw" | "resend" | undefined;
  /**
   * How long a dispatch whose answer was lost is watched for (reading the session), in ms, before
   * its fate is declared unknown. Default `10_000`. While the session is busy with a task that
   * is not this turn, it is watched up to `busyTimeout`.
   */
  reconcileTimeout?: number | undefined;
}

/**
 * How `waitForIdle` polls. The first read is immediate; then the delay starts at
 * `initialDelayMs`, grows by `multiplier` up to `maxDelayMs`, and each delay is spread by
 * ±`jitter` so that many waiters do not read in lock-step.
 *
 * @example
 * ```ts
 * await puffle.waitForIdle(id, { poll: { initialDelayMs: 500, maxDelayMs: 3_000 } });
 * ```
 *
 * @group Waiting
 */
export interface PollOptions {
  /** First delay after the immediate read, in ms. Default `2_500`. */
  initialDelayMs?: number | undefined;
  /** Growth factor of the delay. Default `1.5`. */
  multiplier?: number | undefined;
  /** Longest delay, in ms. Default `4_000` (Puffle suggests polling every 2 to 5 s). */
  maxDelayMs?: number | undefined;
  /** Spread of each delay, as a fraction (0 to 1). Default `0.2`. */
  jitter?: number | undefined;
}

/**
 * The default poll schedule, inside Puffle's guidance of one read every 2 to 5 s: after the
 * immediate first read, 2.5 s, then ×1.5 up to 4 s, each delay spread by ±20 % (so every delay
 * falls between 2 and 4.8 s).
 *
 * @example
 * ```ts
 * import { DEFAULT_POLL, PuffleClient } from "puffle-chat";
 * const puffle = new PuffleClient();
 * await puffle.waitForIdle("3c90c3cc-0d44-4b50-8888-8dd25736052a", { poll: { ...DEFAULT_POLL, maxDelayMs: 5_000 } });
 * ```
 *
 * @group Waiting
 */
export const DEFAULT_POLL: Required<{ [K in keyof PollOptions]: number }> = {
  initialDelayMs: 2_500,
  multiplier: 1.5,
  maxDelayMs: 4_000,
  jitter: 0.2,
};

/**
 * A faster schedule (0.5 s, ×1.5 up to 2 s, ±25 %), **against Puffle's guidance** of polling every
 * 2 to 5 s: for the emulator, tests and demos, not for production traffic. Opt in explicitly.
 *
 * @example
 * ```ts
 * import { FAST_POLL, PuffleClient } from "puffle-chat";
 * const puffle = new PuffleClient();
 * await puffle.waitForIdle("3c90c3cc-0d44-4b50-8888-8dd25736052a", { poll: FAST_POLL });
 * ```
 *
 * @group Waiting
 */
export const FAST_POLL: Required<{ [K in keyof PollOptions]: number }> = {
  initialDelayMs: 500,
  multiplier: 1.5,
  maxDelayMs: 2_000,
  jitter: 0.25,
};

/**
 * Default `deadline` of a wait (and of `chat`), in ms: 10 minutes (example runs over many leads can
 * take minutes).
 *
 * @group Waiting
 */
export const DEFAULT_WAIT_DEADLINE_MS = 600_000;

/**
 * What `waitForIdle` reports through `onEvent` as it goes.
 *
 * @example
 * ```ts
 * await puffle.waitForIdle(id, { run, onEvent: (e) => e.type === "fallback" && console.warn(e.reason) });
 * ```
 *
 * @group Waiting
 */
export type WaitEvent =
  | { type: "mode"; mode: "realtime" | "poll" }
  | { type: "fallback"; reason: string }
  | { type: "run"; run: RunUpdate }
  | { type: "session"; session: Session };

/**
 * Options of `waitForIdle`. `deadline` bounds the whole wait; `timeout` bounds each session read
 * (the same meaning `timeout` has on every method).
 *
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * const puffle = new PuffleClient();
 * const id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
 * const run = await puffle.runTurn(id, { message: "Shorter, please" });
 * await puffle.waitForIdle(id, { run, deadline: 120_000, onEvent: console.log });
 * ```
 *
 * @group Waiting
 */
export interface WaitOptions {
  /** The run handle of the task (from `runTurn` / `generateExamples`): enables realtime. */
  run?: RunHandle | undefined;
  /**
   * `"auto"` (default): realtime when `run` has a token, polling otherwise or on any feed
   * failure. `"realtime"`: realtime only (a feed failure throws). `"poll"`: polling only.
   */
  mode?: "auto" | "realtime" | "poll" | undefined;
  /**
   * The whole wait's budget in ms: at the deadline the wait stops and throws
   * {@link WaitTimeoutError} (with the run and the last session seen). Default `600_000`.
   */
  deadline?: number | undefined;
  /** Cancels the wait: requests, sleeps and the subscription stop at once. */
  signal?: AbortSignal | undefined;
  /** Called with each {@link WaitEvent}. Exceptions it throws are ignored. */
  onEvent?: ((event: WaitEvent) => void) | undefined;
  /** The poll schedule. */
  poll?: PollOptions | undefined;
  /** Per-attempt timeout of each session read, in ms. Default: the client's `timeout`. */
  timeout?: number | undefined;
}

/**
 * Options of `chat()` (and `generateExamplesAndWait`). `deadline` is the budget of the whole
 * operation (a busy wait, the dispatch and the wait for idle); `timeout` bounds each HTTP request.
 *
 * With `onBusy: "wait"`, the busy wait may use at most half of the budget (or `busyTimeout`, when
 * smaller), so the turn it then dispatches always keeps at least half for its own wait; a session
 * still busy by then ends with {@link WaitTimeoutError} and nothing is sent.
 *
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * const puffle = new PuffleClient();
 * await puffle.chat(
 *   "3c90c3cc-0d44-4b50-8888-8dd25736052a",
 *   { message: "Shorter, please" },
 *   { deadline: 120_000, onBusy: "wait", onEvent: console.log },
 * );
 * ```
 *
 * @group Waiting
 */
export interface ChatOptions
  extends Omit<WaitOptions, "run">,
    Omit<DispatchOptions, keyof WaitOptions> {
  /** Automatic retries of each request. Default: the client's `maxRetries`. */
  maxRetries?: number | undefined;
  /** Extra headers for the dispatch request. */
  headers?: Record<string, string> | undefined;
  /**
   * With `onBusy: "wait"`, the longest busy wait in ms. Default and maximum: half of `deadline`.
   */
  busyTimeout?: number | undefined;
}

/**
 * Options of `generateExamplesAndWait`: the same budget rules as {@link ChatOptions}.
 *
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * import type { GenerateExamplesAndWaitOptions } from "puffle-chat/types";
 * const puffle = new PuffleClient();
 * const options: GenerateExamplesAndWaitOptions = { deadline: 300_000, onBusy: "wait" };
 * await puffle.generateExamplesAndWait("3c90c3cc-0d44-4b50-8888-8dd25736052a", { leads: [{ first_name: "Ada" }] }, options);
 * ```
 *
 * @group Waiting
 */
export type GenerateExamplesAndWaitOptions = ChatOptions;

/**
 * Options of `finishSession`, plus the per-request options applied to each of its calls.
 *
 * @example
 * ```ts
 * const options: FinishSessionOptions = { via: "updateCampaign", lint: { availableVarNames: ["first_name", "company"] } };
 * ```
 *
 * @group Campaigns
 */
export interface FinishSessionOptions extends RequestOptions {
  /**
   * How an email node gets the draft. `"updateSequenceNode"` (default): the single-node PUT, which
   * answers 400 on a non-draft campaign and returns the refreshed node. `"updateCampaign"`: the
   * literal documented step 5, a whole-sequence PATCH (every node, `end` included, in order, ids
   * kept), then a read-back proving the change stuck and no node id changed.
   */
  via?: "updateSequenceNode" | "updateCampaign" | undefined;
  /**
   * Lint options for the email draft before anything is written; any lint error refuses
   * (`draft-lint`). Default `{}`: unfilled `&&instruction&&` blocks, em dashes, unbalanced
   * markers and empty fields are errors. `{ instructions: "off" }` allows blocks; `false` skips
   * the lint.
   */
  lint?: LintOptions | false | undefined;
  /** Whether to run `resolve` at the end. Default `true`. */
  resolve?: boolean | undefined;
}

/**
 * Client options, their defaults and environment fallbacks.
 *
 * @module
 */
import { PuffleError } from "../base/puffle-error";
import { registerSecret } from "../base/redact";
import { createLogger, isLogLevel, type Logger, type LogLevel, type SdkLogger } from "./log";

/**
 * Puffle's API host.
 *
 * @example
 * ```ts
 * new PuffleClient({ baseURL: DEFAULT_BASE_URL }); // the default
 * ```
 */
export const DEFAULT_BASE_URL = "https://app.puffle.ai";
/**
 * The Trigger.dev host Puffle's runs live on (assumed; API.md "Open points").
 *
 * @example
 * ```ts
 * new PuffleClient({ triggerBaseURL: DEFAULT_TRIGGER_BASE_URL }); // the default
 * ```
 */
export const DEFAULT_TRIGGER_BASE_URL = "https://api.trigger.dev";
/**
 * Per-attempt timeout of ordinary calls, in ms.
 *
 * @example
 * ```ts
 * await puffle.getSession(id, { timeout: DEFAULT_TIMEOUT_MS / 2 });
 * ```
 */
export const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * Per-attempt timeout of `generateContent`, which runs a whole turn inline, in ms.
 *
 * @example
 * ```ts
 * new PuffleClient({ generateContentTimeout: DEFAULT_GENERATE_CONTENT_TIMEOUT_MS * 2 });
 * ```
 */
export const DEFAULT_GENERATE_CONTENT_TIMEOUT_MS = 600_000;
/**
 * Automatic retries of a call that may be retried.
 *
 * @example
 * ```ts
 * new PuffleClient({ maxRetries: DEFAULT_MAX_RETRIES + 2 });
 * ```
 */
export const DEFAULT_MAX_RETRIES = 2;
/**
 * Longest `Retry-After` honoured, in ms.
 *
 * @example
 * ```ts
 * new PuffleClient({ maxRetryAfter: DEFAULT_MAX_RETRY_AFTER_MS });
 * ```
 */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
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

/** Options after defaults and environment. */
export interface ResolvedOptions {
  apiKey: string;
  baseURL: string;
  triggerBaseURL: string;
  timeout: number;
  generateContentTimeout: number;
  maxRetries: number;
  maxRetryAfter: number;
  retryDelay: number;
  retryMaxDelay: number;
  headers: Record<string, string>;
  fetch: typeof globalThis.fetch | undefined;
  logger: SdkLogger;
  realtime: { transport: "electric" | "trigger-sdk"; stallTimeoutMs: number };
}

/**
 * An environment variable, or `undefined`. Never throws: where the environment is locked (Deno
 * without `--allow-env`, some edge runtimes) reading it throws, and a client whose options are all
 * passed explicitly must still work there.
 */
function env(name: string): string | undefined {
  let value: string | undefined;
  try {
    value = typeof process === "undefined" ? undefined : process.env?.[name];
  } catch {
    return undefined;
  }
  return value === undefined || value === "" ? undefined : value;
}

/** True in a browser-like environment (a `window` and a `document`, no Node `process`). */
export function isBrowserLike(): boolean {
  const g = globalThis as {
    window?: unknown;
    document?: unknown;
    process?: { versions?: { node?: string } };
  };
  return (
    typeof g.window !== "undefined" &&
    typeof g.document !== "undefined" &&
    !g.process?.versions?.node
  );
}

const CLIENT_OPTION_KEYS = [
  "apiKey",
  "baseURL",
  "triggerBaseURL",
  "timeout",
  "generateContentTimeout",
  "maxRetries",
  "maxRetryAfter",
  "retryDelay",
  "retryMaxDelay",
  "headers",
  "fetch",
  "logLevel",
  "logger",
  "dangerouslyAllowBrowser",
  "realtime",
] as const satisfies readonly (keyof ClientOptions)[];
const REALTIME_OPTION_KEYS = [
  "transport",
  "stallTimeoutMs",
] as const satisfies readonly (keyof RealtimeOptions)[];

/**
 * Refuse keys an options object does not know (a typo such as `apikey` would otherwise be ignored
 * silently), naming the closest known key.
 */
export function checkKnownKeys(where: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    throw new PuffleError(
      `${where}: unknown option "${key}"${guess ? `; did you mean "${guess}"?` : "."} Known options: ${known.join(", ")}.`,
    );
  }
}

/** The known name nearest to `key` (case-insensitive edit distance), when it is near enough. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Apply defaults and environment; throw a {@link PuffleError} that says what to fix. */
export function resolveOptions(options: ClientOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new PuffleError("new PuffleClient(options): options must be an object.");
  }
  checkKnownKeys("new PuffleClient()", options, CLIENT_OPTION_KEYS);
  if (typeof options.realtime === "object" && options.realtime !== null) {
    checkKnownKeys("new PuffleClient() realtime", options.realtime, REALTIME_OPTION_KEYS);
  }
  if (isBrowserLike() && !options.dangerouslyAllowBrowser) {
    throw new PuffleError(
      "PuffleClient is running in a browser, where its API key would be exposed to every visitor. " +
        "Keep the key on your server and hand the browser a run handle for puffle-chat/realtime, " +
        "or pass dangerouslyAllowBrowser: true if you really mean it.",
    );
  }
  const apiKey = options.apiKey ?? env("PUFFLE_API_KEY");
  if (!apiKey || typeof apiKey !== "string" || !apiKey.trim()) {
    throw new PuffleError(
      "No Puffle API key: pass { apiKey } to new PuffleClient() or set PUFFLE_API_KEY. " +
        "To try the SDK offline, start the emulator (npx puffle-chat emulator) and use the key it prints.",
    );
  }
  registerSecret(apiKey);
  const logLevelEnv = env("PUFFLE_LOG");
  const logLevel = options.logLevel ?? (isLogLevel(logLevelEnv) ? logLevelEnv : "warn");
  if (!isLogLevel(logLevel)) {
    throw new PuffleError(
      `logLevel must be one of off, error, warn, info, debug (got ${String(logLevel)}).`,
    );
  }
  const logger = createLogger(logLevel, options.logger);
  if (logLevelEnv !== undefined && !isLogLevel(logLevelEnv)) {
    logger.warn(
      `PUFFLE_LOG=${logLevelEnv} is not a log level (off, error, warn, info, debug); using ${logLevel}.`,
    );
  }
  const baseURL = checkURL(
    "baseURL",
    options.baseURL ?? env("PUFFLE_BASE_URL") ?? env("PUFFLE_API_BASE_URL") ?? DEFAULT_BASE_URL,
  );
  const triggerBaseURL = checkURL(
    "triggerBaseURL",
    options.triggerBaseURL ?? env("PUFFLE_TRIGGER_BASE_URL") ?? DEFAULT_TRIGGER_BASE_URL,
  );
  const transport = options.realtime?.transport ?? "electric";
  if (transport !== "electric" && transport !== "trigger-sdk") {
    throw new PuffleError(
      `realtime.transport must be "electric" or "trigger-sdk" (got ${String(transport)}).`,
    );
  }
  return {
    apiKey,
    baseURL,
    triggerBaseURL,
    timeout: checkDuration("timeout", options.timeout, DEFAULT_TIMEOUT_MS),
    generateContentTimeout: checkDuration(
      "generateContentTimeout",
      options.generateContentTimeout,
      DEFAULT_GENERATE_CONTENT_TIMEOUT_MS,
    ),
    maxRetries: checkCount("maxRetries", options.maxRetries, DEFAULT_MAX_RETRIES),
    maxRetryAfter: checkDuration(
      "maxRetryAfter",
      options.maxRetryAfter,
      DEFAULT_MAX_RETRY_AFTER_MS,
    ),
    retryDelay: checkDuration("retryDelay", options.retryDelay, DEFAULT_RETRY_DELAY_MS),
    retryMaxDelay: checkDuration(
      "retryMaxDelay",
      options.retryMaxDelay,
      DEFAULT_RETRY_MAX_DELAY_MS,
    ),
    headers: { ...options.headers },
    fetch: options.fetch,
    logger,
    realtime: {
      transport,
      stallTimeoutMs: checkDuration(
        "realtime.stallTimeoutMs",
        options.realtime?.stallTimeoutMs,
        60_000,
      ),
    },
  };
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function checkURL(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PuffleError(
      `${name} must be an absolute URL such as https://app.puffle.ai (got "${value}").`,
    );
  }
  // 127.0.0.0/8 as an IPv4 literal only: a name such as 127.example.com is not loopback.
  const loopback = LOOPBACK.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new PuffleError(
      `${name} must use https:// (got ${url.protocol}//${url.host}); plain http is only allowed on loopback, for the emulator.`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

/** A timeout-like option: a positive finite number of milliseconds. */
export function checkDuration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > 2_147_483_647) {
    throw new PuffleError(
      `${name} must be a positive number of milliseconds, at most 2147483647 (got ${String(value)}).`,
    );
  }
  return value;
}

/** A count-like option: a whole number, 0 or more. */
export function checkCount(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 100) {
    throw new PuffleError(`${name} must be a whole number from 0 to 100 (got ${String(value)}).`);
  }
  return value;
}

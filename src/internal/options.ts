/**
 * Resolving client options: defaults, environment fallbacks and the browser rule. The options
 * reaching {@link resolveOptions} have passed `CLIENT_OPTIONS` (`check-options.ts`), so only what
 * the spec could not see is checked here: the environment's values and where the code runs.
 *
 * @internal
 * @module
 */
import { PuffleError } from "../base/puffle-error";
import { registerSecret } from "../base/redact";
import {
  type ClientOptions,
  DEFAULT_BASE_URL,
  DEFAULT_GENERATE_CONTENT_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRY_DELAY_MS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TRIGGER_BASE_URL,
  type LogLevel,
} from "../core/options";
import { createLogger, isLogLevel, type SdkLogger } from "./log";
import { urlProblem } from "./option-values";

/** Give up on a silent realtime feed after this long, in ms (`realtime.stallTimeoutMs`). */
const DEFAULT_STALL_TIMEOUT_MS = 60_000;

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
  maxResponseBytes: number;
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

/**
 * Apply defaults and the environment to options that passed `CLIENT_OPTIONS`.
 *
 * @throws {@link PuffleError} when no API key is found, an environment URL is not allowed, or it
 * runs in a browser without `dangerouslyAllowBrowser`.
 */
export function resolveOptions(options: ClientOptions = {}): ResolvedOptions {
  if (isBrowserLike() && !options.dangerouslyAllowBrowser) {
    throw new PuffleError(
      "PuffleClient is running in a browser, where its API key would be exposed to every visitor. " +
        "Keep the key on your server and hand the browser a run handle for puffle-chat/realtime, " +
        "or pass dangerouslyAllowBrowser: true if you really mean it.",
    );
  }
  const apiKey = options.apiKey ?? env("PUFFLE_API_KEY");
  if (!apiKey?.trim()) {
    throw new PuffleError(
      "No Puffle API key: pass { apiKey } to new PuffleClient() or set PUFFLE_API_KEY. " +
        "To try the SDK offline, start the emulator (npx puffle-chat emulator) and use the key it prints.",
    );
  }
  registerSecret(apiKey);
  const logger = resolveLogger(options);
  return {
    apiKey,
    baseURL: trimSlashes(
      options.baseURL ??
        envURL("PUFFLE_BASE_URL") ??
        envURL("PUFFLE_API_BASE_URL") ??
        DEFAULT_BASE_URL,
    ),
    triggerBaseURL: trimSlashes(
      options.triggerBaseURL ?? envURL("PUFFLE_TRIGGER_BASE_URL") ?? DEFAULT_TRIGGER_BASE_URL,
    ),
    timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
    generateContentTimeout: options.generateContentTimeout ?? DEFAULT_GENERATE_CONTENT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    maxRetryAfter: options.maxRetryAfter ?? DEFAULT_MAX_RETRY_AFTER_MS,
    retryDelay: options.retryDelay ?? DEFAULT_RETRY_DELAY_MS,
    retryMaxDelay: options.retryMaxDelay ?? DEFAULT_RETRY_MAX_DELAY_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    headers: { ...options.headers },
    fetch: options.fetch,
    logger,
    realtime: {
      transport: options.realtime?.transport ?? "electric",
      stallTimeoutMs: options.realtime?.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS,
    },
  };
}

/** The logger at `logLevel`, else `PUFFLE_LOG`, else "warn"; a bad `PUFFLE_LOG` is a warning. */
function resolveLogger(options: ClientOptions): SdkLogger {
  const fromEnv = env("PUFFLE_LOG");
  const level: LogLevel = options.logLevel ?? (isLogLevel(fromEnv) ? fromEnv : "warn");
  const logger = createLogger(level, options.logger);
  if (fromEnv !== undefined && !isLogLevel(fromEnv)) {
    logger.warn(
      `PUFFLE_LOG=${fromEnv} is not a log level (off, error, warn, info, debug); using ${level}.`,
    );
  }
  return logger;
}

/** A URL from the environment, which never passed the options spec: checked the same way here. */
function envURL(name: string): string | undefined {
  const value = env(name);
  if (value === undefined) return undefined;
  const problem = urlProblem(value);
  if (problem) throw new PuffleError(`${name} ${problem}.`);
  return value;
}

/** The URL's normal form without a trailing slash (`https://x.test/puffle/` → `https://x.test/puffle`). */
function trimSlashes(value: string): string {
  return new URL(value).href.replace(/\/+$/, "");
}

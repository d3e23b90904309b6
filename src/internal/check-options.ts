/**
 * Validation of option objects (client options, per-call options, wait and chat options), the same
 * way arguments are validated: before anything is sent, every problem listed in one
 * {@link RequestValidationError}, unknown keys refused with the nearest known name.
 *
 * @internal
 * @module
 */
import { RequestValidationError, type ValidationIssue } from "../core/errors";
import { closest } from "../core/options";

/** A check of one option value: the problem in words, or undefined when it is fine. */
export type Check = (
  value: unknown,
  path: Array<string | number>,
  issues: ValidationIssue[],
) => string | undefined;

/** The checks of an options object, by key. Hidden keys are accepted but never suggested. */
export interface Spec {
  keys: Record<string, Check>;
  hidden?: readonly string[];
}

const MAX_MS = 2_147_483_647;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const describe = (value: unknown): string => {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return `a ${typeof value}`;
};

/** Checks of option values. */
export const is = {
  duration: ((value) =>
    typeof value === "number" && Number.isFinite(value) && value > 0 && value <= MAX_MS
      ? undefined
      : `must be a positive number of milliseconds, at most ${MAX_MS} (got ${describe(value)})`) as Check,
  count: ((value) =>
    typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 100
      ? undefined
      : `must be a whole number from 0 to 100 (got ${describe(value)})`) as Check,
  number: ((value) =>
    typeof value === "number" && Number.isFinite(value)
      ? undefined
      : `must be a finite number (got ${describe(value)})`) as Check,
  boolean: ((value) =>
    typeof value === "boolean"
      ? undefined
      : `must be true or false (got ${describe(value)})`) as Check,
  string: ((value) =>
    typeof value === "string" && value.trim() !== ""
      ? undefined
      : `must be a non-empty string (got ${describe(value)})`) as Check,
  function: ((value) =>
    typeof value === "function"
      ? undefined
      : `must be a function (got ${describe(value)})`) as Check,
  signal: ((value) => {
    const v = value as { aborted?: unknown; addEventListener?: unknown } | null;
    return typeof v === "object" &&
      v !== null &&
      typeof v.aborted === "boolean" &&
      typeof v.addEventListener === "function"
      ? undefined
      : `must be an AbortSignal (got ${describe(value)})`;
  }) as Check,
  oneOf:
    (...allowed: readonly string[]): Check =>
    (value) =>
      typeof value === "string" && allowed.includes(value)
        ? undefined
        : `must be ${allowed.map((a) => JSON.stringify(a)).join(" or ")} (got ${describe(value)})`,
  headers: ((value, path, issues) => {
    if (!isPlainObject(value)) {
      return `must be an object of header names to string values (got ${describe(value)})`;
    }
    for (const [name, v] of Object.entries(value)) {
      if (!HEADER_NAME.test(name)) {
        issues.push({ path: [...path, name], message: "is not a valid header name" });
      } else if (typeof v !== "string") {
        issues.push({ path: [...path, name], message: `must be a string (got ${describe(v)})` });
      } else if (/[\r\n\0]/.test(v)) {
        issues.push({ path: [...path, name], message: "must not contain line breaks" });
      }
    }
    return undefined;
  }) as Check,
  logger: ((value) => {
    if (!isPlainObjectOrInstance(value))
      return `must be an object like console (got ${describe(value)})`;
    const missing = ["error", "warn", "info", "debug"].filter(
      (name) => typeof (value as Record<string, unknown>)[name] !== "function",
    );
    return missing.length
      ? `must have the methods error, warn, info and debug (missing or not functions: ${missing.join(", ")})`
      : undefined;
  }) as Check,
  run: ((value) => {
    if (!isPlainObject(value)) {
      return `must be the run handle runTurn or generateExamples resolved with (got ${describe(value)})`;
    }
    const { runId, publicAccessToken } = value as Record<string, unknown>;
    if (
      !(runId === null || typeof runId === "string") ||
      !(publicAccessToken === null || typeof publicAccessToken === "string")
    ) {
      return "must be a run handle: { runId, publicAccessToken } (strings, or null for a reconciled run)";
    }
    return undefined;
  }) as Check,
  object:
    (spec: Spec): Check =>
    (value, path, issues) => {
      if (!isPlainObject(value)) return `must be an object (got ${describe(value)})`;
      collect(value as Record<string, unknown>, path, spec, issues);
      return undefined;
    },
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isPlainObjectOrInstance(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function collect(
  value: Record<string, unknown>,
  path: Array<string | number>,
  spec: Spec,
  issues: ValidationIssue[],
): void {
  const known = Object.keys(spec.keys);
  for (const key of Object.keys(value)) {
    const check = Object.hasOwn(spec.keys, key) ? spec.keys[key] : undefined;
    if (!check) {
      if (spec.hidden?.includes(key)) continue;
      const guess = closest(key, known);
      issues.push({
        path: [...path, key],
        message: `is not known: unknown option "${key}"${guess ? `; did you mean "${guess}"?` : "."} Known options: ${known.join(", ")}`,
      });
      continue;
    }
    const item = value[key];
    if (item === undefined) continue;
    const problem = check(item, [...path, key], issues);
    if (problem) issues.push({ path: [...path, key], message: problem });
  }
}

/**
 * Check an options argument: `undefined` is fine; anything else must be a plain object whose keys
 * are known and whose values pass their checks. Throws one {@link RequestValidationError} listing
 * every problem.
 */
export function checkOptions(operation: string, argName: string, value: unknown, spec: Spec): void {
  if (value === undefined) return;
  const issues: ValidationIssue[] = [];
  if (!isPlainObject(value)) {
    issues.push({
      path: [argName],
      message: `must be an options object or left out (got ${describe(value)})`,
    });
  } else {
    collect(value, [argName], spec, issues);
  }
  if (issues.length) throw new RequestValidationError(operation, issues);
}

const POLL: Spec = {
  keys: {
    initialDelayMs: is.duration,
    multiplier: ((v) =>
      typeof v === "number" && Number.isFinite(v) && v >= 1 && v <= 10
        ? undefined
        : `must be a number from 1 to 10 (got ${describe(v)})`) as Check,
    maxDelayMs: is.duration,
    jitter: ((v) =>
      typeof v === "number" && v >= 0 && v <= 1
        ? undefined
        : `must be a number from 0 to 1 (got ${describe(v)})`) as Check,
  },
};

/** Options every method takes (`RequestOptions`). */
export const REQUEST_OPTIONS: Spec = {
  keys: {
    signal: is.signal,
    timeout: is.duration,
    deadline: is.duration,
    maxRetries: is.count,
    headers: is.headers,
  },
  hidden: ["deadlineAt"],
};

/** Options of `runTurn` and `generateExamples` (`DispatchOptions`). */
export const DISPATCH_OPTIONS: Spec = {
  keys: {
    ...REQUEST_OPTIONS.keys,
    onBusy: is.oneOf("throw", "wait"),
    busyTimeout: is.duration,
    poll: is.object(POLL),
    onUnknown: is.oneOf("throw", "resend"),
    reconcileTimeout: is.duration,
  },
  hidden: ["deadlineAt"],
};

/** Options of `waitForIdle` (`WaitOptions`). */
export const WAIT_OPTIONS: Spec = {
  keys: {
    run: is.run,
    mode: is.oneOf("auto", "realtime", "poll"),
    deadline: is.duration,
    signal: is.signal,
    onEvent: is.function,
    poll: is.object(POLL),
    timeout: is.duration,
  },
};

/** Options of `chat` and `generateExamplesAndWait` (`ChatOptions`). */
export const CHAT_OPTIONS: Spec = {
  keys: {
    mode: WAIT_OPTIONS.keys.mode as Check,
    deadline: is.duration,
    signal: is.signal,
    onEvent: is.function,
    poll: is.object(POLL),
    timeout: is.duration,
    maxRetries: is.count,
    headers: is.headers,
    onBusy: is.oneOf("throw", "wait"),
    busyTimeout: is.duration,
    onUnknown: is.oneOf("throw", "resend"),
    reconcileTimeout: is.duration,
  },
};

/** Options of `new PuffleClient()` (`ClientOptions`). */
export const CLIENT_OPTIONS: Spec = {
  keys: {
    apiKey: ((v) =>
      typeof v === "string" && v.trim() !== ""
        ? undefined
        : `must be a non-empty string (or leave it out and set PUFFLE_API_KEY) (got ${describe(v)})`) as Check,
    baseURL: is.string,
    triggerBaseURL: is.string,
    timeout: is.duration,
    generateContentTimeout: is.duration,
    maxRetries: is.count,
    maxRetryAfter: is.duration,
    retryDelay: is.duration,
    retryMaxDelay: is.duration,
    headers: is.headers,
    fetch: is.function,
    logLevel: is.oneOf("off", "error", "warn", "info", "debug"),
    logger: is.logger,
    dangerouslyAllowBrowser: is.boolean,
    realtime: is.object({
      keys: {
        transport: is.oneOf("electric", "trigger-sdk"),
        stallTimeoutMs: is.duration,
      },
    }),
  },
};

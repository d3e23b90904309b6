/**
 * The checks of single option values (a duration, a count, headers, a URL, ...): each says what is
 * wrong in words, or nothing when the value is fine. The specs in `check-options.ts` are built from
 * them.
 *
 * @internal
 * @module
 */
import type { ValidationIssue } from "../core/errors";

/** A check of one option value: the problem in words, or undefined when it is fine. */
export type Check = (
  value: unknown,
  path: Array<string | number>,
  issues: ValidationIssue[],
) => string | undefined;

/** The longest delay `setTimeout` takes (2^31 - 1 ms); a longer one would fire at once. */
export const MAX_MS = 2_147_483_647;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** A value in words for a message: never more than 40 characters of a string. */
export const describe = (value: unknown): string => {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return `a ${typeof value}`;
};

/** True for `{}` and `Object.create(null)`, not for arrays, class instances or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * What is wrong with a base URL, or undefined: it must be absolute, carry no user name or
 * password, and use https, except plain http on loopback (the emulator). Shared by the `baseURL`
 * options and their environment variables.
 */
export function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Never echo what may be a password (`https//user:secret@host` does not parse either).
    const got = value.includes("@") ? "a string with an @, not shown" : describe(value);
    return `must be an absolute URL such as https://app.puffle.ai (got ${got})`;
  }
  // fetch refuses such a URL on every request (and names it, password included, in its error);
  // Puffle authenticates with the API key alone. The message names the host only.
  if (url.username || url.password) {
    return `must not contain a user name or password (got ${url.protocol}//…@${url.host}): remove them from the URL; Puffle authenticates with the apiKey option (or PUFFLE_API_KEY) alone`;
  }
  // 127.0.0.0/8 as an IPv4 literal only: a name such as 127.example.com is not loopback.
  const loopback = LOOPBACK.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    return `must use https:// (got ${url.protocol}//${url.host}); plain http is only allowed on loopback, for the emulator`;
  }
  return undefined;
}

const headers: Check = (value, path, issues) => {
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
};

const logger: Check = (value) => {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return `must be an object like console (got ${describe(value)})`;
  const missing = ["error", "warn", "info", "debug"].filter(
    (name) => typeof (value as Record<string, unknown>)[name] !== "function",
  );
  return missing.length
    ? `must have the methods error, warn, info and debug (missing or not functions: ${missing.join(", ")})`
    : undefined;
};

const run: Check = (value) => {
  if (!isPlainObject(value)) {
    return `must be the run handle runTurn or generateExamples resolved with (got ${describe(value)})`;
  }
  const { runId, publicAccessToken } = value;
  if (
    !(runId === null || typeof runId === "string") ||
    !(publicAccessToken === null || typeof publicAccessToken === "string")
  ) {
    return "must be a run handle: { runId, publicAccessToken } (strings, or null for a reconciled run)";
  }
  return undefined;
};

/** A number within [min, max]. */
const between =
  (min: number, max: number): Check =>
  (value) =>
    typeof value === "number" && Number.isFinite(value) && value >= min && value <= max
      ? undefined
      : `must be a number from ${min} to ${max} (got ${describe(value)})`;

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
  between,
  bytes: ((value) =>
    Number.isSafeInteger(value) && (value as number) > 0
      ? undefined
      : `must be a whole number of bytes, at least 1 (got ${describe(value)})`) as Check,
  boolean: ((value) =>
    typeof value === "boolean"
      ? undefined
      : `must be a boolean, true or false (got ${describe(value)})`) as Check,
  strings: ((value) =>
    Array.isArray(value) && value.every((v) => typeof v === "string")
      ? undefined
      : `must be an array of strings (got ${describe(value)})`) as Check,
  url: ((value) =>
    typeof value === "string"
      ? urlProblem(value)
      : `must be a URL string (got ${describe(value)})`) as Check,
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
  headers,
  logger,
  run,
};

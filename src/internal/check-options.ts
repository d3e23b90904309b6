/**
 * One spec per options type, and the one checker that applies them. Every options object is
 * checked like every argument, at the public edge and before anything is sent: unknown keys refused
 * with the nearest known name, every problem listed in one {@link RequestValidationError}. After
 * that the code trusts the options' types.
 *
 * A spec's keys are tied to its interface by {@link defineSpec}: a key missing from the spec, or a
 * key the interface does not have, does not compile. Specs are composed (dispatch = request ∪ its
 * own keys; chat = wait ∪ dispatch), so one new option is one interface member and one spec entry.
 *
 * @internal
 * @module
 */
import { RequestValidationError, type ValidationIssue } from "../core/errors";
import type {
  ChatOptions,
  ClientOptions,
  DispatchOptions,
  FinishSessionOptions,
  PollOptions,
  RealtimeOptions,
  RequestOptions,
  WaitOptions,
} from "../core/options";
import type { LintOptions } from "../template/lint";
import { closest } from "./closest";
import { type Check, describe, is, isPlainObject } from "./option-values";

export type { Check } from "./option-values";

/** A check for each key of `T`, optional keys included: exactly the keys of `T`. */
export type Keys<T> = { readonly [K in keyof Required<T>]-?: Check };

/**
 * The checks of an options type, by key. Hidden keys (the internal `deadlineAt`) are accepted
 * unchecked but never suggested.
 */
export interface Spec<T = unknown> {
  readonly keys: Keys<T>;
  readonly hidden?: readonly string[];
}

/** The keys of `K` that `T` does not have, each typed `never` so that listing one fails. */
type NoExtra<K, T> = { readonly [X in Exclude<keyof K, keyof T>]: never };

/**
 * The spec of `T`: `defineSpec<T>()(keys)`. `keys` must hold exactly the keys of `T`, also when it
 * is built by spreading other specs' keys (a plain type annotation would let a spread extra through).
 */
export function defineSpec<T>() {
  return <K extends Keys<T>>(keys: K & NoExtra<K, T>, hidden?: readonly string[]): Spec<T> =>
    hidden ? { keys, hidden } : { keys };
}

/** `keys` without the named ones (to compose a spec from a wider one). */
function omit<K extends object, D extends keyof K>(keys: K, ...drop: D[]): Omit<K, D> {
  const out = { ...keys } as Record<PropertyKey, unknown>;
  for (const key of drop) delete out[key];
  return out as Omit<K, D>;
}

/** Add an issue for every problem of `value` against `spec` (unknown keys, then bad values). */
function collect(
  value: Record<string, unknown>,
  path: Array<string | number>,
  spec: Spec,
  issues: ValidationIssue[],
): void {
  const checks = spec.keys as Readonly<Record<string, Check>>;
  const known = Object.keys(checks);
  for (const key of Object.keys(value)) {
    const check = Object.hasOwn(checks, key) ? checks[key] : undefined;
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

/** A nested options object (`poll`, `realtime`, `lint`), checked against its own spec. */
function nested<T>(spec: Spec<T>): Check {
  return (value, path, issues) => {
    if (!isPlainObject(value)) return `must be an object (got ${describe(value)})`;
    collect(value, path, spec as Spec, issues);
    return undefined;
  };
}

/**
 * Check an options argument: `undefined` is fine; anything else must be a plain object whose keys
 * are known and whose values pass their checks.
 *
 * @throws {@link RequestValidationError} listing every problem.
 */
export function checkOptions<T>(
  operation: string,
  argName: string,
  value: unknown,
  spec: Spec<T>,
): void {
  if (value === undefined) return;
  const issues: ValidationIssue[] = [];
  if (!isPlainObject(value)) {
    issues.push({
      path: [argName],
      message: `must be an options object or left out (got ${describe(value)})`,
    });
  } else {
    collect(value, [argName], spec as Spec, issues);
  }
  if (issues.length) throw new RequestValidationError(operation, issues);
}

/** The entries of `options` that `spec` knows (to pass a wider options object on to a narrower call). */
export function pickKnown<T>(options: object, spec: Spec<T>): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (Object.hasOwn(spec.keys, key)) out[key] = value;
  }
  return out as Partial<T>;
}

/** `PollOptions`: the schedule of a wait's session reads. */
export const POLL_OPTIONS = defineSpec<PollOptions>()({
  initialDelayMs: is.duration,
  multiplier: is.between(1, 10),
  maxDelayMs: is.duration,
  jitter: is.between(0, 1),
});

/** Options every method takes (`RequestOptions`). */
export const REQUEST_OPTIONS = defineSpec<RequestOptions>()(
  {
    signal: is.signal,
    timeout: is.duration,
    deadline: is.duration,
    maxRetries: is.count,
    headers: is.headers,
  },
  ["deadlineAt"],
);

/** Options of `runTurn` and `generateExamples` (`DispatchOptions`): the request options and more. */
export const DISPATCH_OPTIONS = defineSpec<DispatchOptions>()(
  {
    ...REQUEST_OPTIONS.keys,
    onBusy: is.oneOf("throw", "wait"),
    busyTimeout: is.duration,
    poll: nested(POLL_OPTIONS),
    onUnknown: is.oneOf("throw", "resend"),
    reconcileTimeout: is.duration,
  },
  ["deadlineAt"],
);

/** Options of `waitForIdle` (`WaitOptions`). */
export const WAIT_OPTIONS = defineSpec<WaitOptions>()({
  signal: REQUEST_OPTIONS.keys.signal,
  timeout: REQUEST_OPTIONS.keys.timeout,
  deadline: REQUEST_OPTIONS.keys.deadline,
  run: is.run,
  mode: is.oneOf("auto", "realtime", "poll"),
  onEvent: is.function,
  poll: nested(POLL_OPTIONS),
});

/** Options of `chat` and `generateExamplesAndWait` (`ChatOptions`): the wait's and the dispatch's. */
export const CHAT_OPTIONS = defineSpec<ChatOptions>()({
  ...omit(WAIT_OPTIONS.keys, "run"),
  ...DISPATCH_OPTIONS.keys,
});

/** `LintOptions`, as `finishSession`'s `lint` option. */
const LINT_OPTIONS = defineSpec<LintOptions>()({
  availableVarNames: is.strings,
  instructions: is.oneOf("error", "warning", "off"),
  requireSubject: is.boolean,
  enDash: is.boolean,
});

const checkLint = nested(LINT_OPTIONS);

/** Options of `finishSession` (`FinishSessionOptions`): its own and the request options. */
export const FINISH_SESSION_OPTIONS = defineSpec<FinishSessionOptions>()(
  {
    ...REQUEST_OPTIONS.keys,
    via: is.oneOf("updateSequenceNode", "updateCampaign"),
    lint: (value, path, issues) =>
      value === false
        ? undefined
        : isPlainObject(value)
          ? checkLint(value, path, issues)
          : `must be lint options (an object) or false (got ${describe(value)})`,
    resolve: is.boolean,
  },
  ["deadlineAt"],
);

/** `RealtimeOptions`, the client's `realtime` option. */
export const REALTIME_OPTIONS = defineSpec<RealtimeOptions>()({
  transport: is.oneOf("electric", "trigger-sdk"),
  stallTimeoutMs: is.duration,
});

/** Options of `new PuffleClient()` (`ClientOptions`). */
export const CLIENT_OPTIONS = defineSpec<ClientOptions>()({
  apiKey: (v) =>
    typeof v === "string" && v.trim() !== ""
      ? undefined
      : `must be a non-empty string (or leave it out and set PUFFLE_API_KEY) (got ${describe(v)})`,
  baseURL: is.url,
  triggerBaseURL: is.url,
  timeout: is.duration,
  generateContentTimeout: is.duration,
  maxRetries: is.count,
  maxRetryAfter: is.duration,
  retryDelay: is.duration,
  retryMaxDelay: is.duration,
  maxResponseBytes: is.bytes,
  headers: is.headers,
  fetch: is.function,
  logLevel: is.oneOf("off", "error", "warn", "info", "debug"),
  logger: is.logger,
  dangerouslyAllowBrowser: is.boolean,
  realtime: nested(REALTIME_OPTIONS),
});

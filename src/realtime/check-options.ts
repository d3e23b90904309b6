/**
 * The option checks of the browser entry (`puffle-chat/realtime`, and through it
 * `puffle-chat/react`): one small spec table per options type and one checker, the browser's
 * counterpart of `internal/check-options.ts` (which it cannot import: the 20 KB budget). Every
 * problem is listed in one {@link RealtimeOptionsError}, thrown before any request or timer.
 *
 * @internal
 * @module
 */

import { RealtimeOptionsError } from "./errors";

/** A check of one value: `undefined` when fine, else what the value must be. */
type Check = (value: unknown) => string | undefined;

/**
 * The longest delay a timer can hold: `setTimeout` fires at once (after 1 ms) for anything
 * larger, Infinity included, which turned `stallTimeoutMs: Infinity` into a stall after 1 ms.
 */
const MAX_DELAY_MS = 2_147_483_647;

const text: Check = (v) => (typeof v === "string" && v !== "" ? undefined : "a non-empty string");
const fn: Check = (v) => (typeof v === "function" ? undefined : "a function");

/** A number of milliseconds from `min` up to what a timer can hold. */
const ms =
  (min: number, hint = ""): Check =>
  (v) =>
    typeof v === "number" && v >= min && v <= MAX_DELAY_MS
      ? undefined
      : `a number of ms from ${min} to ${MAX_DELAY_MS}${hint}`;

/**
 * A URL the token or the chat may travel to: https, or plain http only to this machine (a dev
 * server, the emulator). Anything else would send the token unencrypted. `relative` allows a
 * relative URL (the chat route on the page's own origin, e.g. `/api/chat`).
 */
const secureURL =
  (relative: boolean): Check =>
  (v) => {
    const need = `an https URL (plain http only for localhost)${relative ? " or a path like /api/chat" : ""}`;
    if (typeof v !== "string" || v === "") return need;
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      // Not absolute: a path of the page's own origin (and so of its protocol).
      return relative ? undefined : need;
    }
    const host = url.hostname;
    const loopback =
      host === "localhost" ||
      host.endsWith(".localhost") ||
      host === "[::1]" ||
      /^127\.\d+\.\d+\.\d+$/.test(host);
    return url.protocol === "https:" || (url.protocol === "http:" && loopback) ? undefined : need;
  };

const RUN_SPEC: Record<string, Check> = {
  runId: text,
  publicAccessToken: text,
  triggerBaseURL: secureURL(false),
  // Duck-typed, not `instanceof AbortSignal`: a signal from another realm (an iframe, a test DOM)
  // is fine; a plain `{ aborted: true }` is not (it has no events, and used to throw outside
  // every promise).
  signal: (v) =>
    typeof (v as AbortSignal | null)?.addEventListener === "function" &&
    typeof (v as AbortSignal).aborted === "boolean"
      ? undefined
      : "an AbortSignal (from new AbortController().signal)",
  fetch: fn,
  stallTimeoutMs: (v) => (v === 0 ? undefined : ms(1, ", or 0 to disable")(v)),
  maxRetries: (v) =>
    Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100
      ? undefined
      : "a whole number from 0 to 100",
};

/** The keys {@link subscribeToRun} takes: what `subscribeToChat` hands its run transport. */
export const RUN_KEYS: readonly string[] = Object.keys(RUN_SPEC);

const CHAT_SPEC: Record<string, Check> = {
  ...RUN_SPEC,
  streamKey: text,
  runTransport: fn,
  drainTimeoutMs: ms(0),
};

const CONTROLLER_SPEC: Record<string, Check> = {
  api: secureURL(true),
  sessionId: text,
  whileBusy: (v) => (v === "refuse" || v === "queue" ? undefined : '"refuse" or "queue"'),
  headers: (v) =>
    typeof v === "function" || (typeof v === "object" && v !== null && !Array.isArray(v))
      ? undefined
      : "an object of header names to values, or a function returning one",
  fetch: fn,
  // Each read is a request to the chat route and one Puffle call: 0 polled ~800 times a second.
  pollIntervalMs: ms(500),
  followTimeoutMs: ms(1),
  subscribe: fn,
};

/** The specs by options type, with the keys each requires. */
const SPECS = {
  subscribeToRun: [RUN_SPEC, ["runId", "publicAccessToken"]],
  subscribeToChat: [CHAT_SPEC, ["runId", "publicAccessToken"]],
  createChatController: [CONTROLLER_SPEC, ["api", "sessionId"]],
  usePuffleChat: [
    { ...CONTROLLER_SPEC, load: (v) => (typeof v === "boolean" ? undefined : "true or false") },
    ["api", "sessionId"],
  ],
} satisfies Record<string, [Record<string, Check>, string[]]>;

/**
 * Check `options` against the spec of `where`: unknown keys, missing required keys and wrong
 * values are listed together in one {@link RealtimeOptionsError}. `undefined` means "default".
 * @internal
 */
export function checkRealtimeOptions(where: keyof typeof SPECS, options: unknown): void {
  const [spec, required] = SPECS[where] as [Record<string, Check>, string[]];
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new RealtimeOptionsError(where, [
      { option: "(options)", message: `must be an object with ${required.join(", ")}` },
    ]);
  const issues: { option: string; message: string }[] = [];
  const given = options as Record<string, unknown>;
  for (const key of required)
    if (given[key] === undefined) issues.push({ option: key, message: "is required" });
  for (const [key, value] of Object.entries(given)) {
    const check = spec[key];
    const problem = check
      ? value === undefined
        ? undefined
        : check(value)
      : `is not an option (known: ${Object.keys(spec).join(", ")})`;
    if (problem)
      issues.push({
        option: key,
        message: check ? `must be ${problem} (got ${describe(value)})` : problem,
      });
  }
  if (issues.length > 0) throw new RealtimeOptionsError(where, issues);
}

/** A short description of a wrong value (the error's message is redacted: no token survives). */
function describe(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value.slice(0, 60));
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

/**
 * Run handles that keep their public access token out of every printed or serialised form. A
 * handle is short-lived but grants read access to a run's stream (the user's prompt and the
 * reply), so a `console.error(error)` of a failed wait must not write it into a log.
 *
 * The token stays an own property, read by name (`run.publicAccessToken`), so a handle still
 * resumes a wait (`waitForIdle(id, { run: error.run })`) and passes the `run` option's check (a
 * plain object). What changes is every other way out: the token is not enumerable (`Object.keys`,
 * spreads, `for…in`, deep copies skip it), and `toJSON` (`JSON.stringify`, loggers, crash
 * reporters) and Node's `util.inspect` hook (`console.log`) show `"[REDACTED]"` in its place.
 * Everything lives here, in core, so it adds nothing to the browser entries.
 *
 * @internal
 * @module
 */
import { REDACTED } from "../base/redact";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** What a handle prints and serialises as: its enumerable fields, the token redacted. */
function printable(this: object): Record<string, unknown> {
  return { ...this, publicAccessToken: REDACTED };
}

/**
 * `value` with its `publicAccessToken` (when it is a string) hidden as described in the module
 * comment: a copy, so a handle the caller passed in is never changed; one already hidden is
 * returned as it is (the same object), and anything else (a reconciled handle, whose token is
 * `null`; `undefined`) too.
 */
export function hideToken<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  const token = (value as { publicAccessToken?: unknown }).publicAccessToken;
  if (typeof token !== "string" || Object.hasOwn(value, INSPECT)) return value;
  const copy = { ...value };
  const hidden = { configurable: true, writable: true, enumerable: false } as const;
  Object.defineProperties(copy, {
    publicAccessToken: { ...hidden, value: token },
    toJSON: { ...hidden, value: printable },
    [INSPECT]: { ...hidden, value: printable },
  });
  return copy;
}

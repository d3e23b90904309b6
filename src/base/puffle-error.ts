import { brandClasses, hasKind, ownKind } from "./brand";
import { redactText, redactValue, truncateText } from "./redact";
import type { RunHandle } from "./run-handle";

/**
 * Base class of every error the SDK throws. Its message, `cause` and JSON form never contain the
 * API key or a public access token.
 *
 * `instanceof` works across installed copies of the package, bundles and realms: each class has
 * a fixed kind, every error carries the kinds of its classes under one `Symbol.for` brand, and
 * `instanceof` reads that brand. A subclass you write yourself gets the ordinary `instanceof`.
 *
 * @example
 * ```ts
 * import { PuffleError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (error instanceof PuffleError) console.error(error.name, error.message);
 * }
 * ```
 */
export class PuffleError extends Error {
  /**
   * The kind this class's errors carry and `instanceof` checks, in every copy of the package: the
   * class's name, written out so that minifiers cannot change it. A subclass of the SDK names its
   * own; a subclass you write yourself need not (it then gets the ordinary `instanceof`).
   */
  static readonly brand: string = "PuffleError";

  /**
   * True when `value` carries this class's brand (from any copy of the package, in any realm);
   * for a class without a kind of its own (a user's subclass), the ordinary prototype check.
   */
  static override [Symbol.hasInstance]<T>(
    this: abstract new (
      ...args: never
    ) => T,
    value: unknown,
  ): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of `instanceof` (any subclass), not PuffleError.
    return isInstance(this, value);
  }

  /**
   * For errors of a paid dispatch (`runTurn`, `generateExamples`, `chat`): whether the server
   * dispatched it. `"not_sent"`: proven not dispatched (nothing to pay; safe to send again).
   * `"sent"`: dispatched (a `chat` whose wait failed, a failed run). `"unknown"`: see
   * `DispatchUnknownError`. `undefined` for every other error.
   */
  declare dispatch?: "sent" | "not_sent" | "unknown";

  /**
   * For errors of `chat` and `generateExamplesAndWait` once the task was dispatched (`dispatch:
   * "sent"`): the handle of its run, which goes on running on Puffle's side (and is paid) whatever
   * ended the wait. Resume with `waitForIdle(sessionId, { run: error.run })`. A reconciled handle
   * (`runId: null`) is followed by polling. `undefined` for every other error.
   */
  declare run?: RunHandle | undefined;

  constructor(message: string, options?: { cause?: unknown }) {
    super(
      redactText(truncateText(message, 10_000)),
      options && options.cause !== undefined ? { cause: safeCause(options.cause) } : undefined,
    );
    // An own, enumerable `name` as before, from the class's brand (never `constructor.name`).
    this.name = brandClasses(this, new.target);
  }

  /** A serialisable form: name, message and the error's own public fields, secrets redacted. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== "name") out[key] = redactValue(value);
    }
    return out;
  }
}

/** `value instanceof cls`: by the brand when `cls` has a kind of its own, else by prototype. */
function isInstance(cls: object, value: unknown): boolean {
  const kind = ownKind(cls);
  if (kind === undefined) return Function.prototype[Symbol.hasInstance].call(cls, value);
  return hasKind(value, kind);
}

/**
 * A copy of an underlying error that keeps its name, message, code and chain but nothing that
 * could hold a secret (a request object with its headers, for example).
 */
function safeCause(cause: unknown, depth = 0): unknown {
  if (hasKind(cause, "PuffleError")) return cause;
  if (
    cause instanceof Error ||
    (cause !== null && typeof cause === "object" && "message" in cause)
  ) {
    const source = cause as Error & { code?: unknown };
    const copy = new Error(redactText(String(source.message ?? "")));
    copy.name = typeof source.name === "string" ? source.name : "Error";
    if (typeof source.code === "string") (copy as Error & { code?: string }).code = source.code;
    if (source.cause !== undefined && depth < 4) {
      Object.defineProperty(copy, "cause", {
        value: safeCause(source.cause, depth + 1),
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return typeof cause === "string" ? redactText(cause) : redactValue(cause);
}

/**
 * True when `value` is any error thrown by the SDK, from any copy of the package and any realm
 * (the same as `value instanceof PuffleError`).
 *
 * @example
 * ```ts
 * if (isPuffleError(error)) console.error(error.message);
 * ```
 */
export function isPuffleError(value: unknown): value is PuffleError {
  return hasKind(value, "PuffleError");
}

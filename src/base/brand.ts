/**
 * Cross-realm identity of the SDK's errors: every error carries the names of its classes under a
 * `Symbol.for` key, so the `is…Error` guards work across bundles, copies of the package and realms,
 * where `instanceof` does not.
 *
 * @internal
 * @module
 */
const KINDS = Symbol.for("puffle-chat.error.kinds");

/** Record that `error` is an instance of the class named `kind`. */
export function brand(error: object, kind: string): void {
  const holder = error as { [KINDS]?: string[] };
  if (!Object.hasOwn(holder, KINDS)) {
    Object.defineProperty(holder, KINDS, { value: [], enumerable: false });
  }
  holder[KINDS]?.push(kind);
}

/** True when `value` is an SDK error of the class named `kind` (or a subclass of it). */
export function hasKind(value: unknown, kind: string): boolean {
  if (value === null || typeof value !== "object") return false;
  const kinds = (value as { [KINDS]?: unknown })[KINDS];
  return Array.isArray(kinds) && kinds.includes(kind);
}

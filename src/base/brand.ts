/**
 * Cross-realm identity of the SDK's errors. Every error class names its kind once, in a static
 * `brand` string (a plain static field, so that bundlers can still drop unused classes); every
 * error carries the kinds of all its classes under a `Symbol.for` key,
 * so `instanceof` (through `PuffleError[Symbol.hasInstance]`) and the guards work across bundles,
 * installed copies of the package and realms, and between old and new versions (the kinds are the
 * class names the package has always used). Kinds are explicit strings, never `constructor.name`,
 * which minifiers rename.
 *
 * @internal
 * @module
 */
const KINDS = Symbol.for("puffle-chat.error.kinds");

/** True when `value` is an SDK error of the class named `kind` (or a subclass of it). */
export function hasKind(value: unknown, kind: string): boolean {
  if (value === null || typeof value !== "object") return false;
  const kinds = (value as { [KINDS]?: unknown })[KINDS];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/** The kind `cls` itself names (its own static `brand`), or `undefined` (a user's subclass). */
export function ownKind(cls: object): string | undefined {
  if (!Object.hasOwn(cls, "brand")) return undefined;
  const kind = (cls as { brand?: unknown }).brand;
  return typeof kind === "string" ? kind : undefined;
}

/** The kind of `cls` or, when it has none of its own, of the nearest class above it that has. */
export function kindOf(cls: object): string | undefined {
  for (let c: object | null = cls; c !== null; c = Object.getPrototypeOf(c)) {
    const kind = ownKind(c);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

/**
 * Brand `error` with the kind of `cls` and of every class above it (nearest first); returns the
 * nearest kind (the error's name, unless a subclass names itself).
 */
export function brandClasses(error: object, cls: object): string {
  const kinds: string[] = [];
  for (let c: object | null = cls; c !== null; c = Object.getPrototypeOf(c)) {
    const kind = ownKind(c);
    if (kind !== undefined) kinds.push(kind);
  }
  Object.defineProperty(error, KINDS, { value: kinds });
  return kinds[0] ?? "PuffleError";
}

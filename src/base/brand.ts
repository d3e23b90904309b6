/**
 * Cross-realm identity of the SDK's errors. Every error class names its kind once
 * ({@link defineKind}); every error carries the kinds of all its classes under a `Symbol.for` key,
 * so `instanceof` (through `PuffleError[Symbol.hasInstance]`) and the guards work across bundles,
 * installed copies of the package and realms, and between old and new versions (the kinds are the
 * class names the package has always used). Kinds are explicit strings, never `constructor.name`,
 * which minifiers rename.
 *
 * @internal
 * @module
 */
const KINDS = Symbol.for("puffle-chat.error.kinds");
/** Where a class keeps its own kind (an own, non-enumerable static). */
const CLASS_KIND = Symbol.for("puffle-chat.error.class-kind");

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

/** Give the class `cls` its kind; call once per class, from its `static {}` block. */
export function defineKind(cls: object, kind: string): void {
  Object.defineProperty(cls, CLASS_KIND, { value: kind, enumerable: false });
}

/** The kind `cls` itself defines, or `undefined` (a user's subclass, a plain function). */
export function ownKind(cls: object): string | undefined {
  return Object.hasOwn(cls, CLASS_KIND)
    ? (cls as { [CLASS_KIND]?: string })[CLASS_KIND]
    : undefined;
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
 * Brand `error` with the kind of `cls` and of every class above it, base first (the order the
 * constructors used to brand in); returns the nearest kind (the error's name, unless a subclass
 * names itself).
 */
export function brandClasses(error: object, cls: object): string {
  const kinds: string[] = [];
  for (let c: object | null = cls; c !== null; c = Object.getPrototypeOf(c)) {
    const kind = ownKind(c);
    if (kind !== undefined) kinds.unshift(kind);
  }
  for (const kind of kinds) brand(error, kind);
  return kinds.at(-1) ?? "PuffleError";
}

/**
 * Redaction of secrets (API keys and public access tokens) from text, values and headers, used by
 * every error and log line the SDK makes. A key's first 24 characters are its non-secret prefix
 * (`pk_live_` and 16 hex characters; Puffle documents it as safe to log) and may stay; everything after it, and every public token, is replaced.
 *
 * @internal
 * @module
 */

/** What a secret is replaced with. */
export const REDACTED = "[REDACTED]";
const KEY_PREFIX_LENGTH = 24;
const MAX_REGISTERED = 512;

/** Exact secrets seen at run time (the configured API key, tokens the server handed out). */
const registered = new Set<string>();

/**
 * Remember a secret so that it is redacted wherever it appears, even when it does not look like
 * one (a test key, a token in another format). Bounded: the oldest is forgotten first.
 */
export function registerSecret(secret: string | null | undefined): void {
  if (!secret || secret.length < 8) return;
  registered.delete(secret);
  registered.add(secret);
  if (registered.size > MAX_REGISTERED) {
    const oldest = registered.values().next().value;
    if (oldest !== undefined) registered.delete(oldest);
  }
}

/**
 * Secrets pinned for the life of their owner (a client's API key), counted per owner: never
 * forgotten while an owner lives, released when the last one is garbage-collected.
 */
const pinned = new Map<string, number>();
const owners =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<string>((secret) => {
        const count = (pinned.get(secret) ?? 1) - 1;
        if (count <= 0) pinned.delete(secret);
        else pinned.set(secret, count);
      })
    : undefined;

/**
 * Redact `secret` for as long as `owner` lives (the client's API key for the client's whole
 * life), whatever other secrets are registered meanwhile.
 */
export function pinSecret(secret: string | null | undefined, owner: object): void {
  if (!secret || secret.length < 8) return;
  pinned.set(secret, (pinned.get(secret) ?? 0) + 1);
  owners?.register(owner, secret);
}

// No leading \b: a secret glued to a word character (`req_tr_pat_…`, `xpk_live_…`) is still one.
// A key is only matched beyond its 24-character prefix, so an already redacted key is left alone.
// Each keeps its non-secret head (`$1`: a key's first 24 characters, `pk_live_` and 16 more, as
// KEY_PREFIX_LENGTH says; a token's `tr_pat_`; the word Bearer) and replaces the rest.
const PATTERNS: Array<[RegExp, string]> = [
  [/(pk_(?:live|test)_[A-Za-z0-9]{16})[A-Za-z0-9]+/g, `$1${REDACTED}`],
  [/(tr_(?:pat|prod|dev|stg)_)[A-Za-z0-9._~+/=-]+/g, `$1${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\b(Bearer)\s+[^\s"',]+/gi, `$1 ${REDACTED}`],
];

/** Redact every known secret from a piece of text. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of [...pinned.keys(), ...registered]) {
    if (out.includes(secret)) {
      const keep = secret.startsWith("pk_") ? secret.slice(0, KEY_PREFIX_LENGTH) : "";
      out = out.split(secret).join(`${keep}${REDACTED}`);
    }
  }
  for (const [pattern, replace] of PATTERNS) out = out.replace(pattern, replace);
  return out;
}

// authorization, proxy-authorization, api-key / api_key / apikey (and x-…), token,
// access_token / accesstoken, public_access_token / publicAccessToken (any case).
const SECRET_KEYS =
  /^(?:(?:proxy-)?authorization|(?:x-)?api[-_]?key|(?:public_?)?access_?token|token)$/i;

/** Bounds of {@link redactValue}: what an error may keep of a value the server sent. */
const MAX_DEPTH = 12;
const MAX_ITEMS = 200;
const MAX_STRING = 10_000;
const MAX_NODES = 5_000;

/** Cut a string to `max` characters, saying how much was left out. */
export function truncateText(text: string, max = MAX_STRING): string {
  return text.length > max ? `${text.slice(0, max)}… [${text.length - max} more characters]` : text;
}

/**
 * Redact secrets from a JSON-like value, deeply; values under secret-looking keys go entirely.
 * The copy is bounded (depth 12, 200 items per array or object, 10 000 characters per string,
 * 5 000 values in all; what is cut is marked), so an error holding it always serialises.
 */
export function redactValue(value: unknown): unknown {
  const budget = { nodes: MAX_NODES };
  return bounded(value, 0, budget);
}

/** {@link redactValue} without the size bounds (depth only), for output the user asked for. */
export function redactValueWhole(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= 64) return "[… deeper]";
  if (Array.isArray(value)) return value.map((item) => redactValueWhole(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      redactText(key),
      SECRET_KEYS.test(key) && item != null ? REDACTED : redactValueWhole(item, depth + 1),
    ]),
  );
}

function bounded(value: unknown, depth: number, budget: { nodes: number }): unknown {
  if (typeof value === "string") return redactText(truncateText(value));
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? "[… deeper array]" : "[… deeper object]";
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value.slice(0, MAX_ITEMS)) {
      if (--budget.nodes < 0) break;
      out.push(bounded(item, depth + 1, budget));
    }
    if (out.length < value.length) out.push(`[… ${value.length - out.length} more items]`);
    return out;
  }
  // Keys are server text too (a key echoed as a JSON key), and the copy is built by defining
  // properties (Object.fromEntries), never by assignment: `out["__proto__"] = …` would replace
  // the copy's prototype with whatever the server sent.
  const out: Array<[string, unknown]> = [];
  const entries = Object.entries(value);
  for (const [key, item] of entries) {
    if (out.length >= MAX_ITEMS || --budget.nodes < 0) break;
    out.push([
      redactText(key),
      SECRET_KEYS.test(key) && item != null ? REDACTED : bounded(item, depth + 1, budget),
    ]);
  }
  if (out.length < entries.length) out.push(["…", `${entries.length - out.length} more keys`]);
  return Object.fromEntries(out);
}

/** Headers as a plain object, lower-cased names, secrets redacted. */
export function redactHeaders(
  headers: Headers | Record<string, string> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    // Defined, not assigned (a header named `__proto__`), and the name redacted (an echoed key).
    Object.defineProperty(out, redactText(lower), {
      enumerable: true,
      writable: true,
      configurable: true,
      value:
        SECRET_KEYS.test(lower) || lower === "cookie" || lower === "set-cookie"
          ? REDACTED
          : redactText(value),
    });
  }
  return out;
}

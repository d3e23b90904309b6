/**
 * Redaction of secrets (API keys and public access tokens) from text, values and headers, used by
 * every error and log line the SDK makes. A key's first 24 characters are its non-secret prefix
 * (API.md) and may stay; everything after it, and every public token, is replaced.
 *
 * @internal
 * @module
 */

const REDACTED = "[REDACTED]";
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

// No leading \b: a secret glued to a word character (`req_tr_pat_…`, `xpk_live_…`) is still one.
// A key is only matched beyond its 24-character prefix, so an already redacted key is left alone.
const PATTERNS: Array<[RegExp, (match: string) => string]> = [
  [/pk_(?:live|test)_[A-Za-z0-9]{17,}/g, (m) => `${m.slice(0, KEY_PREFIX_LENGTH)}${REDACTED}`],
  [
    /tr_(?:pat|prod|dev|stg)_[A-Za-z0-9._~+/=-]+/g,
    (m) => `${m.slice(0, m.indexOf("_", 3) + 1)}${REDACTED}`,
  ],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, () => REDACTED],
  [/\b(Bearer)\s+[^\s"',]+/gi, (m) => `${m.split(/\s+/)[0]} ${REDACTED}`],
];

/** Redact every known secret from a piece of text. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of registered) {
    if (out.includes(secret)) {
      const keep = secret.startsWith("pk_") ? secret.slice(0, KEY_PREFIX_LENGTH) : "";
      out = out.split(secret).join(`${keep}${REDACTED}`);
    }
  }
  for (const [pattern, replace] of PATTERNS) out = out.replace(pattern, replace);
  return out;
}

const SECRET_KEYS =
  /^(authorization|proxy-authorization|api[-_]?key|publicaccesstoken|public_access_token|accesstoken|access_token|token|x-api-key)$/i;

/** Redact secrets from a JSON-like value, deeply; values under secret-looking keys go entirely. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object" || depth > 32) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEYS.test(key) && item != null ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
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
    out[lower] =
      SECRET_KEYS.test(lower) || lower === "cookie" || lower === "set-cookie"
        ? REDACTED
        : redactText(value);
  }
  return out;
}

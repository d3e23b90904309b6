import { brand, hasKind } from "../../base/brand";
import { PuffleError } from "../../base/puffle-error";
import { redactHeaders, redactText, redactValue, truncateText } from "../../base/redact";

/**
 * What the transport knows about a failed HTTP exchange, handed to every {@link APIError}.
 *
 * @example
 * ```ts
 * const error = new APIError({ status: 418, body: { error: "teapot" }, method: "GET", path: "/x" });
 * ```
 */
export interface APIErrorInit {
  /** The HTTP status code. */
  status: number;
  /** The response headers. */
  headers?: Headers | Record<string, string>;
  /** The parsed body (JSON when it parsed, else the raw text). */
  body?: unknown;
  /** The request method, upper case. */
  method?: string;
  /** The request path, for example `/api/campaigns/ai-chat-sessions/…`. */
  path?: string;
  /** How many retries were made before this answer. Default 0. */
  retries?: number;
  /** The API host the request went to (named in hints about a wrong `baseURL`). */
  baseURL?: string;
}

/**
 * The server answered with an error status. Subclasses name each status the API documents;
 * `APIError` itself is thrown for the others. `body` is the whole parsed body (both documented
 * shapes, `{ error: "…" }` and `{ error: { code, message } }`, or the raw text of anything else);
 * `code` and `serverMessage` are read from it.
 *
 * @example
 * ```ts
 * import { isAPIError } from "puffle-chat";
 * try { await puffle.getSession(id); } catch (error) {
 *   if (isAPIError(error)) console.error(error.status, error.code, error.requestId);
 * }
 * ```
 */
export class APIError extends PuffleError {
  override name = "APIError";
  /** The HTTP status code. */
  readonly status: number;
  /** Response headers, lower-case names, secrets redacted. */
  readonly headers: Record<string, string>;
  /** The request id the server sent (`x-request-id` and similar), when it sent one. */
  readonly requestId: string | undefined;
  /** The parsed error body (JSON, else the raw text), secrets redacted. */
  readonly body: unknown;
  /** The error code of the nested body shape, when present. */
  readonly code: string | undefined;
  /** The server's own message, when the body had one. */
  readonly serverMessage: string | undefined;
  /** The request method. */
  readonly method: string | undefined;
  /** The request path. */
  readonly path: string | undefined;
  /** How many automatic retries were made before giving up. */
  readonly retries: number;

  constructor(init: APIErrorInit, hint?: string) {
    const { code, message } = readErrorBody(init.body);
    super(describe(init, message, hint));
    this.status = init.status;
    this.headers = redactHeaders(init.headers);
    this.requestId =
      this.headers["x-request-id"] ?? this.headers["request-id"] ?? this.headers["x-vercel-id"];
    this.body = redactValue(init.body);
    this.code = code === undefined ? undefined : redactText(truncateText(code, 200));
    this.serverMessage =
      message === undefined ? undefined : redactText(truncateText(message, 2_000));
    this.method = init.method;
    this.path = init.path;
    this.retries = init.retries ?? 0;
    brand(this, "APIError");
  }
}

/** Read `code` and `message` from either documented error body shape, or from plain text. */
export function readErrorBody(body: unknown): {
  code: string | undefined;
  message: string | undefined;
} {
  if (typeof body === "string") {
    const text = body.trim();
    if (!text) return { code: undefined, message: undefined };
    // An HTML page from a proxy: keep its title, not the markup.
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    if (title) return { code: undefined, message: title };
    if (text.startsWith("<")) return { code: undefined, message: "non-JSON (HTML) response" };
    return { code: undefined, message: text.length > 300 ? `${text.slice(0, 300)}…` : text };
  }
  if (body && typeof body === "object" && "error" in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === "string") return { code: undefined, message: error };
    if (error && typeof error === "object") {
      const { code, message } = error as { code?: unknown; message?: unknown };
      return {
        code: typeof code === "string" ? code : undefined,
        message: typeof message === "string" ? message : undefined,
      };
    }
  }
  if (body && typeof body === "object" && "message" in body) {
    const message = (body as { message: unknown }).message;
    if (typeof message === "string") return { code: undefined, message };
  }
  return { code: undefined, message: undefined };
}

function describe(
  init: APIErrorInit,
  serverMessage: string | undefined,
  hint: string | undefined,
): string {
  const where = init.method && init.path ? ` ${init.method} ${init.path}` : "";
  // One period between the server's text and the SDK's: "revoked API key. Check …", never "..".
  const trimmed = serverMessage?.trim().replace(/[\s.]+$/, "");
  const said = trimmed ? `: ${trimmed}` : "";
  const retried = init.retries
    ? ` (after ${init.retries} ${init.retries === 1 ? "retry" : "retries"})`
    : "";
  return `${init.status}${where}${said}${retried}.${hint ? ` ${hint}` : ""}`;
}

/**
 * Whether an error body has one of Puffle's documented shapes (`{ error: "…" }` or
 * `{ error: { code, message } }`); an HTML page or an empty body from another host has not.
 *
 * @internal
 */
export function isPuffleErrorBody(body: unknown): boolean {
  if (!body || typeof body !== "object" || !("error" in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === "string" || (!!error && typeof error === "object");
}

/**
 * True when `value` is an {@link APIError} (any HTTP error status). Works across realms.
 *
 * @example
 * ```ts
 * if (isAPIError(error) && error.status >= 500) console.warn("Puffle is having trouble");
 * ```
 */
export function isAPIError(value: unknown): value is APIError {
  return hasKind(value, "APIError");
}

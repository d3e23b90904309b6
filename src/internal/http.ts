/**
 * The transport: one HTTP call through ky with the SDK's retry policy, timeouts, cancellation,
 * logging, error mapping and response validation.
 *
 * Retry policy (docs/architecture.md "Requests"): `idempotent` calls (GET, PUT, PATCH, DELETE) are retried on
 * connection errors, timeouts, 408, 429 and 5xx; `dispatch` calls (`/turn`,
 * `/generate-examples`) and other POSTs on 429 only (it was not processed): a dispatch 500 is sent
 * again by lib/dispatch.ts only after a session read shows the claim released. 400, 401, 402,
 * 403, 404, 409 and 422 are never retried. Backoff is exponential with full jitter, capped;
 * `Retry-After` (seconds or HTTP date) is honoured instead, up to `maxRetryAfter` for all of a
 * call's waits together. Redirects are never followed. An aborted signal stops the request and
 * any retry sleep at once.
 *
 * @internal
 * @module
 */
import ky, { HTTPError, isHTTPError, isNetworkError, isTimeoutError, type RetryOptions } from "ky";
import * as z from "zod/mini";
import { redactText, truncateText } from "../base/redact";
import { makeAPIError, safeOrigin } from "../core/api-errors";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  ResponseValidationError,
} from "../core/errors";
import type { RequestOptions } from "../core/options";
import { VERSION } from "../version";
import type { SdkLogger } from "./log";
import { BodyTooLargeError, readCapped, tooLarge } from "./read-capped";

/** RequestOptions plus the absolute deadline shared by the calls of one method (internal). */
export interface CallOptions extends RequestOptions {
  /** Epoch ms by which the whole method must be done; set from `deadline` by the client. */
  deadlineAt?: number | undefined;
}

/** How a call may be retried; see the module comment. */
export type RetryClass = "idempotent" | "dispatch" | "post";

/** Resolved client settings the transport needs. */
export interface TransportConfig {
  apiKey: string;
  baseURL: string;
  fetch: typeof globalThis.fetch | undefined;
  timeout: number;
  maxRetries: number;
  headers: Record<string, string>;
  logger: SdkLogger;
  /** Longest `Retry-After` the SDK waits for, in ms; longer answers are capped to this. */
  maxRetryAfterMs: number;
  /** Base delay of the exponential backoff, in ms. */
  retryBaseDelayMs: number;
  /** Longest backoff delay, in ms. */
  retryMaxDelayMs: number;
  /** Largest 2xx body read, in bytes; past it the read stops (`ResponseValidationError`). */
  maxResponseBytes: number;
}

/** One call. */
export interface CallSpec<T> {
  operation: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  retry: RetryClass;
  schema: z.ZodMiniType<T>;
  options?: CallOptions | undefined;
  /** Counts every HTTP request sent (retries included), for callers that report it. */
  onRequest?: (() => void) | undefined;
}

/** A successful call. */
export interface CallResult<T> {
  data: T;
  status: number;
  headers: Headers;
  requestId: string | undefined;
  retries: number;
  /** The HTTP response, its body re-readable (the SDK read it once to validate it). */
  response: Response;
}

const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];
const IS_NODE = typeof process !== "undefined" && typeof process.versions?.node === "string";

/** Make one call with the retry policy; resolve with the validated body or throw a typed error. */
export async function call<T>(config: TransportConfig, spec: CallSpec<T>): Promise<CallResult<T>> {
  const attempt = plan(config, spec);
  const { method, path, operation } = spec;
  const log = config.logger;
  log.debug(`→ ${method} ${path}`, { operation });
  let response: Response;
  try {
    response = await send(attempt);
  } catch (error) {
    throw failure(attempt, error);
  }
  const requestId = readRequestId(response.headers);
  log.debug(`← ${response.status} ${method} ${path} ${Date.now() - attempt.started} ms`, {
    operation,
    requestId,
    retries: attempt.retries,
  });
  let text: string;
  try {
    const { timeout, deadlineAt } = attempt;
    text = await readText(
      response,
      Math.min(timeout, deadlineAt === undefined ? timeout : Math.max(1, deadlineAt - Date.now())),
      config.maxResponseBytes,
    );
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw tooLarge(operation, response.status, error);
    throw failure(attempt, error);
  }
  return {
    data: parseBody(operation, response.status, text, spec.schema),
    status: response.status,
    headers: response.headers,
    requestId,
    retries: attempt.retries,
    response: rewrap(response, text),
  };
}

/** One call in progress: its settings, its deadline and the retries made so far. */
interface Attempt {
  config: TransportConfig;
  spec: CallSpec<unknown>;
  options: CallOptions;
  signal: AbortSignal | undefined;
  maxRetries: number;
  started: number;
  deadlineAt: number | undefined;
  remaining: number | undefined;
  /** Per-request timeout; no attempt may outlast the call's deadline. */
  timeout: number;
  retries: number;
  /** How long the retries so far waited on the server's word (`Retry-After`), in ms. */
  waitedMs: number;
}

/** The call's limits; an aborted signal or a deadline already past throws before anything is sent. */
function plan(config: TransportConfig, spec: CallSpec<unknown>): Attempt {
  const { options = {}, method, path } = spec;
  const signal = options.signal;
  if (signal?.aborted) throw new APIUserAbortError(undefined, { cause: signal.reason });
  const maxRetries = options.maxRetries ?? config.maxRetries;
  const started = Date.now();
  const deadlineAt =
    options.deadlineAt ?? (options.deadline === undefined ? undefined : started + options.deadline);
  const remaining = deadlineAt === undefined ? undefined : deadlineAt - started;
  if (deadlineAt !== undefined && remaining !== undefined && remaining <= 0) {
    throw deadlineError(method, path, deadlineAt, started, options, 0, maxRetries);
  }
  const timeout = Math.min(
    options.timeout ?? config.timeout,
    remaining ?? Number.POSITIVE_INFINITY,
  );
  return {
    config,
    spec,
    options,
    signal,
    maxRetries,
    started,
    deadlineAt,
    remaining,
    timeout,
    retries: 0,
    waitedMs: 0,
  };
}

/** The request through ky, retried by the policy; resolves with the (2xx) response. */
function send(attempt: Attempt): Promise<Response> {
  const { config, spec, signal, remaining } = attempt;
  return ky(spec.path.replace(/^\//, ""), {
    prefix: config.baseURL,
    method: spec.method,
    headers: requestHeaders(config, attempt.options),
    ...(spec.query ? { searchParams: spec.query } : {}),
    ...(spec.body === undefined ? {} : { json: spec.body }),
    timeout: attempt.timeout,
    ...(remaining === undefined ? {} : { totalTimeout: remaining }),
    ...(signal ? { signal } : {}),
    // Never follow a redirect: a 307/308 would re-send a paid POST (the user's message) to
    // wherever it points, and any redirect would carry the key along. The 3xx answer becomes an
    // APIError naming where it pointed (makeAPIError); Puffle's API documents none.
    redirect: "manual",
    // Error bodies: keep the raw text when a "JSON" answer is not JSON (an HTML page from a
    // proxy), instead of ky's default of dropping it.
    parseJson: parseJsonOrText,
    fetch: (input, init) => {
      spec.onRequest?.();
      return (config.fetch ?? globalThis.fetch)(input, init);
    },
    retry: retryPolicy(attempt),
    hooks: {
      beforeRetry: [
        ({ error, retryCount }) => {
          attempt.retries = retryCount;
          const why = isHTTPError(error) ? String(error.response.status) : describeFailure(error);
          config.logger.info(
            `retrying ${spec.method} ${spec.path} after ${why} (retry ${retryCount} of ${attempt.maxRetries})`,
          );
        },
      ],
    },
  });
}

/**
 * Header names are case-insensitive: merge on lower-cased names, so that a user's
 * `Authorization` (any case) cannot ride along with the SDK's and make `Bearer a, Bearer b`.
 */
function requestHeaders(config: TransportConfig, options: CallOptions): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json" };
  for (const extra of [config.headers, options.headers]) {
    for (const [name, value] of Object.entries(extra ?? {})) headers[name.toLowerCase()] = value;
  }
  headers.authorization = `Bearer ${config.apiKey}`;
  if (IS_NODE) headers["user-agent"] = `puffle-chat/${VERSION} node/${process.versions.node}`;
  return headers;
}

/** ky's retry options for the call's retry class (see the module comment). */
function retryPolicy(attempt: Attempt): RetryOptions {
  const { config, spec, maxRetries } = attempt;
  const idempotent = spec.retry === "idempotent";
  return {
    limit: maxRetries,
    methods: ["get", "post", "put", "patch", "delete"],
    statusCodes: RETRY_STATUSES,
    afterStatusCodes: [413, ...RETRY_STATUSES],
    maxRetryAfter: config.maxRetryAfterMs,
    backoffLimit: config.retryMaxDelayMs,
    delay: (attempt) => config.retryBaseDelayMs * 2 ** (attempt - 1),
    jitter: true,
    retryOnTimeout: idempotent,
    shouldRetry: ({ error }) => {
      if (isHTTPError(error)) {
        const status = error.response.status;
        const retried = RETRY_STATUSES.includes(status) && (status === 429 || idempotent);
        if (!retried) return false;
        return withinWaitBudget(attempt, error.response.headers) ? undefined : false;
      }
      if (isTimeoutError(error) || isNetworkError(error)) return idempotent ? undefined : false;
      return false;
    },
  };
}

/** ky's own list of rate-limit headers it reads when `Retry-After` is absent (their value is its own). */
const RESET_HEADERS = [
  "ratelimit-reset",
  "x-ratelimit-retry-after",
  "x-ratelimit-reset",
  "x-rate-limit-reset",
];

/**
 * Whether the wait ky is about to make on the server's word still fits in the call's budget
 * (`maxRetryAfter` bounds all of a call's `Retry-After` waits together, not each one: a server
 * that keeps answering `Retry-After: 1000000000` costs one capped wait, not one per retry); if
 * so, it is counted. A retry without such a header backs off instead and is not counted.
 */
function withinWaitBudget(attempt: Attempt, headers: Headers): boolean {
  const cap = attempt.config.maxRetryAfterMs;
  const asked = parseRetryAfter(headers.get("retry-after"));
  // ky caps each such wait at `cap`; the reset headers' values are ky's to parse, so count the most.
  const wait =
    asked !== undefined
      ? Math.min(asked, cap)
      : RESET_HEADERS.some((h) => headers.has(h))
        ? cap
        : 0;
  if (wait > 0 && attempt.waitedMs + wait > cap) return false;
  attempt.waitedMs += wait;
  return true;
}

/** A failed request or body read as a typed error: the deadline's, or mapped from the failure. */
function failure(attempt: Attempt, error: unknown): Error {
  const { spec, signal, deadlineAt, started, retries } = attempt;
  const { method, path } = spec;
  if (deadlineAt !== undefined && Date.now() >= deadlineAt - 1 && !signal?.aborted) {
    return deadlineError(
      method,
      path,
      deadlineAt,
      started,
      attempt.options,
      retries,
      attempt.maxRetries,
      error,
    );
  }
  return mapFailure(error, {
    method,
    path,
    signal,
    timeout: attempt.timeout,
    retries,
    log: attempt.config.logger,
    started,
    baseURL: attempt.config.baseURL,
  });
}

/** The body as JSON, validated by the call's schema; anything else is a ResponseValidationError. */
function parseBody<T>(
  operation: string,
  status: number,
  text: string,
  schema: z.ZodMiniType<T>,
): T {
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    throw new ResponseValidationError(
      operation,
      status,
      [{ path: [], message: "is not JSON" }],
      text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text,
    );
  }
  const parsed = z.safeParse(schema, json);
  if (!parsed.success) {
    throw new ResponseValidationError(
      operation,
      status,
      parsed.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
        message: issue.message,
      })),
      json,
    );
  }
  return parsed.data;
}

/** A fresh Response with the text already read as its body, so the caller can read it again. */
function rewrap(response: Response, text: string): Response {
  const nullBody = [101, 204, 205, 304].includes(response.status) || text === "";
  const copy = new Response(nullBody ? null : text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}

/** The call's whole deadline ran out (attempts, retries and sleeps included). */
function deadlineError(
  method: string,
  path: string,
  deadlineAt: number,
  started: number,
  options: CallOptions,
  retries: number,
  maxRetries: number,
  cause?: unknown,
): APIConnectionTimeoutError {
  const deadlineMs = options.deadline ?? Math.max(0, deadlineAt - started);
  const left = Math.max(0, maxRetries - retries);
  return new APIConnectionTimeoutError(
    `${method} ${path} did not finish within its deadline of ${deadlineMs} ms (${retries} ${retries === 1 ? "retry" : "retries"} made, ${left} left). Raise the deadline option if the operation is slow.`,
    { method, path, deadlineMs, ...(cause === undefined ? {} : { cause }) },
  );
}

/** The body of a 2xx answer did not finish within the per-attempt timeout. */
class BodyTimeoutError extends Error {
  override name = "BodyTimeoutError";
}

/**
 * Read a response body, giving up after `ms`: ky's `timeout` ends when the headers arrive, and a
 * body that stalls after them would otherwise hang the call (and keep the process alive). At
 * most `maxBytes` are read (`readCapped`).
 */
async function readText(response: Response, ms: number, maxBytes: number): Promise<string> {
  const stop = new AbortController();
  const timer = setTimeout(
    () => stop.abort(new BodyTimeoutError(`the body did not arrive within ${ms} ms`)),
    ms,
  );
  try {
    return await readCapped(response, maxBytes, stop.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** The request id of an answer: server text, so redacted (a proxy may echo the key) and bounded. */
function readRequestId(headers: Headers): string | undefined {
  const id = headers.get("x-request-id") ?? headers.get("request-id") ?? headers.get("x-vercel-id");
  return id === null ? undefined : redactText(truncateText(id, 200));
}

/**
 * Error bodies as the API documents them: JSON when the text is JSON (whatever the content type
 * says), else the text itself. Non-strings pass through.
 */
function parseJsonOrText(data: unknown): unknown {
  if (typeof data !== "string") return data;
  const trimmed = data.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return data;
  try {
    return JSON.parse(trimmed);
  } catch {
    return data;
  }
}

/** Milliseconds from a `Retry-After` value (seconds or an HTTP date); undefined when absent or bad. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  // Bounded, so that 400 digits are a long wait, not Infinity.
  if (/^\d+(\.\d+)?$/.test(trimmed))
    return Math.min(Math.round(Number(trimmed) * 1000), Number.MAX_SAFE_INTEGER);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeFailure(error: unknown): string {
  if (isTimeoutError(error)) return "a timeout";
  if (error instanceof Error) {
    const code = socketCode(error);
    return code ? `a connection error (${code})` : "a connection error";
  }
  return "an error";
}

/** The socket's error code: Node's fetch puts it on its TypeError's cause, under ky's wrapper. */
function socketCode(error: Error): string | undefined {
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 3 && cause !== null && typeof cause === "object"; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

function mapFailure(
  error: unknown,
  ctx: {
    method: string;
    path: string;
    signal: AbortSignal | undefined;
    timeout: number;
    retries: number;
    log: SdkLogger;
    started: number;
    baseURL: string;
  },
): Error {
  const { method, path, signal, retries } = ctx;
  if (signal?.aborted) {
    ctx.log.debug(`✕ ${method} ${path} aborted`);
    return new APIUserAbortError(`${method} ${path} was aborted by its signal.`, {
      cause: signal.reason,
    });
  }
  if (error instanceof HTTPError) {
    const status = error.response.status;
    const body = error.data === undefined ? "" : parseJsonOrText(error.data);
    const apiError = makeAPIError({
      status,
      headers: error.response.headers,
      body,
      method,
      path,
      retries,
      baseURL: ctx.baseURL,
      retryAfterMs: parseRetryAfter(error.response.headers.get("retry-after")),
    });
    ctx.log.info(apiError.message, { status, requestId: apiError.requestId });
    return apiError;
  }
  const after = retries ? ` after ${retries} ${retries === 1 ? "retry" : "retries"}` : "";
  if (isTimeoutError(error) || error instanceof BodyTimeoutError) {
    const timeoutError = new APIConnectionTimeoutError(
      `${method} ${path} timed out after ${ctx.timeout} ms${after}. Raise the timeout option if the operation is slow.`,
      { method, path, timeoutMs: ctx.timeout },
    );
    ctx.log.info(timeoutError.message);
    return timeoutError;
  }
  const connectionError = new APIConnectionError(
    `${method} ${path} failed with ${describeFailure(error)}${after}: no answer from ${safeOrigin(ctx.baseURL)}. Check the network and baseURL.`,
    {
      cause: error instanceof Error && error.cause !== undefined ? error.cause : error,
      method,
      path,
    },
  );
  ctx.log.info(connectionError.message);
  return connectionError;
}

/**
 * createChatRoute: the server half of a browser chat app, as one Web-standard handler.
 *
 * @module
 */

import { PuffleError } from "../base/puffle-error";
import { redactText } from "../base/redact";
import type { PuffleClient } from "../client";
import type { Lead, RunHandle, Session } from "../core/types";
import type {
  ChatRouteAction,
  ChatRouteRequest,
  ChatRouteRun,
  ChatRouteSession,
} from "../realtime/chat-protocol";
import { lintDraft } from "../template/index";
import {
  type BodyIssue,
  type BodyLimits,
  checkSessionId,
  clientGone,
  invalid,
  parseChatRequest,
  readBody,
} from "./body";
import { errorResponse, mapSdkError, RouteError } from "./route-error";

/**
 * What `authorize` answers: `true` allows the request; `false` refuses it with 403; an object
 * refuses it with that status (401 when the user is not signed in, 403 when they may not use this
 * session) and an optional message shown to the browser.
 *
 * @example
 * ```ts
 * const decision: AuthorizeResult = user ? true : { status: 401, message: "Sign in first." };
 * ```
 */
export type AuthorizeResult = boolean | { status: 401 | 403; message?: string };

/**
 * What {@link ChatRouteOptions.authorize} is told about a request.
 *
 * @example
 * ```ts
 * const context: AuthorizeContext = { sessionId, action: "turn" };
 * ```
 */
export interface AuthorizeContext {
  /** The Puffle session the request is about (already checked to be a UUID). */
  sessionId: string;
  /** What the request would do. */
  action: ChatRouteAction;
}

/**
 * Options of {@link createChatRoute}.
 *
 * @example
 * ```ts
 * const options: ChatRouteOptions = {
 *   client: new PuffleClient(),
 *   authorize: async (request, { sessionId }) => (await userOf(request))?.sessionIds.includes(sessionId) ?? false,
 * };
 * ```
 */
export interface ChatRouteOptions {
  /** The client that holds the API key (server side only). */
  client: PuffleClient;
  /**
   * Required. Decides, for every request, whether the signed-in user behind `request` may do
   * `action` on `sessionId` (check your own session cookie or token here). Called after the body
   * is validated and before anything is sent to Puffle, so the request's body has already been
   * read: decide from its headers (cookie, `authorization`) and the context. Only `true` allows;
   * there is no "allow all" default: a route without `authorize` cannot be created. A throw
   * answers 500 (reported to `onError`).
   */
  authorize: (
    request: Request,
    context: AuthorizeContext,
  ) => AuthorizeResult | Promise<AuthorizeResult>;
  /**
   * What to do when the session is already running a task: `"throw"` (default) answers 409
   * `session_busy`; `"wait"` waits for it to finish (within `busyTimeout`) and then dispatches.
   * Passed to `runTurn` / `generateExamples`, which also apply the at-most-once rule.
   */
  onBusy?: "throw" | "wait" | undefined;
  /** With `onBusy: "wait"`, the longest wait in ms. Default: the client's (`300_000`). */
  busyTimeout?: number | undefined;
  /**
   * When a dispatch's answer is lost, how long the SDK reads the session to learn whether it
   * happened before answering 502 `dispatch_unknown` (never a second paid send). Default: the
   * client's (`10_000`).
   */
  reconcileTimeout?: number | undefined;
  /**
   * The variable names the draft may use, sent with every turn and used to lint the draft.
   * A list, or a function of the session id. Default: none (the linter then accepts any
   * well-formed variable).
   */
  availableVarNames?:
    | readonly string[]
    | ((sessionId: string) => readonly string[] | Promise<readonly string[]>)
    | undefined;
  /**
   * Leads for an example run whose body has none. Without it, an `examples` request must carry
   * `leads`.
   */
  leads?: ((sessionId: string) => Lead[] | Promise<Lead[]>) | undefined;
  /** Largest accepted body in bytes, counted while it is read (413 past it). Default `65_536`. */
  maxBodyBytes?: number | undefined;
  /**
   * The longest a request body may take to arrive, in ms (408 past it), so that a body that never
   * ends cannot hold the route. A 64 KB body arrives in about a second even at 2G speed.
   * Default `10_000`.
   */
  bodyTimeoutMs?: number | undefined;
  /**
   * Largest session answer passed to the browser, in bytes (502 `session_too_large` past it,
   * reported to `onError`). A long chat is a few hundred kilobytes; the browser reads it after
   * every task. What the route reads from Puffle is bounded first by the client's
   * `maxResponseBytes`. Default `4_194_304` (4 MiB).
   */
  maxSessionBytes?: number | undefined;
  /** Longest accepted message in characters. Default `8_000`. */
  maxMessageLength?: number | undefined;
  /** Most leads in one example request. Default `10`. */
  maxLeads?: number | undefined;
  /**
   * Told about every error answered with a 5xx (Puffle unreachable, its key refused, a bug), with
   * the request's action. Not told about what the client did: a bad or slow body (4xx), or a
   * client that went away (it aborted, or its connection dropped) before the answer. Default: one `console.error` line with the error's name and redacted
   * message (never the API key, never a stack).
   */
  onError?:
    | ((error: unknown, context: { action: ChatRouteAction | undefined }) => void)
    | undefined;
}

/**
 * A Web-standard request handler: `(request: Request) => Promise<Response>`.
 *
 * @example
 * ```ts
 * const handler: ChatRouteHandler = createChatRoute({ client, authorize });
 * ```
 */
export type ChatRouteHandler = (request: Request) => Promise<Response>;

/**
 * Default of {@link ChatRouteOptions.maxBodyBytes}.
 *
 * @example
 * ```ts
 * createChatRoute({ client, authorize, maxBodyBytes: DEFAULT_MAX_BODY_BYTES / 2 });
 * ```
 */
export const DEFAULT_MAX_BODY_BYTES = 65_536;

/**
 * Default of {@link ChatRouteOptions.maxMessageLength}.
 *
 * @example
 * ```ts
 * createChatRoute({ client, authorize, maxMessageLength: DEFAULT_MAX_MESSAGE_LENGTH });
 * ```
 */
export const DEFAULT_MAX_MESSAGE_LENGTH = 8_000;

/**
 * Default of {@link ChatRouteOptions.maxLeads}.
 *
 * @example
 * ```ts
 * createChatRoute({ client, authorize, maxLeads: DEFAULT_MAX_LEADS });
 * ```
 */
export const DEFAULT_MAX_LEADS = 10;

/**
 * Default of {@link ChatRouteOptions.bodyTimeoutMs}.
 *
 * @example
 * ```ts
 * createChatRoute({ client, authorize, bodyTimeoutMs: DEFAULT_BODY_TIMEOUT_MS * 3 });
 * ```
 */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/**
 * Default of {@link ChatRouteOptions.maxSessionBytes}.
 *
 * @example
 * ```ts
 * createChatRoute({ client, authorize, maxSessionBytes: DEFAULT_MAX_SESSION_BYTES * 2 });
 * ```
 */
export const DEFAULT_MAX_SESSION_BYTES = 4 * 1024 * 1024;

const JSON_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

/**
 * Create the chat route of a browser app: one URL that holds the API key on the server, checks
 * that the signed-in user may use the session, and gives the browser only what it needs.
 *
 * - `GET ?sessionId=…` → 200 `{ session, lint }` (the session and its draft's lint report).
 * - `POST` `{ action: "turn", sessionId, message }` → 200 `{ run }`: `runTurn` with the
 *   at-most-once rule and `onBusy`; `run` is the run id, its public token and `triggerBaseURL`.
 * - `POST` `{ action: "examples", sessionId, leads?, isFirstBatch? }` → 200 `{ run }`.
 *
 * Every request is refused unless `authorize` allows it. Bodies must be `application/json` (a
 * plain HTML form cannot post here: no simple-form CSRF), at most `maxBodyBytes`, with no unknown
 * key. Refusals are JSON `{ error: { code, message, status } }`: 400 `invalid_request`,
 * 401/403 from `authorize`, 405, 413, 415; SDK errors map to 404, 409 `session_busy`,
 * 402, 429 (with `Retry-After`), 502 and 504. No answer carries the API key or a stack trace.
 * Works as-is in Next.js route handlers, Hono, Bun, Deno and Cloudflare Workers; use
 * `toNodeHandler` for `node:http` and Express.
 *
 * Hostile clients: a body is capped in size while it is read (413), in time (408,
 * `bodyTimeoutMs`) and in nesting (400 past 20 levels, before it is parsed), all before
 * `authorize` and without a log line; a client that leaves is not reported to `onError`.
 *
 * @throws {@link PuffleError} when `client` or `authorize` is missing, or a limit is not a positive integer.
 *
 * @example
 * ```ts
 * // app/api/chat/route.ts (Next.js)
 * import { PuffleClient } from "puffle-chat";
 * import { createChatRoute } from "puffle-chat/server";
 *
 * const handler = createChatRoute({
 *   client: new PuffleClient(), // PUFFLE_API_KEY from the environment
 *   authorize: async (request, { sessionId }) => {
 *     const user = await currentUser(request); // your auth
 *     return user ? user.canEdit(sessionId) : { status: 401 };
 *   },
 * });
 * export { handler as GET, handler as POST };
 * ```
 */
export function createChatRoute(options: ChatRouteOptions): ChatRouteHandler {
  const route = checkRouteOptions(options);
  return (request: Request): Promise<Response> => handle(route, request);
}

/** A route's checked options, with the defaults applied. */
interface Route {
  options: ChatRouteOptions;
  client: PuffleClient;
  authorize: ChatRouteOptions["authorize"];
  onBusy: "throw" | "wait";
  limits: BodyLimits;
  maxSessionBytes: number;
  onError: NonNullable<ChatRouteOptions["onError"]>;
}

function checkRouteOptions(options: ChatRouteOptions): Route {
  if (typeof options !== "object" || options === null)
    throw new PuffleError("createChatRoute: pass { client, authorize }.");
  const { client, authorize } = options;
  if (
    typeof client !== "object" ||
    client === null ||
    typeof (client as { runTurn?: unknown }).runTurn !== "function"
  )
    throw new PuffleError(
      "createChatRoute: `client` must be a PuffleClient (it holds the API key).",
    );
  if (typeof authorize !== "function")
    throw new PuffleError(
      "createChatRoute: `authorize(request, { sessionId, action })` is required: it decides whether the signed-in user may use the session. There is no allow-all default.",
    );
  const onBusy = options.onBusy ?? "throw";
  if (onBusy !== "throw" && onBusy !== "wait")
    throw new PuffleError(
      `createChatRoute: onBusy must be "throw" or "wait" (got ${String(onBusy)}).`,
    );
  const limits: BodyLimits = {
    maxBodyBytes: positive("maxBodyBytes", options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    bodyTimeoutMs: positive("bodyTimeoutMs", options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS),
    maxMessageLength: positive(
      "maxMessageLength",
      options.maxMessageLength,
      DEFAULT_MAX_MESSAGE_LENGTH,
    ),
    maxLeads: positive("maxLeads", options.maxLeads, DEFAULT_MAX_LEADS),
    maxLeadBytes: 4_096,
  };
  const maxSessionBytes = positive(
    "maxSessionBytes",
    options.maxSessionBytes,
    DEFAULT_MAX_SESSION_BYTES,
  );
  const onError = options.onError ?? defaultOnError;
  return { options, client, authorize, onBusy, limits, maxSessionBytes, onError };
}

/** One request: GET reads the session, POST sends a turn or an examples batch. */
async function handle(route: Route, request: Request): Promise<Response> {
  let action: ChatRouteAction | undefined;
  try {
    const url = new URL(request.url);
    if (request.method === "GET") {
      action = "read";
      return await read(route, request, url);
    }
    const body = await parsePost(route, request);
    action = body.action;
    return await dispatch(route, request, body);
  } catch (error) {
    if (error instanceof RouteError) return errorResponse(error);
    // The client left (the SDK call was aborted with it): its doing, not a server failure.
    if (request.signal.aborted) return errorResponse(clientGone());
    const mapped = mapSdkError(error);
    if (!mapped || mapped.status >= 500) safely(() => route.onError(error, { action }));
    return errorResponse(
      mapped ??
        new RouteError(500, "internal_error", "The chat route failed: see the server's log."),
    );
  }
}

/** A POST's JSON body, checked; any other method or content type is refused. */
async function parsePost(route: Route, request: Request): Promise<ChatRouteRequest> {
  if (request.method !== "POST") {
    throw new RouteError(
      405,
      "method_not_allowed",
      `${request.method} is not allowed here: use GET to read a session, POST to send.`,
      {},
      { allow: "GET, POST" },
    );
  }
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new RouteError(
      415,
      "unsupported_media_type",
      "Send the body as JSON with `content-type: application/json`.",
    );
  }
  return parseChatRequest(await readBody(request, route.limits), route.limits);
}

/** Ask `authorize`; anything but `true` is a 401 or 403 answer. */
async function check(
  route: Route,
  request: Request,
  sessionId: string,
  action: ChatRouteAction,
): Promise<void> {
  const decision = await route.authorize(request, { sessionId, action });
  if (decision === true) return;
  if (typeof decision === "object" && decision !== null && decision.status === 401)
    throw new RouteError(401, "unauthorized", decision.message ?? "Sign in to use this chat.");
  const message =
    typeof decision === "object" && decision !== null && decision.message
      ? decision.message
      : "You may not use this chat session.";
  throw new RouteError(403, "forbidden", message);
}

async function varNames(route: Route, sessionId: string): Promise<string[] | undefined> {
  const v = route.options.availableVarNames;
  if (v === undefined) return undefined;
  return [...(typeof v === "function" ? await v(sessionId) : v)];
}

/** GET ?sessionId=…: the session and the lint report of its draft. */
async function read(route: Route, request: Request, url: URL): Promise<Response> {
  const issues: BodyIssue[] = [];
  for (const key of new Set(url.searchParams.keys()))
    if (key !== "sessionId")
      issues.push({
        path: key.slice(0, 64),
        message: "is not a known query parameter (allowed: sessionId)",
      });
  const sessionId = url.searchParams.get("sessionId") ?? undefined;
  checkSessionId(sessionId, issues);
  if (issues.length > 0) throw invalid(issues);
  await check(route, request, sessionId as string, "read");
  const session = await route.client.getSession(sessionId as string, { signal: request.signal });
  const body: ChatRouteSession = {
    session: session as unknown as ChatRouteSession["session"],
    lint: await lintOf(route, session),
  };
  return new Response(capped(route, JSON.stringify(body)), { status: 200, headers: JSON_HEADERS });
}

/** The session answer's bytes, within `maxSessionBytes` (else 502, reported to `onError`). */
function capped(route: Route, json: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(json);
  if (bytes.byteLength <= route.maxSessionBytes) return bytes;
  const error = new RouteError(
    502,
    "session_too_large",
    `This session is too large to show (more than ${route.maxSessionBytes} bytes).`,
  );
  safely(() => route.onError(error, { action: "read" }));
  throw error;
}

async function lintOf(route: Route, session: Session): Promise<ChatRouteSession["lint"]> {
  if (session.draft_subject == null && session.draft_body == null) return null;
  const names = await varNames(route, session.id);
  const report = lintDraft(
    { subject: session.draft_subject ?? null, body: session.draft_body ?? null },
    names ? { availableVarNames: names } : {},
  );
  return report;
}

/** POST: dispatch the turn or the examples batch; the answer is the run to follow. */
async function dispatch(route: Route, request: Request, body: ChatRouteRequest): Promise<Response> {
  await check(route, request, body.sessionId, body.action);
  const run = await startRun(route, request, body);
  const triggerBaseURL = route.client.triggerBaseURL;
  const answer: ChatRouteRun =
    run.runId === null
      ? { runId: null, publicAccessToken: null, reconciled: true, triggerBaseURL }
      : { runId: run.runId, publicAccessToken: run.publicAccessToken, triggerBaseURL };
  return new Response(JSON.stringify({ run: answer }), { status: 200, headers: JSON_HEADERS });
}

async function startRun(
  route: Route,
  request: Request,
  body: ChatRouteRequest,
): Promise<RunHandle> {
  const { client, options } = route;
  const dispatchOptions = {
    onBusy: route.onBusy,
    signal: request.signal,
    ...(options.busyTimeout === undefined ? {} : { busyTimeout: options.busyTimeout }),
    ...(options.reconcileTimeout === undefined
      ? {}
      : { reconcileTimeout: options.reconcileTimeout }),
  };
  if (body.action === "turn") {
    const names = await varNames(route, body.sessionId);
    return client.runTurn(
      body.sessionId,
      names ? { message: body.message, availableVarNames: names } : { message: body.message },
      dispatchOptions,
    );
  }
  let leads = body.leads as Lead[] | undefined;
  if (leads === undefined) {
    if (!options.leads)
      throw invalid([{ path: "leads", message: "is required (this route has no default leads)" }]);
    leads = await options.leads(body.sessionId);
  }
  return client.generateExamples(
    body.sessionId,
    body.isFirstBatch === undefined ? { leads } : { leads, isFirstBatch: body.isFirstBatch },
    dispatchOptions,
  );
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new PuffleError(
      `createChatRoute: ${name} must be a positive integer (got ${String(value)}).`,
    );
  return value;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // a throwing onError must not change the answer
  }
}

function defaultOnError(error: unknown, context: { action: ChatRouteAction | undefined }): void {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    `[puffle-chat/server] ${context.action ?? "request"} failed: ${name}: ${redactText(message)}`,
  );
}

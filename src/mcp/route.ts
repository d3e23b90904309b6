/**
 * `createMcpRoute`: the MCP server over Streamable HTTP as one Web-standard handler, mountable
 * beside `createChatRoute`. `authorize` is required (no allow-all default) and is asked twice:
 * for every HTTP request (who may use the server at all), and in every tool call about the
 * campaign or session it names, before anything is sent to Puffle.
 *
 * @module
 */
import { createMcpHandler } from "@modelcontextprotocol/server";
import { PuffleError } from "../base/puffle-error";
import { redactText } from "../base/redact";
import { Desk } from "./desk";
import { checkMcpOptions, type PuffleMcpOptions, type PuffleMcpToolName } from "./options";
import { refuse } from "./result";
import { buildServer, type ToolGate } from "./server";

/**
 * What `authorize` is told: `tool` is `null` for the HTTP request as a whole (initialize,
 * tools/list, any call), then the tool's name with the ids its arguments name.
 *
 * @example
 * ```ts
 * const context: McpAuthorizeContext = { tool: "puffle_send_turn", campaignId: null, sessionId };
 * ```
 */
export interface McpAuthorizeContext {
  /** The tool being called; `null` for the request as a whole. */
  tool: PuffleMcpToolName | null;
  /** The campaign the call names (`puffle_get_campaign`, `puffle_start_session`), else `null`. */
  campaignId: string | null;
  /** The session the call names (every other tool), else `null`. */
  sessionId: string | null;
}

/**
 * What `authorize` answers: `true` allows; `false` refuses with 403 (or, in a tool call, a
 * `forbidden` tool result); an object refuses with that status and message.
 *
 * @example
 * ```ts
 * const decision: McpAuthorizeResult = user ? true : { status: 401, message: "Sign in first." };
 * ```
 */
export type McpAuthorizeResult = boolean | { status: 401 | 403; message?: string };

/**
 * Options of {@link createMcpRoute}: the server's options and `authorize`.
 *
 * @example
 * ```ts
 * const options: McpRouteOptions = { client: new PuffleClient(), authorize: (request) => isStaff(request) };
 * ```
 */
export interface McpRouteOptions extends PuffleMcpOptions {
  /**
   * Required. Decides whether the caller behind `request` (check its `authorization` header or
   * cookie) may use the server (`tool: null`) and, in each tool call, the campaign or session
   * it names. Only `true` allows. A throw answers 500 (or an `internal_error` tool result) and
   * goes to `onError`.
   */
  authorize: (
    request: Request,
    context: McpAuthorizeContext,
  ) => McpAuthorizeResult | Promise<McpAuthorizeResult>;
}

/**
 * A Web-standard handler with a `close()` that ends the requests in flight.
 *
 * @example
 * ```ts
 * const route: McpRoute = createMcpRoute({ client, authorize });
 * const response = await route(new Request("http://localhost/mcp", { method: "POST" }));
 * await route.close();
 * ```
 */
export interface McpRoute {
  /** Answer one MCP request (POST; other methods are answered by the SDK). */
  (request: Request): Promise<Response>;
  /** Abort the exchanges in flight (their Puffle tasks go on). */
  close(): Promise<void>;
}

/**
 * Serve the puffle-chat MCP tools over Streamable HTTP (MCP 2026-07-28 and, per request and
 * stateless, the 2025 revisions: clients of the v1 and v2 SDK lines both work). Mount it on one
 * path (POST; other methods are answered by the SDK).
 *
 * @throws {@link PuffleError} when `client` or `authorize` is missing or an option is bad.
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * import { createMcpRoute } from "puffle-chat/mcp";
 *
 * const mcp = createMcpRoute({
 *   client: new PuffleClient(),
 *   readOnly: true,
 *   authorize: (request) => request.headers.get("authorization") === `Bearer ${process.env.MCP_TOKEN}`,
 * });
 * // Next.js: export { mcp as POST }; Hono: app.post("/mcp", (c) => mcp(c.req.raw));
 * ```
 */
export function createMcpRoute(options: McpRouteOptions): McpRoute {
  const settings = checkMcpOptions("createMcpRoute", options, ["authorize"]);
  const { authorize } = options;
  if (typeof authorize !== "function")
    throw new PuffleError(
      "createMcpRoute: `authorize(request, { tool, campaignId, sessionId })` is required: it decides who may use the server. There is no allow-all default.",
    );
  const desk = new Desk();
  const handler = createMcpHandler(
    (context) => buildServer(settings, desk, toolGate(authorize, context.requestInfo)),
    { onerror: (error) => report(settings.onError, error) },
  );
  const route = async (request: Request): Promise<Response> => {
    try {
      const decision = await authorize(request, { tool: null, campaignId: null, sessionId: null });
      if (decision !== true) return refusedResponse(decision);
      return await handler.fetch(request);
    } catch (error) {
      report(settings.onError, error);
      return jsonRpcError(500, -32603, "The MCP route failed: see the server's log.");
    }
  };
  return Object.assign(route, { close: () => handler.close() });
}

/** The tool-call half of `authorize`, for the request a server instance serves. */
function toolGate(authorize: McpRouteOptions["authorize"], request: Request | undefined): ToolGate {
  return async ({ tool, campaignId, sessionId }) => {
    // createMcpHandler hands every instance its request; without one nothing can be checked.
    if (request === undefined) refuse("forbidden", "No request to authorize.", "call over HTTP.");
    const decision = await authorize(request, {
      tool: tool as PuffleMcpToolName,
      campaignId: campaignId ?? null,
      sessionId: sessionId ?? null,
    });
    if (decision === true) return;
    const message =
      typeof decision === "object" && decision?.message ? decision.message : undefined;
    refuse(
      "forbidden",
      message ??
        `You may not use ${sessionId ? `session ${sessionId}` : `campaign ${campaignId}`} here.`,
      "ask the user for access; do not retry.",
    );
  };
}

function refusedResponse(decision: McpAuthorizeResult): Response {
  const status = typeof decision === "object" && decision?.status === 401 ? 401 : 403;
  const message =
    typeof decision === "object" && decision?.message
      ? decision.message
      : status === 401
        ? "Sign in to use this MCP server."
        : "You may not use this MCP server.";
  return jsonRpcError(status, -32001, redactText(message));
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}

function report(
  onError: (error: unknown, context: { tool: string }) => void,
  error: unknown,
): void {
  try {
    onError(error, { tool: "(http)" });
  } catch {
    // Reporting must never change the answer.
  }
}

import type { EmulatorContext } from "./context";
import type { ActiveFault } from "./faults";
import { BASE_HEADERS, bearer, fail, preflight, sleep, unauthorized } from "./http";
import { isUuid } from "./ids";
import { mustRefetch, runFeed } from "./realtime-feed";
import { runStream } from "./realtime-stream";
import {
  CreateSessionBody,
  GenerateExamplesBody,
  GenerateMessagesBody,
  UpdateCampaignBody,
  UpdateMessageBody,
  UpdateSessionBody,
  withBody,
} from "./request-schemas";
import {
  generateMessages,
  getCampaign,
  listMessages,
  ownedCampaign,
  updateCampaign,
  updateMessage,
  updateNode,
} from "./routes-campaigns";
import { generateContent } from "./routes-content";
import {
  createSession,
  deleteSession,
  getSession,
  listSessions,
  updateSession,
} from "./routes-sessions";
import { generateExamples, turn } from "./routes-tasks";
import type { EmulatorOperation, UserRow } from "./types";

/**
 * Request routing and fault application: `(Request) => Promise<Response>` over the emulator's
 * state. A dropped connection is answered with `Response.error()`, which the adapters turn into a
 * destroyed socket (node) or a network error (msw).
 *
 * @module
 */

interface Route {
  operation: EmulatorOperation;
  params: string[];
}

const SESSIONS = /\/api\/campaigns\/ai-chat-sessions\/?$/;
const SESSION = /\/api\/campaigns\/ai-chat-sessions\/([^/]+)\/?$/;
const TURN = /\/api\/campaigns\/ai-chat-sessions\/([^/]+)\/turn\/?$/;
const EXAMPLES = /\/api\/campaigns\/ai-chat-sessions\/([^/]+)\/generate-examples\/?$/;
const CONTENT = /\/api\/campaigns\/([^/]+)\/generate-content\/?$/;
const CAMPAIGN = /\/api\/campaigns\/([^/]+)\/?$/;
const NODE = /\/api\/campaigns\/([^/]+)\/sequence\/nodes\/([^/]+)\/?$/;
const MESSAGES = /\/api\/campaigns\/([^/]+)\/generate-messages\/?$/;
const FEED = /\/realtime\/v1\/runs\/([^/]+)\/?$/;
const STREAM = /\/realtime\/v1\/streams\/([^/]+)\/([^/]+)\/?$/;

/** Find the operation of `method` + `path`: the route, "method" when only the method is wrong, or undefined. */
export function matchRoute(method: string, path: string): Route | "method" | undefined {
  const one = (
    re: RegExp,
    ops: Partial<Record<string, EmulatorOperation>>,
  ): Route | "method" | undefined => {
    const m = path.match(re);
    if (!m) return undefined;
    const operation = ops[method];
    return operation
      ? { operation, params: m.slice(1).map((p) => decodeURIComponent(p)) }
      : "method";
  };
  return (
    one(TURN, { POST: "turn" }) ??
    one(EXAMPLES, { POST: "generateExamples" }) ??
    one(SESSIONS, { POST: "create", GET: "list" }) ??
    one(SESSION, { GET: "get", PATCH: "update", DELETE: "delete" }) ??
    one(CONTENT, { POST: "generateContent" }) ??
    one(CAMPAIGN, { GET: "getCampaign", PATCH: "updateCampaign" }) ??
    one(NODE, { PUT: "updateNode" }) ??
    one(MESSAGES, { POST: "generateMessages", GET: "listMessages", PATCH: "updateMessage" }) ??
    one(STREAM, { GET: "stream" }) ??
    one(FEED, { GET: "runFeed" })
  );
}

const TASK_OPS = new Set<EmulatorOperation>(["turn", "generateExamples", "generateContent"]);

function html502(): Response {
  return new Response(
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
    {
      status: 502,
      headers: { ...BASE_HEADERS, "content-type": "text/html" },
    },
  );
}

/** The answer a fault gives before the server acts, if it is that kind of fault. */
function before(
  ctx: EmulatorContext,
  fault: ActiveFault,
  operation: EmulatorOperation,
  params: string[],
): Response | undefined {
  switch (fault.kind) {
    case "rateLimit":
      return fail(429, "Too many requests", {
        "retry-after": String(fault.retryAfterSeconds ?? 1),
      });
    case "dropBefore":
      return Response.error();
    case "html502":
      return html502();
    case "status":
      return fail(fault.status ?? 500, `Emulated error ${fault.status ?? 500}`);
    case "dispatch500":
      return TASK_OPS.has(operation) ? undefined : fail(500, "Internal server error");
    case "expiredToken":
      return operation === "runFeed" || operation === "stream"
        ? fail(401, "Unauthorized: the public access token has expired")
        : undefined;
    case "mustRefetch": {
      const run = operation === "runFeed" ? ctx.runs.runs.get(params[0] ?? "") : undefined;
      if (!run) return undefined;
      ctx.runs.rotateHandle(run);
      return mustRefetch(run);
    }
    default:
      return undefined;
  }
}

/** What a fault does to the answer after the server acted. */
async function after(fault: ActiveFault | undefined, response: Response): Promise<Response> {
  switch (fault?.kind) {
    case "dropAfter":
      await response.body?.cancel().catch(() => {});
      return Response.error();
    case "malformedJson":
      await response.body?.cancel().catch(() => {});
      return new Response('{"session": {"id": "', {
        status: response.status,
        headers: { ...BASE_HEADERS, "content-type": "application/json" },
      });
    case "body": {
      await response.body?.cancel().catch(() => {});
      const headers = new Headers(response.headers);
      if (fault.contentType !== undefined) headers.set("content-type", fault.contentType);
      const status = fault.status ?? response.status;
      const empty = [101, 204, 205, 304].includes(status);
      return new Response(empty ? null : (fault.body ?? ""), { status, headers });
    }
    case "nonJson":
      await response.body?.cancel().catch(() => {});
      return new Response("OK", {
        status: response.status,
        headers: { ...BASE_HEADERS, "content-type": "text/plain" },
      });
    default:
      return response;
  }
}

async function act(
  ctx: EmulatorContext,
  request: Request,
  route: Route,
  fault: ActiveFault | undefined,
): Promise<Response> {
  const [p0 = "", p1 = ""] = route.params;
  if (route.operation === "runFeed") return runFeed(ctx, request, p0);
  if (route.operation === "stream") return runStream(ctx, request, p0, p1);
  const user = ctx.store.userByKey(bearer(request) ?? "");
  if (!user) return unauthorized();
  if (CAMPAIGN_OPS.has(route.operation)) return actOnCampaign(ctx, request, user, route, fault);
  if (route.operation === "create")
    return withBody(request, CreateSessionBody, (body) => createSession(ctx, user, body));
  if (route.operation === "list") return listSessions(ctx, request, user);
  if (!isUuid(p0)) return fail(400, "Session id must be a UUID");
  const session = ctx.store.ownedSession(p0, user.id);
  if (!session) return fail(404, "Session not found");
  switch (route.operation) {
    case "get":
      return getSession(ctx, session);
    case "update":
      return withBody(request, UpdateSessionBody, (body) => updateSession(session, body));
    case "delete":
      return deleteSession(ctx, session);
    case "turn":
      return turn(ctx, request, session, fault);
    default:
      return withBody(request, GenerateExamplesBody, (body) =>
        generateExamples(ctx, request, session, fault, body),
      );
  }
}

const CAMPAIGN_OPS = new Set<EmulatorOperation>([
  "generateContent",
  "getCampaign",
  "updateCampaign",
  "updateNode",
  "generateMessages",
  "listMessages",
  "updateMessage",
]);

/** The campaign routes: the campaign is checked to be the caller's before the handler runs. */
function actOnCampaign(
  ctx: EmulatorContext,
  request: Request,
  user: UserRow,
  route: Route,
  fault: ActiveFault | undefined,
): Response | Promise<Response> {
  const [campaignId = "", nodeId = ""] = route.params;
  const content = route.operation === "generateContent";
  const campaign = ownedCampaign(ctx, user, campaignId, content ? "campaignId" : undefined);
  if (campaign instanceof Response) return campaign;
  switch (route.operation) {
    case "generateContent":
      return generateContent(ctx, request, user, campaign, fault);
    case "getCampaign":
      return getCampaign(ctx, campaign);
    case "updateCampaign":
      return withBody(request, UpdateCampaignBody, (body) =>
        updateCampaign(ctx, user, campaign, body),
      );
    case "updateNode":
      return updateNode(ctx, request, campaign, nodeId);
    case "generateMessages":
      return withBody(request, GenerateMessagesBody, (body) =>
        generateMessages(ctx, request, user, campaign, body),
      );
    case "listMessages":
      return listMessages(ctx, request, campaign);
    default:
      return withBody(request, UpdateMessageBody, (body) => updateMessage(ctx, campaign, body));
  }
}

/** The 429 of a Puffle API request over its key's `requestsPerMinute`; recorded in the ledger. */
function rateLimited(
  ctx: EmulatorContext,
  request: Request,
  operation: EmulatorOperation,
): Response | undefined {
  if (operation === "runFeed" || operation === "stream") return undefined;
  const at = Date.now();
  const over = ctx.rateLimiter.admit(bearer(request) ?? "", ctx.settings.requestsPerMinute, at);
  ctx.ledger.apiRequests.push({ at, limited: over !== undefined });
  if (!over) return undefined;
  return fail(429, "Too many requests: this key is over its rate limit", {
    "retry-after": String(over.retryAfterSeconds),
  });
}

/** Answer one request. */
export async function route(ctx: EmulatorContext, request: Request): Promise<Response> {
  if (request.method === "OPTIONS") return preflight(request);
  const found = matchRoute(request.method, new URL(request.url).pathname);
  if (!found) return fail(404, "Not found");
  if (found === "method") return fail(405, "Method not allowed");
  ctx.ledger.requests[found.operation] += 1;
  const limited = rateLimited(ctx, request, found.operation);
  if (limited) return limited;
  const fault = ctx.faults.take(found.operation);
  if (fault?.kind === "delay") await sleep(fault.delayMs ?? 1000, request.signal);
  if (fault) {
    const early = before(ctx, fault, found.operation, found.params);
    if (early) return early;
  }
  const response = await act(ctx, request, found, fault);
  return after(fault, response);
}

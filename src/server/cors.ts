/**
 * CORS for the chat route (both protocols): an explicit list of origins, never a wildcard.
 *
 * A browser request from another origin carries `Origin`; one that is not listed is refused with
 * 403 before anything else runs (body, `authorize`, Puffle), and its answer carries no CORS header.
 * A listed origin gets its preflight (`OPTIONS`) answered and its answers marked readable; cookies
 * and `authorization` travel only with `allowCredentials: true`. Requests without `Origin` (same-origin
 * GETs, servers, curl) and same-origin ones are not CORS requests and pass unchanged.
 *
 * @internal
 * @module
 */

import { PuffleError } from "../base/puffle-error";
import { errorResponse, RouteError } from "./route-error";

/** The checked CORS options of a route. */
export interface CorsPolicy {
  origins: ReadonlySet<string>;
  credentials: boolean;
}

/** Check `allowedOrigins` / `allowCredentials`; `undefined` when the route has no CORS. */
export function corsPolicy(
  allowedOrigins: readonly string[] | undefined,
  allowCredentials: boolean | undefined,
): CorsPolicy | undefined {
  if (allowCredentials !== undefined && typeof allowCredentials !== "boolean")
    throw new PuffleError("createChatRoute: allowCredentials must be true or false.");
  if (allowedOrigins === undefined) {
    if (allowCredentials)
      throw new PuffleError(
        "createChatRoute: allowCredentials needs allowedOrigins (the origins allowed to send credentials).",
      );
    return undefined;
  }
  if (!Array.isArray(allowedOrigins))
    throw new PuffleError(
      'createChatRoute: allowedOrigins must be a list of origins such as ["https://app.example.com"].',
    );
  for (const origin of allowedOrigins) checkOrigin(origin);
  return { origins: new Set(allowedOrigins), credentials: allowCredentials === true };
}

function checkOrigin(origin: unknown): void {
  if (origin === "*")
    throw new PuffleError(
      'createChatRoute: allowedOrigins has no wildcard: list each origin, such as "https://app.example.com".',
    );
  let parsed: string | undefined;
  try {
    parsed = typeof origin === "string" ? new URL(origin).origin : undefined;
  } catch {
    parsed = undefined;
  }
  if (typeof origin !== "string" || parsed !== origin || !/^https?:\/\//.test(origin))
    throw new PuffleError(
      `createChatRoute: allowedOrigins holds ${JSON.stringify(origin)}, which is not an origin: write scheme://host[:port] with no path or trailing slash, such as "https://app.example.com".`,
    );
}

const METHODS = "GET, POST, OPTIONS";
/** Header names a preflight may ask for (RFC 9110 tokens, comma separated). */
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

/**
 * Run `next` under the policy: refuse an unlisted cross-origin request, answer a listed
 * preflight, and mark a listed origin's answers readable.
 */
export async function withCors(
  policy: CorsPolicy,
  request: Request,
  next: (request: Request) => Promise<Response>,
): Promise<Response> {
  const origin = request.headers.get("origin");
  if (origin === null || origin === new URL(request.url).origin) return next(request);
  if (!policy.origins.has(origin))
    return errorResponse(
      new RouteError(
        403,
        "origin_not_allowed",
        "This origin may not use the chat route: add it to the route's allowedOrigins.",
      ),
    );
  const allow: Record<string, string> = {
    "access-control-allow-origin": origin,
    vary: "Origin",
    ...(policy.credentials ? { "access-control-allow-credentials": "true" } : {}),
  };
  if (request.method === "OPTIONS") {
    const asked = request.headers.get("access-control-request-headers") ?? "";
    return new Response(null, {
      status: 204,
      headers: {
        ...allow,
        "access-control-allow-methods": METHODS,
        "access-control-allow-headers": HEADER_LIST.test(asked) ? asked : "content-type",
        "access-control-max-age": "600",
        vary: "Origin, Access-Control-Request-Headers",
      },
    });
  }
  const response = await next(request);
  for (const [name, value] of Object.entries(allow)) response.headers.set(name, value);
  response.headers.set(
    "access-control-expose-headers",
    "retry-after, x-vercel-ai-ui-message-stream",
  );
  return response;
}

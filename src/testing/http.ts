/**
 * Small response helpers shared by the emulator's route handlers.
 *
 * @module
 */

/** Headers every answer carries: CORS for browsers and no caching. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "*",
  "cache-control": "no-store",
};

const ALLOWED_REQUEST_HEADERS = [
  "authorization",
  "content-type",
  "accept",
  "last-event-id",
  "trigger-version",
  "x-trigger-electric-version",
  "x-trigger-api-version",
  "x-trigger-branch",
  "x-trigger-client",
  "x-trigger-realtime-streams-version",
  "x-trigger-stream-start",
  "timeout-seconds",
  "x-emulator-task-duration-ms",
  "x-emulator-stream-version",
  "idempotency-key",
  "x-request-id",
].join(", ");

/** Answer a CORS preflight: every method used, the trigger and emulator headers. */
export function preflight(request: Request): Response {
  const asked = request.headers.get("access-control-request-headers");
  return new Response(null, {
    status: 204,
    headers: {
      ...BASE_HEADERS,
      "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
      "access-control-allow-headers": asked
        ? `${ALLOWED_REQUEST_HEADERS}, ${asked}`
        : ALLOWED_REQUEST_HEADERS,
      "access-control-max-age": "600",
    },
  });
}

/** A JSON answer with the base headers. */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...BASE_HEADERS, "content-type": "application/json", ...headers },
  });
}

/** An error answer in the flat shape `{"error": "message"}`. */
export function fail(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return json(status, { error: message }, headers);
}

/** The 401 of the Puffle API, in the nested shape. */
export function unauthorized(): Response {
  return json(401, {
    error: { code: "unauthorized", message: "Missing, malformed or revoked API key." },
  });
}

/** The bearer token of `request`, if any. */
export function bearer(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Parse the JSON body of `request`: the object, or a 400 answer. */
export async function readJsonObject(
  request: Request,
): Promise<Record<string, unknown> | Response> {
  let text: string;
  try {
    text = await request.text();
  } catch {
    return fail(400, "Could not read the request body");
  }
  if (text.trim() === "") return fail(400, "Request body must be a JSON object");
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      return fail(400, "Request body must be a JSON object");
    }
    return value as Record<string, unknown>;
  } catch {
    return fail(400, "Invalid JSON body");
  }
}

/** Resolve after `ms` (unref'd timer), or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref?.();
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * Shared fixtures of the core HTTP tests: an msw server that records every request, canary
 * secrets, the documented example payloads and a client factory.
 */
import { randomBytes } from "node:crypto";
import { HttpResponse, http } from "msw";
import { type SetupServer, setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type ClientOptions, PuffleClient } from "../../src/index";

export const BASE = "https://app.puffle.ai";
export const SESSIONS = `${BASE}/api/campaigns/ai-chat-sessions`;

/** A canary API key: `pk_live_` + 64 hex characters, random per run. */
export const API_KEY = `pk_live_${randomBytes(32).toString("hex")}`;
/** The part of the key after its loggable 24-character prefix: must never be seen anywhere. */
export const KEY_SECRET_PART = API_KEY.slice(24);
/** A canary public access token. */
export const PUBLIC_TOKEN = `tr_pat_${randomBytes(24).toString("hex")}`;

/** Valid ids (RFC 4122 v4). */
export const CAMPAIGN_ID = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
export const NODE_ID = "5b0e0c8a-1c2d-4e5f-9a6b-7c8d9e0f1a2b";
export const SESSION_ID = "9f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";

/** The documented example session (seed: create a campaign AI chat session). */
export function documentedSession(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: "d1d1d1d1-1111-1111-1111-111111111111",
    user_id: "11111111-1111-1111-1111-111111111111",
    campaign_id: "8c2b2d4e-e29b-41d4-a716-446655440000",
    node_id: "bbbb1111-1111-1111-1111-111111111111",
    title: null,
    messages: null,
    draft_subject: null,
    draft_body: null,
    skeleton: null,
    skeleton_history: null,
    draft_history: null,
    framework_version: null,
    generated_examples: null,
    task_status: null,
    created_at: "2026-04-22T10:00:00Z",
    updated_at: "2026-04-22T10:00:00Z",
    ...overrides,
  };
}

/** The documented example RunHandle (seed: run one turn). */
export const DOCUMENTED_RUN = { runId: "run_abc123", publicAccessToken: "tr_pat_abc123..." };

/**
 * A handle the SDK returned, with its token visible again to compare it whole: the token is read
 * by name only (not enumerable, redacted in JSON and inspect), so `toEqual` would not see it.
 */
export function withToken<T extends { publicAccessToken?: unknown }>(run: T): T {
  return { ...run, publicAccessToken: run.publicAccessToken };
}

/** One request as the server saw it. */
export interface Recorded {
  method: string;
  url: URL;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  at: number;
}

/**
 * An msw server for one test file (`onUnhandledRequest: "error"`), with a request log that is
 * cleared after every test.
 */
export function setupMswServer(): { server: SetupServer; requests: Recorded[] } {
  const server = setupServer();
  const requests: Recorded[] = [];
  server.events.on("request:start", ({ request }) => {
    const url = new URL(request.url);
    const entry: Recorded = {
      method: request.method,
      url,
      path: url.pathname,
      headers: Object.fromEntries(request.headers.entries()),
      body: undefined,
      at: Date.now(),
    };
    requests.push(entry);
    void request
      .clone()
      .text()
      .then((text) => {
        try {
          entry.body = text === "" ? undefined : JSON.parse(text);
        } catch {
          entry.body = text;
        }
      })
      .catch(() => {});
  });
  const unhandled: string[] = [];
  server.events.on("request:unhandled", ({ request }) => {
    unhandled.push(`${request.method} ${request.url}`);
  });
  // msw v3 renamed v2's `onUnhandledRequest` to `onUnhandledFrame`; v2's name is silently
  // ignored and the default ("warn") would let an unhandled request through to the real host.
  beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
  afterEach(() => {
    server.resetHandlers();
    requests.length = 0;
    const stray = unhandled.splice(0);
    if (stray.length) throw new Error(`requests no handler expected: ${stray.join(", ")}`);
  });
  afterAll(() => server.close());
  return { server, requests };
}

/** A client on the canary key and the msw host, with fast backoff. */
export function makeClient(options: ClientOptions = {}): PuffleClient {
  return new PuffleClient({
    apiKey: API_KEY,
    baseURL: BASE,
    retryDelay: 5,
    retryMaxDelay: 20,
    logLevel: "off",
    ...options,
  });
}

/** A JSON answer. */
export function json(
  body: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
) {
  return HttpResponse.json(body as never, init);
}

export { HttpResponse, http };

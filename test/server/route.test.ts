/**
 * puffle-chat/server: every refusal path of the chat route (construction, method, content type,
 * size, validation, authorization), the mapping of SDK errors, and a secret canary over every
 * answer and log line. The route talks to the emulator over real HTTP.
 */

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PuffleClient } from "../../src/index";
import { type AuthorizeContext, createChatRoute } from "../../src/server/index";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";

let server: ListeningEmulator;
let client: PuffleClient;
let sessionId: string;
const seen: string[] = [];
const logged: string[] = [];

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 300, liveHoldMs: 200 }).listen();
  client = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    maxRetries: 0,
  });
  const { campaignId, nodeId } = server.emulator.demo;
  sessionId = (await client.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId })).id;
});
afterAll(async () => {
  await server?.close();
  // The canary: no answer body, header or log line of this file ever held the API key.
  const everything = [...seen, ...logged].join("\n");
  expect(seen.length).toBeGreaterThan(30);
  expect(everything).not.toContain(server.apiKey);
  expect(everything).not.toContain(server.apiKey.slice(24));
  expect(everything).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack frames
});
afterEach(async () => {
  vi.restoreAllMocks();
  await server.emulator.finishTasks();
  server.emulator.faults.clear();
});

const allowAll = () => true;
const route = (overrides: Partial<Parameters<typeof createChatRoute>[0]> = {}) =>
  createChatRoute({
    client,
    authorize: allowAll,
    onError: (error) =>
      logged.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
    ...overrides,
  });

async function call(
  handler: (r: Request) => Promise<Response>,
  init: RequestInit & { query?: string } = {},
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field
): Promise<{ status: number; body: any; headers: Headers }> {
  const { query = "", ...rest } = init;
  const res = await handler(new Request(`http://app.test/api/chat${query}`, rest));
  const text = await res.text();
  seen.push(`${res.status} ${JSON.stringify([...res.headers])} ${text}`);
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const post = (handler: (r: Request) => Promise<Response>, body: unknown, headers = {}) =>
  call(handler, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("construction", () => {
  it("refuses a route without authorize, without client, or with bad options", () => {
    // @ts-expect-error authorize is required
    expect(() => createChatRoute({ client })).toThrow(/authorize.*required.*no allow-all default/);
    // @ts-expect-error client is required
    expect(() => createChatRoute({ authorize: allowAll })).toThrow(/client.*PuffleClient/);
    // @ts-expect-error no options
    expect(() => createChatRoute()).toThrow(/client, authorize/);
    // @ts-expect-error bad onBusy
    expect(() => route({ onBusy: "retry" })).toThrow(/onBusy must be "throw" or "wait"/);
    expect(() => route({ maxBodyBytes: 0 })).toThrow(/maxBodyBytes must be a positive integer/);
    expect(() => route({ maxLeads: 1.5 })).toThrow(/maxLeads/);
  });
});

describe("method and content type", () => {
  it.each(["PUT", "DELETE", "PATCH", "OPTIONS"])("%s → 405 with Allow", async (method) => {
    const r = await call(route(), { method });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("GET, POST");
    expect(r.body.error).toMatchObject({ code: "method_not_allowed", status: 405 });
  });

  it.each([
    ["text/plain", "{}"],
    ["application/x-www-form-urlencoded", "action=turn"],
    ["multipart/form-data; boundary=x", "--x--"],
    ["", "{}"],
  ])("POST with content-type %j → 415 (no simple-form CSRF), nothing sent", async (type, body) => {
    const before = server.emulator.ledger.requests.turn;
    const res = await call(route(), {
      method: "POST",
      body,
      headers: type ? { "content-type": type } : {},
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
    expect(server.emulator.ledger.requests.turn).toBe(before);
  });

  it("accepts application/json with a charset", async () => {
    const r = await post(
      route(),
      { action: "turn", sessionId, message: "Hello" },
      { "content-type": "application/json; charset=utf-8" },
    );
    expect(r.status).toBe(200);
  });
});

describe("size and validation (nothing reaches authorize or Puffle)", () => {
  const authorize = vi.fn(allowAll);
  const strict = () =>
    route({ authorize, maxBodyBytes: 2_000, maxMessageLength: 100, maxLeads: 2 });

  it("413 for a declared or streamed body over the limit", async () => {
    const big = JSON.stringify({ action: "turn", sessionId, message: "x".repeat(5_000) });
    expect((await post(strict(), big)).status).toBe(413);
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode("x".repeat(500)));
        c.close();
      },
    });
    const r = await call(strict(), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(r.status).toBe(413);
    expect(r.body.error.message).toMatch(/larger than 2000 bytes/);
  });

  it.each([
    ["not JSON", "{oops", /not valid JSON/],
    ["an array", "[1]", /must be a JSON object/],
    ["no action", { sessionId }, /action must be "turn" or "examples"/],
    ["an unknown action", { action: "delete", sessionId }, /action must be/],
    [
      "an unknown key",
      { action: "turn", sessionId, message: "hi", apiKey: "x" },
      /apiKey is not a known key/,
    ],
    [
      "a bad session id",
      { action: "turn", sessionId: "nope", message: "hi" },
      /sessionId must be a UUID/,
    ],
    ["no session id", { action: "turn", message: "hi" }, /sessionId is required/],
    [
      "an empty message",
      { action: "turn", sessionId, message: "  " },
      /message must be a non-empty string/,
    ],
    [
      "a long message",
      { action: "turn", sessionId, message: "x".repeat(101) },
      /101 characters long; the limit is 100/,
    ],
    [
      "too many leads",
      { action: "examples", sessionId, leads: [{}, {}, {}] },
      /3 leads; the limit is 2/,
    ],
    [
      "a lead that is not an object",
      { action: "examples", sessionId, leads: ["Ada"] },
      /leads\[0\] must be an object/,
    ],
    [
      "isFirstBatch not boolean",
      { action: "examples", sessionId, isFirstBatch: "yes" },
      /isFirstBatch must be true or false/,
    ],
  ])("400 for %s", async (_what, body, message) => {
    authorize.mockClear();
    const before = server.emulator.ledger.dispatches.length;
    const r = await post(strict(), body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
    expect(r.body.error.message).toMatch(message);
    expect(Array.isArray(r.body.error.issues)).toBe(true);
    expect(authorize).not.toHaveBeenCalled();
    expect(server.emulator.ledger.dispatches.length).toBe(before);
  });

  it("lists every issue at once", async () => {
    const r = await post(strict(), { action: "turn", sessionId: "x", message: "", extra: 1 });
    expect(r.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "extra",
      "message",
      "sessionId",
    ]);
  });

  it("GET: 400 without a session id or with an unknown parameter", async () => {
    expect((await call(strict(), { query: "" })).body.error.message).toMatch(
      /sessionId is required/,
    );
    const r = await call(strict(), { query: `?sessionId=${sessionId}&debug=1` });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/debug is not a known query parameter/);
  });

  it("an examples request without leads and without a leads option → 400", async () => {
    const r = await post(route(), { action: "examples", sessionId });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/leads is required/);
  });
});

describe("authorization", () => {
  it("asks authorize with the request, session and action, for every kind of request", async () => {
    const calls: AuthorizeContext[] = [];
    const handler = route({
      authorize: (request, context) => {
        expect(request).toBeInstanceOf(Request);
        calls.push(context);
        return true;
      },
    });
    await call(handler, { query: `?sessionId=${sessionId}` });
    await post(handler, { action: "turn", sessionId, message: "Hello" });
    await server.emulator.finishTasks();
    await post(handler, { action: "examples", sessionId, leads: [{ first_name: "Ada" }] });
    expect(calls).toEqual([
      { sessionId, action: "read" },
      { sessionId, action: "turn" },
      { sessionId, action: "examples" },
    ]);
  });

  it.each([
    ["false", false, 403, "forbidden"],
    ["{ status: 401 }", { status: 401 as const }, 401, "unauthorized"],
    [
      "{ status: 403, message }",
      { status: 403 as const, message: "Not your campaign." },
      403,
      "forbidden",
    ],
  ])(
    "authorize → %s refuses reads and dispatches; nothing is sent to Puffle",
    async (_l, decision, status, code) => {
      const handler = route({ authorize: async () => decision });
      const { get, turn, generateExamples } = server.emulator.ledger.requests;
      const read = await call(handler, { query: `?sessionId=${sessionId}` });
      const sent = await post(handler, { action: "turn", sessionId, message: "Hello" });
      const ex = await post(handler, { action: "examples", sessionId, leads: [{}] });
      for (const r of [read, sent, ex]) {
        expect(r.status).toBe(status);
        expect(r.body.error.code).toBe(code);
      }
      if (typeof decision === "object" && "message" in decision)
        expect(sent.body.error.message).toBe(decision.message);
      expect(server.emulator.ledger.requests.get).toBe(get);
      expect(server.emulator.ledger.requests.turn).toBe(turn);
      expect(server.emulator.ledger.requests.generateExamples).toBe(generateExamples);
    },
  );

  it("anything but true refuses (a truthy non-boolean is not a yes)", async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a careless app returning a user object
    const handler = route({ authorize: (() => ({ id: "user" })) as any });
    expect((await post(handler, { action: "turn", sessionId, message: "Hi" })).status).toBe(403);
  });

  it("a throwing authorize → 500 without its message; onError is told", async () => {
    const errors: unknown[] = [];
    const handler = route({
      authorize: () => {
        throw new Error("db password is hunter2");
      },
      onError: (e) => errors.push(e),
    });
    const r = await post(handler, { action: "turn", sessionId, message: "Hi" });
    expect(r.status).toBe(500);
    expect(r.body.error.code).toBe("internal_error");
    expect(JSON.stringify(r.body)).not.toContain("hunter2");
    expect(errors).toHaveLength(1);
  });
});

describe("dispatch and read", () => {
  it("a turn → 200 with the run handle and triggerBaseURL; exactly one dispatch", async () => {
    const before = server.emulator.ledger.turns(sessionId);
    const r = await post(route(), { action: "turn", sessionId, message: "Intro email for VPs" });
    expect(r.status).toBe(200);
    expect(r.body.run).toEqual({
      runId: expect.stringMatching(/^run_/),
      publicAccessToken: expect.stringMatching(/^tr_pat_/),
      triggerBaseURL: server.url,
    });
    expect(server.emulator.ledger.turns(sessionId)).toBe(before + 1);
    expect(r.headers.get("cache-control")).toBe("no-store");
  });

  it("GET → the session and the lint report of its draft", async () => {
    const handler = route({ availableVarNames: ["first_name", "company"] });
    await post(handler, { action: "turn", sessionId, message: "Intro email for VPs of Sales" });
    await server.emulator.finishTasks();
    await post(handler, { action: "turn", sessionId, message: "Make it short" });
    await server.emulator.finishTasks();
    const r = await call(handler, { query: `?sessionId=${sessionId}` });
    expect(r.status).toBe(200);
    expect(r.body.session.id).toBe(sessionId);
    expect(r.body.session.messages.length).toBeGreaterThanOrEqual(4);
    expect(typeof r.body.session.draft_body).toBe("string");
    expect(r.body.lint).toMatchObject({ ok: expect.any(Boolean), issues: expect.any(Array) });
  });

  it("passes the exactly-once rule through: a lost answer the SDK reconciled → a reconciled run, one turn", async () => {
    server.emulator.faults.inject({ operation: "turn", kind: "dropAfter" });
    const before = server.emulator.ledger.turns(sessionId);
    const r = await post(route(), { action: "turn", sessionId, message: "Lost answer" });
    expect(r.status).toBe(200);
    expect(r.body.run).toEqual({
      runId: null,
      publicAccessToken: null,
      reconciled: true,
      triggerBaseURL: server.url,
    });
    expect(server.emulator.ledger.turns(sessionId)).toBe(before + 1);
  });

  it("a lost answer whose fate stays unknown → 502 dispatch_unknown, never a second send", async () => {
    const { campaignId } = server.emulator.demo;
    const fresh = await client.createSession({
      campaign_id: campaignId,
      node_id: server.emulator.addNode(campaignId, { type: "ai" }),
    });
    // Another caller's turn A keeps the session busy; B's answer is lost before it arrives.
    await client.runTurn(fresh.id, { message: "A" });
    server.emulator.faults.inject({ operation: "turn", kind: "dropBefore" });
    const r = await post(route({ reconcileTimeout: 200 }), {
      action: "turn",
      sessionId: fresh.id,
      message: "B",
    });
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe("dispatch_unknown");
    expect(r.body.error.message).toMatch(/unknown: reload the session before sending again/);
    const sent = server.emulator.ledger.dispatches.filter((d) => d.sessionId === fresh.id);
    expect(sent.map((d) => d.message)).toEqual(["A"]);
  });

  it("examples with the route's default leads", async () => {
    const leads = vi.fn(() => [{ first_name: "Ada", company: "Acme" }]);
    const r = await post(route({ leads }), { action: "examples", sessionId });
    expect(r.status).toBe(200);
    expect(leads).toHaveBeenCalledWith(sessionId);
    expect(server.emulator.ledger.dispatches.at(-1)?.operation).toBe("generateExamples");
  });
});

describe("SDK errors map to statuses without leaking", () => {
  it("busy → 409 session_busy with the task status; onBusy: wait dispatches after the task", async () => {
    const handler = route();
    expect((await post(handler, { action: "turn", sessionId, message: "One" })).status).toBe(200);
    const busy = await post(handler, { action: "turn", sessionId, message: "Two" });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({ code: "session_busy", taskStatus: "chat_processing" });
    const before = server.emulator.ledger.turns(sessionId);
    const waited = await post(route({ onBusy: "wait", busyTimeout: 20_000 }), {
      action: "turn",
      sessionId,
      message: "Three",
    });
    expect(waited.status).toBe(200);
    expect(server.emulator.ledger.turns(sessionId)).toBe(before + 1);
  });

  it("unknown session → 404; examples without a skeleton → 409 skeleton_required", async () => {
    const missing = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
    expect((await call(route(), { query: `?sessionId=${missing}` })).body.error.code).toBe(
      "not_found",
    );
    const { campaignId } = server.emulator.demo;
    const nodeId = server.emulator.addNode(campaignId, { type: "ai" });
    const fresh = await client.createSession({ campaign_id: campaignId, node_id: nodeId });
    const r = await post(route(), {
      action: "examples",
      sessionId: fresh.id,
      leads: [{ first_name: "Ada" }],
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("skeleton_required");
  });

  it("429 from Puffle → 429 with Retry-After", async () => {
    server.emulator.faults.inject({ operation: "turn", kind: "rateLimit", retryAfterSeconds: 3 });
    const r = await post(route(), { action: "turn", sessionId, message: "Hi" });
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe("rate_limited");
    expect(r.headers.get("retry-after")).toBe("3");
  });

  it("429 asking for 1000000000 s → the browser is told a sane Retry-After (60 s at most)", async () => {
    server.emulator.faults.inject({
      operation: "turn",
      kind: "rateLimit",
      retryAfterSeconds: 1_000_000_000,
    });
    const r = await post(route(), { action: "turn", sessionId, message: "Hi" });
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("60");
    expect(r.body.error.retryAfterMs).toBe(60_000);
  });

  it("Puffle down or refusing the key → 502 with a generic message; onError is told, redacted", async () => {
    const errors: string[] = [];
    server.emulator.faults.inject({ operation: "get", kind: "status", status: 503 });
    const down = await call(route({ onError: (e) => errors.push(String(e)) }), {
      query: `?sessionId=${sessionId}`,
    });
    expect(down.status).toBe(502);
    expect(down.body.error.code).toBe("upstream_error");
    const wrongKey = `pk_live_${"c".repeat(64)}`;
    const other = new PuffleClient({ apiKey: wrongKey, baseURL: server.url, maxRetries: 0 });
    const spy = vi.spyOn(console, "error").mockImplementation((...args) => {
      logged.push(args.map(String).join(" "));
    });
    const refused = await call(createChatRoute({ client: other, authorize: allowAll }), {
      query: `?sessionId=${sessionId}`,
    });
    expect(refused.status).toBe(502);
    expect(refused.body.error.message).toMatch(/credentials were refused/);
    expect(JSON.stringify(refused.body)).not.toContain(wrongKey.slice(24));
    expect(spy).toHaveBeenCalledTimes(1); // the default onError: one line
    expect(String(spy.mock.calls[0]?.[0])).toMatch(/^\[puffle-chat\/server\] read failed: /);
    expect(String(spy.mock.calls[0]?.[0])).not.toContain(wrongKey.slice(24));
    expect(errors).toHaveLength(1);
  });

  it("a connection refused → 502; a thrown non-SDK error → 500 internal_error", async () => {
    const dead = new PuffleClient({
      apiKey: server.apiKey,
      baseURL: "http://127.0.0.1:9",
      maxRetries: 0,
    });
    const r = await call(route({ client: dead }), { query: `?sessionId=${sessionId}` });
    expect(r.status).toBe(502);
    const spy = vi.spyOn(console, "error").mockImplementation((...args) => {
      logged.push(args.map(String).join(" "));
    });
    const buggy = createChatRoute({
      client,
      authorize: allowAll,
      availableVarNames: () => {
        throw new TypeError(`oops ${server.apiKey}`);
      },
    });
    const b = await post(buggy, { action: "turn", sessionId, message: "Hi" });
    expect(b.status).toBe(500);
    expect(b.body.error).toEqual({
      code: "internal_error",
      message: "The chat route failed: see the server's log.",
      status: 500,
    });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0]?.[0])).toMatch(
      /turn failed: TypeError: oops pk_live_\w{16}\[REDACTED\]/,
    );
  });

  it("the answer never carries a stack, the key, or the SDK's request details", async () => {
    server.emulator.faults.inject({ operation: "turn", kind: "html502" });
    const r = await post(route({ reconcileTimeout: 200 }), {
      action: "turn",
      sessionId,
      message: "Hi",
    });
    expect(r.status).toBeGreaterThanOrEqual(500);
    expect(Object.keys(r.body.error).sort()).toEqual(["code", "message", "status"]);
  });
});

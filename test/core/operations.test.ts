/**
 * Every operation's happy path over HTTP (msw): the request as the server sees it (method, path,
 * query, headers, body) and the typed result, against the documented example payloads.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type { GenerateContentResult, RunHandle, Session } from "../../src/index";
import { APIConnectionTimeoutError } from "../../src/index";
import type { WithRequestID, WithUnknownKeys } from "../../src/types/index";
import {
  API_KEY,
  BASE,
  CAMPAIGN_ID,
  DOCUMENTED_RUN,
  documentedSession,
  HttpResponse,
  http,
  json,
  makeClient,
  NODE_ID,
  SESSION_ID,
  SESSIONS,
  setupMswServer,
  withToken,
} from "./helpers";

const { server, requests } = setupMswServer();

function expectCommonHeaders(headers: Record<string, string>) {
  expect(headers.authorization).toBe(`Bearer ${API_KEY}`);
  expect(headers.accept).toBe("application/json");
  expect(headers["user-agent"]).toMatch(/^puffle-chat\/\d+\.\d+\.\d+/);
}

describe("createSession", () => {
  it("POSTs { campaign_id, node_id } and returns the documented empty session", async () => {
    server.use(http.post(SESSIONS, () => json({ session: documentedSession() }, { status: 201 })));
    const session = await makeClient().createSession({
      campaign_id: CAMPAIGN_ID,
      node_id: NODE_ID,
    });
    expectTypeOf(session).toEqualTypeOf<WithRequestID<Session>>();
    expect(session).toEqual(documentedSession());
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe("/api/campaigns/ai-chat-sessions");
    expect(req?.url.search).toBe("");
    expectCommonHeaders(req?.headers ?? {});
    expect(req?.headers["content-type"]).toMatch(/^application\/json/);
    expect(req?.body).toEqual({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID });
  });
});

describe("listSessions", () => {
  it("GETs with ?campaign_id= and returns the sessions, oldest first", async () => {
    const older = documentedSession({ title: "first" });
    const newer = documentedSession({
      id: "d2d2d2d2-2222-4222-8222-222222222222",
      title: "second",
    });
    server.use(http.get(SESSIONS, () => json({ sessions: [older, newer] })));
    const sessions = await makeClient().listSessions(CAMPAIGN_ID);
    expectTypeOf(sessions).toEqualTypeOf<Session[]>();
    expect(sessions).toEqual([older, newer]);
    const [req] = requests;
    expect(req?.method).toBe("GET");
    expect(req?.path).toBe("/api/campaigns/ai-chat-sessions");
    expect([...(req?.url.searchParams.entries() ?? [])]).toEqual([["campaign_id", CAMPAIGN_ID]]);
    expectCommonHeaders(req?.headers ?? {});
    expect(req?.body).toBeUndefined();
  });

  it("returns an empty list as []", async () => {
    server.use(http.get(SESSIONS, () => json({ sessions: [] })));
    await expect(makeClient().listSessions(CAMPAIGN_ID)).resolves.toEqual([]);
  });
});

describe("getSession", () => {
  it("GETs /{id} and returns the session", async () => {
    server.use(http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })));
    const session = await makeClient().getSession(SESSION_ID);
    expect(session).toEqual(documentedSession());
    const [req] = requests;
    expect(req?.method).toBe("GET");
    expect(req?.path).toBe(`/api/campaigns/ai-chat-sessions/${SESSION_ID}`);
    expect(req?.url.search).toBe("");
    expectCommonHeaders(req?.headers ?? {});
  });

  it("keeps unknown response keys (top level, nested, envelope) and an unknown task_status", async () => {
    const rich = documentedSession({
      task_status: "translating",
      brand_new_field: { nested: [1, 2] },
      messages: [
        { role: "user", content: "hi" },
        { role: "tool", content: "x", tool_call_id: "t1" },
      ],
      skeleton: { hook: "h", value_prop: "v", blocks: [{ name: "b", extra: true }] },
      generated_examples: [{ subject: "s", body: "b", score: 0.9 }],
    });
    server.use(http.get(`${SESSIONS}/:id`, () => json({ session: rich, envelope_extra: "kept?" })));
    const session = await makeClient().getSession(SESSION_ID);
    expect(session).toEqual(rich);
    expect(session.task_status).toBe("translating");
    expect((session as WithUnknownKeys<Session>).brand_new_field).toEqual({ nested: [1, 2] });
  });

  it("exposes x-request-id as a non-enumerable _request_id", async () => {
    server.use(
      http.get(`${SESSIONS}/:id`, () =>
        json({ session: documentedSession() }, { headers: { "x-request-id": "req_123" } }),
      ),
    );
    const session = await makeClient().getSession(SESSION_ID);
    expect(session._request_id).toBe("req_123");
    expect(Object.keys(session)).not.toContain("_request_id");
    expect(JSON.stringify(session)).not.toContain("req_123");
    expect({ ...session }).toEqual(documentedSession());
  });

  it("has no _request_id when the server sends none", async () => {
    server.use(http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })));
    const session = await makeClient().getSession(SESSION_ID);
    expect("_request_id" in session).toBe(false);
  });
});

describe("updateSession", () => {
  it("PATCHes only the given keys and returns the updated session", async () => {
    const updated = documentedSession({ title: "Intro", task_status: null });
    server.use(http.patch(`${SESSIONS}/:id`, () => json({ session: updated })));
    const session = await makeClient().updateSession(SESSION_ID, {
      title: "Intro",
      task_status: null,
    });
    expect(session).toEqual(updated);
    const [req] = requests;
    expect(req?.method).toBe("PATCH");
    expect(req?.path).toBe(`/api/campaigns/ai-chat-sessions/${SESSION_ID}`);
    expectCommonHeaders(req?.headers ?? {});
    expect(req?.headers["content-type"]).toMatch(/^application\/json/);
    expect(req?.body).toEqual({ title: "Intro", task_status: null });
  });
});

describe("deleteSession", () => {
  it("DELETEs /{id} and resolves with undefined", async () => {
    server.use(http.delete(`${SESSIONS}/:id`, () => json({ success: true })));
    const result = await makeClient().deleteSession(SESSION_ID);
    expectTypeOf(result).toEqualTypeOf<void>();
    expect(result).toBeUndefined();
    const [req] = requests;
    expect(req?.method).toBe("DELETE");
    expect(req?.path).toBe(`/api/campaigns/ai-chat-sessions/${SESSION_ID}`);
    expectCommonHeaders(req?.headers ?? {});
    expect(requests).toHaveLength(1);
  });
});

describe("deleteSession with an empty 2xx", () => {
  it("a 204 No Content is success too (any 2xx is)", async () => {
    server.use(http.delete(`${SESSIONS}/:id`, () => new HttpResponse(null, { status: 204 })));
    await expect(makeClient().deleteSession(SESSION_ID)).resolves.toBeUndefined();
    expect(requests).toHaveLength(1);
  });
});

describe("runTurn", () => {
  it("POSTs the turn with its hints and returns the documented RunHandle", async () => {
    server.use(
      http.post(`${SESSIONS}/:id/turn`, () =>
        json(DOCUMENTED_RUN, { headers: { "x-request-id": "req_turn" } }),
      ),
    );
    const turn = {
      message: "Write an intro email for enterprise VPs of Sales",
      availableVarNames: ["first_name", "company"],
      sampleLeads: [{ first_name: "Ada", company: "Acme", custom_fields: { tier: "gold" } }],
      sequenceContext: { position: 0, total_nodes: 3, prior_nodes: [] },
    };
    const run = await makeClient().runTurn(SESSION_ID, turn);
    expectTypeOf(run).toEqualTypeOf<WithRequestID<RunHandle>>();
    expect(withToken(run)).toEqual({ ...DOCUMENTED_RUN, reconciled: false });
    expect(run._request_id).toBe("req_turn");
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe(`/api/campaigns/ai-chat-sessions/${SESSION_ID}/turn`);
    expectCommonHeaders(req?.headers ?? {});
    expect(req?.body).toEqual(turn);
  });

  it("keeps unknown keys of the RunHandle", async () => {
    server.use(
      http.post(`${SESSIONS}/:id/turn`, () => json({ ...DOCUMENTED_RUN, queue: "default" })),
    );
    const run = await makeClient().runTurn(SESSION_ID, { message: "hi" });
    expect(withToken(run)).toEqual({ ...DOCUMENTED_RUN, queue: "default", reconciled: false });
  });
});

describe("generateExamples", () => {
  const leads = [{ first_name: "Ada", company: "Acme" }, { full_name: "Grace Hopper" }];

  it("sends isFirstBatch: true explicitly by default", async () => {
    server.use(http.post(`${SESSIONS}/:id/generate-examples`, () => json(DOCUMENTED_RUN)));
    const run = await makeClient().generateExamples(SESSION_ID, { leads });
    expect(withToken(run)).toEqual({ ...DOCUMENTED_RUN, reconciled: false });
    const [req] = requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe(`/api/campaigns/ai-chat-sessions/${SESSION_ID}/generate-examples`);
    expectCommonHeaders(req?.headers ?? {});
    expect(req?.body).toEqual({ leads, isFirstBatch: true });
  });

  it("sends isFirstBatch: false and the sequence context when given", async () => {
    server.use(http.post(`${SESSIONS}/:id/generate-examples`, () => json(DOCUMENTED_RUN)));
    const sequenceContext = { position: 1, total_nodes: 2, prior_nodes: [{ subject: "x" }] };
    await makeClient().generateExamples(SESSION_ID, {
      leads,
      isFirstBatch: false,
      sequenceContext,
    });
    expect(requests[0]?.body).toEqual({ leads, isFirstBatch: false, sequenceContext });
  });
});

describe("generateContent", () => {
  const result = {
    session_id: SESSION_ID,
    assistant_message: "Who is the audience?",
    skeleton: { subject: "Quick question, %first_name%", body: "Hi %first_name%, &&hook&&" },
    skeleton_updated: true,
  };
  const path = `${BASE}/api/campaigns/:campaignId/generate-content`;

  it("POSTs the snake_case body to /api/campaigns/{id}/generate-content", async () => {
    server.use(http.post(path, () => json({ ...result, cost_cents: 2 })));
    const params = {
      node_id: NODE_ID,
      message: "Shorter, please",
      sample_leads: [{ first_name: "Ada", email: "ada@example.com" }],
      sequence_context: { position: 0, total_nodes: 1 },
    };
    const out = await makeClient().generateContent(CAMPAIGN_ID, params);
    expectTypeOf(out).toEqualTypeOf<WithRequestID<GenerateContentResult>>();
    expect(out).toEqual({ ...result, cost_cents: 2 });
    const [req] = requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe(`/api/campaigns/${CAMPAIGN_ID}/generate-content`);
    expectCommonHeaders(req?.headers ?? {});
    expect(req?.body).toEqual(params);
  });

  it("accepts a null skeleton", async () => {
    server.use(http.post(path, () => json({ ...result, skeleton: null, skeleton_updated: false })));
    const out = await makeClient().generateContent(CAMPAIGN_ID, { node_id: NODE_ID, message: "x" });
    expect(out.skeleton).toBeNull();
  });

  it("uses its own long timeout, not the client's ordinary one", async () => {
    // The server takes longer than the client's ordinary timeout: an ordinary call times out,
    // generateContent (default 10 minutes) waits for the answer.
    const slow = async () => {
      await new Promise((r) => setTimeout(r, 300));
    };
    server.use(
      http.post(path, async () => {
        await slow();
        return json(result);
      }),
      http.get(`${SESSIONS}/:id`, async () => {
        await slow();
        return json({ session: documentedSession() });
      }),
    );
    const client = makeClient({ timeout: 100, maxRetries: 0 });
    const ordinary = await client.getSession(SESSION_ID).catch((e: unknown) => e);
    expect(ordinary instanceof APIConnectionTimeoutError).toBe(true);
    await expect(
      client.generateContent(CAMPAIGN_ID, { node_id: NODE_ID, message: "x" }),
    ).resolves.toEqual(result);
  });

  it("honours generateContentTimeout, and is not retried after a timeout", async () => {
    server.use(
      http.post(path, async () => {
        await new Promise((r) => setTimeout(r, 300));
        return json(result);
      }),
    );
    const client = makeClient({ generateContentTimeout: 100 });
    const error = await client
      .generateContent(CAMPAIGN_ID, { node_id: NODE_ID, message: "x" })
      .catch((e: unknown) => e);
    expect(error instanceof APIConnectionTimeoutError).toBe(true);
    expect(requests).toHaveLength(1);
  });
});

describe("getOrCreateSession", () => {
  const mine = (overrides: Record<string, unknown> = {}) =>
    documentedSession({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID, ...overrides });
  const otherNode = documentedSession({
    id: "e3e3e3e3-3333-4333-8333-333333333333",
    campaign_id: CAMPAIGN_ID,
    node_id: "0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a",
  });

  it("lists first and returns the existing session without creating", async () => {
    server.use(http.get(SESSIONS, () => json({ sessions: [otherNode, mine()] })));
    const session = await makeClient().getOrCreateSession({
      campaign_id: CAMPAIGN_ID,
      node_id: NODE_ID,
    });
    expect(session).toEqual(mine());
    expect(requests.map((r) => r.method)).toEqual(["GET"]);
    expect(requests[0]?.url.searchParams.get("campaign_id")).toBe(CAMPAIGN_ID);
  });

  it("matches the node id case-insensitively", async () => {
    server.use(
      http.get(SESSIONS, () => json({ sessions: [mine({ node_id: NODE_ID.toUpperCase() })] })),
    );
    const session = await makeClient().getOrCreateSession({
      campaign_id: CAMPAIGN_ID,
      node_id: NODE_ID,
    });
    expect(session.node_id).toBe(NODE_ID.toUpperCase());
    expect(requests).toHaveLength(1);
  });

  it("creates when none exists for the node", async () => {
    const store: Record<string, unknown>[] = [otherNode];
    server.use(
      http.get(SESSIONS, () => json({ sessions: store })),
      http.post(SESSIONS, () => {
        const created = mine({ id: "f4f4f4f4-4444-4444-8444-444444444444" });
        store.push(created);
        return json({ session: created }, { status: 201 });
      }),
    );
    const session = await makeClient().getOrCreateSession({
      campaign_id: CAMPAIGN_ID,
      node_id: NODE_ID,
    });
    expect(session.id).toBe("f4f4f4f4-4444-4444-8444-444444444444");
    expect(requests[0]?.method).toBe("GET");
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(requests.find((r) => r.method === "POST")?.body).toEqual({
      campaign_id: CAMPAIGN_ID,
      node_id: NODE_ID,
    });
  });

  it("tolerates a server that refuses a duplicate create with 409: returns the raced session", async () => {
    const raced = mine({ id: "a5a5a5a5-5555-4555-8555-555555555555" });
    let lists = 0;
    server.use(
      http.get(SESSIONS, () => {
        lists++;
        // Someone else creates it between our list and our create.
        return json({ sessions: lists === 1 ? [] : [raced] });
      }),
      http.post(SESSIONS, () =>
        json({ error: "A session already exists for this node" }, { status: 409 }),
      ),
    );
    const session = await makeClient().getOrCreateSession({
      campaign_id: CAMPAIGN_ID,
      node_id: NODE_ID,
    });
    expect(session).toEqual(raced);
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(requests[0]?.method).toBe("GET");
  });

  it("tolerates a server that allows duplicates: returns the oldest", async () => {
    const oldest = mine({
      id: "b6b6b6b6-6666-4666-8666-666666666666",
      created_at: "2026-04-22T09:00:00Z",
    });
    const ours = mine({
      id: "c7c7c7c7-7777-4777-8777-777777777777",
      created_at: "2026-04-22T09:00:01Z",
    });
    let lists = 0;
    server.use(
      http.get(SESSIONS, () => {
        lists++;
        // A concurrent caller created `oldest` between our list and our create.
        return json({ sessions: lists === 1 ? [] : [oldest, ours] });
      }),
      http.post(SESSIONS, () => json({ session: ours }, { status: 201 })),
    );
    const session = await makeClient().getOrCreateSession({
      campaign_id: CAMPAIGN_ID,
      node_id: NODE_ID,
    });
    expect(session.id).toBe(oldest.id);
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("a 409 with no session to be found afterwards is rethrown", async () => {
    server.use(
      http.get(SESSIONS, () => json({ sessions: [] })),
      http.post(SESSIONS, () => json({ error: "conflict" }, { status: 409 })),
    );
    const error = await makeClient()
      .getOrCreateSession({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID })
      .catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(409);
  });

  it("a 404 on create (campaign not yours) is thrown, not swallowed", async () => {
    server.use(
      http.get(SESSIONS, () => json({ sessions: [] })),
      http.post(SESSIONS, () => json({ error: "Campaign not found" }, { status: 404 })),
    );
    const error = await makeClient()
      .getOrCreateSession({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID })
      .catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(404);
    expect(requests.map((r) => r.method)).toEqual(["GET", "POST"]);
  });
});

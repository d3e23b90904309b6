/**
 * The retry policy per method and status, Retry-After (seconds, HTTP date, cap), and abort
 * (before sending, during a retry sleep, during a request).
 */
import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  type APIError,
  APIUserAbortError,
  DispatchUnknownError,
  isAPIError,
  type PuffleClient,
} from "../../src/index";
import {
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

type Method = "get" | "post" | "patch" | "delete";

interface Operation {
  name: string;
  method: Method;
  url: string;
  run: (client: PuffleClient) => Promise<unknown>;
  ok: () => Response;
}

const OPERATIONS: Record<string, Operation> = {
  getSession: {
    name: "GET getSession",
    method: "get",
    url: `${SESSIONS}/:id`,
    run: (c) => c.getSession(SESSION_ID),
    ok: () => json({ session: documentedSession() }),
  },
  listSessions: {
    name: "GET listSessions",
    method: "get",
    url: SESSIONS,
    run: (c) => c.listSessions(CAMPAIGN_ID),
    ok: () => json({ sessions: [] }),
  },
  updateSession: {
    name: "PATCH updateSession",
    method: "patch",
    url: `${SESSIONS}/:id`,
    run: (c) => c.updateSession(SESSION_ID, { title: "t" }),
    ok: () => json({ session: documentedSession() }),
  },
  deleteSession: {
    name: "DELETE deleteSession",
    method: "delete",
    url: `${SESSIONS}/:id`,
    run: (c) => c.deleteSession(SESSION_ID),
    ok: () => json({ success: true }),
  },
  createSession: {
    name: "POST createSession",
    method: "post",
    url: SESSIONS,
    run: (c) => c.createSession({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID }),
    ok: () => json({ session: documentedSession() }, { status: 201 }),
  },
  generateContent: {
    name: "POST generateContent",
    method: "post",
    url: `${BASE}/api/campaigns/:id/generate-content`,
    run: (c) => c.generateContent(CAMPAIGN_ID, { node_id: NODE_ID, message: "x" }),
    ok: () =>
      json({
        session_id: SESSION_ID,
        assistant_message: "a",
        skeleton: null,
        skeleton_updated: false,
      }),
  },
  runTurn: {
    name: "POST runTurn",
    method: "post",
    url: `${SESSIONS}/:id/turn`,
    run: (c) => c.runTurn(SESSION_ID, { message: "hi" }),
    ok: () => json(DOCUMENTED_RUN),
  },
  generateExamples: {
    name: "POST generateExamples",
    method: "post",
    url: `${SESSIONS}/:id/generate-examples`,
    run: (c) => c.generateExamples(SESSION_ID, { leads: [{ first_name: "Ada" }] }),
    ok: () => json(DOCUMENTED_RUN),
  },
};

/** Answer every request with `status` (0 = network error); count them. */
function failWith(op: Operation, status: number) {
  server.use(
    http[op.method](op.url, () =>
      status === 0
        ? HttpResponse.error()
        : json({ error: `failure ${status}` }, { status, headers: { "retry-after": "0" } }),
    ),
  );
}

const RETRIED = "retried";
const ONCE = "once";
// [operation, status, expectation]; 0 = a network error (no answer).
const TABLE: Array<[keyof typeof OPERATIONS, number[], typeof RETRIED | typeof ONCE]> = [
  ["getSession", [408, 429, 500, 502, 503, 504, 0], RETRIED],
  ["getSession", [400, 401, 402, 403, 404, 409, 422], ONCE],
  ["listSessions", [429, 500, 503, 0], RETRIED],
  ["listSessions", [400, 401, 404], ONCE],
  ["updateSession", [408, 429, 500, 502, 503, 504, 0], RETRIED],
  ["updateSession", [400, 401, 402, 403, 404, 409, 422], ONCE],
  ["deleteSession", [408, 429, 500, 502, 503, 504, 0], RETRIED],
  ["deleteSession", [400, 401, 402, 403, 404, 409, 422], ONCE],
  ["createSession", [429], RETRIED],
  ["createSession", [400, 401, 402, 403, 404, 408, 409, 422, 500, 502, 503, 504, 0], ONCE],
  ["generateContent", [429], RETRIED],
  ["generateContent", [400, 404, 409, 500, 502, 503, 504, 0], ONCE],
  ["runTurn", [429, 500], RETRIED],
  ["runTurn", [400, 401, 402, 403, 404, 409, 422], ONCE],
  ["generateExamples", [429, 500], RETRIED],
  ["generateExamples", [400, 401, 402, 403, 404, 409, 422], ONCE],
];

describe("a dispatch answered by a gateway error (502, 503, 504): fate unknown, so reconciled by reading", () => {
  const unknownFast = { reconcileTimeout: 50, busyTimeout: 50 };
  for (const status of [502, 503, 504]) {
    it(`runTurn on ${status}, the session shows the turn's message: one POST, a reconciled handle`, async () => {
      failWith(OPERATIONS.runTurn as Operation, status);
      server.use(
        http.get(`${SESSIONS}/:id`, () =>
          json({
            session: documentedSession({
              task_status: "chat_processing",
              messages: [{ role: "user", content: "hi" }],
            }),
          }),
        ),
      );
      const run = await makeClient({ maxRetries: 2 }).runTurn(SESSION_ID, { message: "hi" });
      expect(run).toEqual({ runId: null, publicAccessToken: null, reconciled: true });
      expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
      expect(requests.filter((r) => r.method === "GET")).toHaveLength(1);
    });
    it(`generateExamples on ${status}, idle just before and claimed after: one POST, a reconciled handle`, async () => {
      failWith(OPERATIONS.generateExamples as Operation, status);
      let claimed = false;
      server.use(
        http.get(`${SESSIONS}/:id`, () =>
          json({
            session: documentedSession({ task_status: claimed ? "generating_examples" : null }),
          }),
        ),
      );
      const client = makeClient({ maxRetries: 2 });
      await client.getSession(SESSION_ID);
      claimed = true;
      const run = await client.generateExamples(SESSION_ID, { leads: [{ first_name: "A" }] });
      expect(run).toEqual({ runId: null, publicAccessToken: null, reconciled: true });
      expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
    });
    for (const key of ["runTurn", "generateExamples"] as const) {
      it(`${key} on ${status}, the session never shows it: DispatchUnknownError after ONE POST (at most once)`, async () => {
        failWith(OPERATIONS[key] as Operation, status);
        server.use(http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })));
        const client = makeClient({ maxRetries: 2 });
        const error = await (key === "runTurn"
          ? client.runTurn(SESSION_ID, { message: "hi" }, unknownFast)
          : client.generateExamples(SESSION_ID, { leads: [{ first_name: "A" }] }, unknownFast)
        ).catch((e: unknown) => e);
        expect(error instanceof DispatchUnknownError).toBe(true);
        expect((error as DispatchUnknownError).dispatch).toBe("unknown");
        expect((error as DispatchUnknownError).session?.task_status).toBeNull();
        expect(((error as DispatchUnknownError).cause as APIError).status).toBe(status);
        expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
      });
      it(`${key} on ${status} with onUnknown: "resend": sent again up to 1 + maxRetries times`, async () => {
        failWith(OPERATIONS[key] as Operation, status);
        server.use(http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })));
        const client = makeClient({ maxRetries: 2 });
        const options = { ...unknownFast, onUnknown: "resend" as const };
        const error = await (key === "runTurn"
          ? client.runTurn(SESSION_ID, { message: "hi" }, options)
          : client.generateExamples(SESSION_ID, { leads: [{ first_name: "A" }] }, options)
        ).catch((e: unknown) => e);
        expect(error instanceof DispatchUnknownError).toBe(true);
        expect(requests.filter((r) => r.method === "POST")).toHaveLength(3);
      });
    }
  }
});

describe("retry counts per method and status (maxRetries: 2)", () => {
  for (const [key, statuses, expectation] of TABLE) {
    const op = OPERATIONS[key] as Operation;
    for (const status of statuses) {
      const label = status === 0 ? "a network error" : String(status);
      it(`${op.name} on ${label}: ${expectation === RETRIED ? "3 attempts" : "1 attempt"}`, async () => {
        failWith(op, status);
        // A dispatch 500 is sent again by the dispatch rule (each send its own call, retries 0),
        // only after a session read shows the claim released: idle, without the turn.
        const dispatch500 = status === 500 && (key === "runTurn" || key === "generateExamples");
        if (dispatch500)
          server.use(http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })));
        const error = await op.run(makeClient({ maxRetries: 2 })).catch((e: unknown) => e);
        if (status === 0) {
          expect(error instanceof APIConnectionError).toBe(true);
        } else {
          expect(isAPIError(error)).toBe(true);
          expect((error as APIError).status).toBe(status);
          expect((error as APIError).retries).toBe(expectation === RETRIED && !dispatch500 ? 2 : 0);
        }
        if (dispatch500) expect((error as APIError).dispatch).toBe("not_sent");
        expect(requests.filter((r) => r.method === op.method.toUpperCase())).toHaveLength(
          expectation === RETRIED ? 3 : 1,
        );
      });
    }
  }

  it("maxRetries bounds the attempts (client option and per call)", async () => {
    const op = OPERATIONS.getSession as Operation;
    failWith(op, 503);
    await op.run(makeClient({ maxRetries: 4 })).catch(() => {});
    expect(requests).toHaveLength(5);
    requests.length = 0;
    await makeClient({ maxRetries: 4 })
      .getSession(SESSION_ID, { maxRetries: 0 })
      .catch(() => {});
    expect(requests).toHaveLength(1);
    requests.length = 0;
    await makeClient({ maxRetries: 0 })
      .getSession(SESSION_ID, { maxRetries: 1 })
      .catch(() => {});
    expect(requests).toHaveLength(2);
  });

  it("a retried GET resolves with the answer that finally came", async () => {
    let n = 0;
    server.use(
      http.get(`${SESSIONS}/:id`, () => {
        n++;
        if (n === 1) return HttpResponse.error();
        if (n === 2) return json({ error: "busy" }, { status: 503 });
        return json({ session: documentedSession({ title: "third time" }) });
      }),
    );
    const session = await makeClient().getSession(SESSION_ID);
    expect(session.title).toBe("third time");
    expect(requests).toHaveLength(3);
  });

  it("a /turn 500 is sent again (resolving with the handle) only after a read shows the claim released", async () => {
    let n = 0;
    server.use(
      http.post(`${SESSIONS}/:id/turn`, () => {
        n++;
        return n === 1 ? json({ error: "dispatch failed" }, { status: 500 }) : json(DOCUMENTED_RUN);
      }),
      http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })),
    );
    const run = await makeClient().runTurn(SESSION_ID, { message: "hi" });
    expect(withToken(run)).toEqual({ ...DOCUMENTED_RUN, reconciled: false });
    expect(requests.map((r) => r.method)).toEqual(["POST", "GET", "POST"]);
  });

  it("a /turn 500 whose read shows the session busy is reconciled like a lost answer: one POST", async () => {
    let reads = 0;
    server.use(
      http.post(`${SESSIONS}/:id/turn`, () => json({ error: "dispatch failed" }, { status: 500 })),
      http.get(`${SESSIONS}/:id`, () => {
        reads++;
        const written = reads > 1 ? [{ role: "user", content: "hi" }] : null;
        return json({
          session: documentedSession({ task_status: "chat_processing", messages: written }),
        });
      }),
    );
    await expect(makeClient().runTurn(SESSION_ID, { message: "hi" })).resolves.toEqual({
      runId: null,
      publicAccessToken: null,
      reconciled: true,
    });
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("a DELETE whose first answer was lost and whose retry finds nothing counts as done", async () => {
    let n = 0;
    server.use(
      http.delete(`${SESSIONS}/:id`, () => {
        n++;
        return n === 1 ? HttpResponse.error() : json({ error: "Not found" }, { status: 404 });
      }),
    );
    await expect(makeClient().deleteSession(SESSION_ID)).resolves.toBeUndefined();
    expect(requests).toHaveLength(2);
  });

  it("a DELETE that finds nothing at once is a NotFoundError", async () => {
    server.use(http.delete(`${SESSIONS}/:id`, () => json({ error: "Not found" }, { status: 404 })));
    const error = await makeClient()
      .deleteSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect((error as APIError).status).toBe(404);
  });
});

describe("per-attempt timeouts", () => {
  const slow = async () => {
    await new Promise((r) => setTimeout(r, 300));
  };

  it("a GET that times out is retried up to maxRetries, then APIConnectionTimeoutError", async () => {
    server.use(
      http.get(`${SESSIONS}/:id`, async () => {
        await slow();
        return json({ session: documentedSession() });
      }),
    );
    const error = await makeClient({ timeout: 50, maxRetries: 2 })
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect(error instanceof APIConnectionTimeoutError).toBe(true);
    expect((error as { timeoutMs?: number }).timeoutMs).toBe(50);
    expect(requests).toHaveLength(3);
  });

  it("a POST createSession that times out is not retried (its fate is unknown)", async () => {
    server.use(
      http.post(SESSIONS, async () => {
        await slow();
        return json({ session: documentedSession() }, { status: 201 });
      }),
    );
    const error = await makeClient({ timeout: 50, maxRetries: 2 })
      .createSession({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID })
      .catch((e: unknown) => e);
    expect(error instanceof APIConnectionTimeoutError).toBe(true);
    expect(requests).toHaveLength(1);
  });
});

describe("Retry-After", () => {
  it("seconds: the retry does not come before the delay", async () => {
    server.use(
      http.get(`${SESSIONS}/:id`, () =>
        requests.length === 1
          ? json({ error: "slow down" }, { status: 429, headers: { "retry-after": "1" } })
          : json({ session: documentedSession() }),
      ),
    );
    await makeClient().getSession(SESSION_ID);
    expect(requests).toHaveLength(2);
    const [first, second] = requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it("HTTP date: the retry does not come before that date", async () => {
    let retryAt = 0;
    server.use(
      http.get(`${SESSIONS}/:id`, () => {
        if (requests.length === 1) {
          // The next whole second at least 1 s away (HTTP dates have 1 s resolution).
          retryAt = Math.ceil((Date.now() + 1_000) / 1000) * 1000;
          return json(
            { error: "unavailable" },
            { status: 503, headers: { "retry-after": new Date(retryAt).toUTCString() } },
          );
        }
        return json({ session: documentedSession() });
      }),
    );
    await makeClient().getSession(SESSION_ID);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.at ?? 0).toBeGreaterThanOrEqual(retryAt);
  });

  it("on a POST 429 too (createSession)", async () => {
    server.use(
      http.post(SESSIONS, () =>
        requests.length === 1
          ? json({ error: "slow down" }, { status: 429, headers: { "retry-after": "1" } })
          : json({ session: documentedSession() }, { status: 201 }),
      ),
    );
    await makeClient().createSession({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID });
    expect(requests).toHaveLength(2);
    expect((requests[1]?.at ?? 0) - (requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it("is capped by maxRetryAfter (an hour-long Retry-After does not stall the call)", async () => {
    server.use(
      http.get(`${SESSIONS}/:id`, () =>
        requests.length === 1
          ? json({ error: "slow down" }, { status: 429, headers: { "retry-after": "3600" } })
          : json({ session: documentedSession({ title: "after cap" }) }),
      ),
    );
    const session = await makeClient({ maxRetryAfter: 50 }).getSession(SESSION_ID);
    expect(session.title).toBe("after cap");
    expect(requests).toHaveLength(2);
  });

  it("the last RateLimitError keeps the asked-for delay after the retries ran out", async () => {
    server.use(
      http.get(`${SESSIONS}/:id`, () =>
        json({ error: "slow down" }, { status: 429, headers: { "retry-after": "0" } }),
      ),
    );
    const error = await makeClient({ maxRetries: 1 })
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect((error as { retryAfterMs?: number }).retryAfterMs).toBe(0);
    expect((error as APIError).retries).toBe(1);
    expect(requests).toHaveLength(2);
  });
});

describe("abort", () => {
  it("an already-aborted signal sends nothing, for every operation", async () => {
    const controller = new AbortController();
    controller.abort(new Error("user left"));
    const signal = controller.signal;
    const c = makeClient();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["getSession", () => c.getSession(SESSION_ID, { signal })],
      ["listSessions", () => c.listSessions(CAMPAIGN_ID, { signal })],
      ["updateSession", () => c.updateSession(SESSION_ID, { title: "t" }, { signal })],
      ["deleteSession", () => c.deleteSession(SESSION_ID, { signal })],
      [
        "createSession",
        () => c.createSession({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID }, { signal }),
      ],
      [
        "generateContent",
        () => c.generateContent(CAMPAIGN_ID, { node_id: NODE_ID, message: "x" }, { signal }),
      ],
      ["runTurn", () => c.runTurn(SESSION_ID, { message: "hi" }, { signal })],
      [
        "generateExamples",
        () => c.generateExamples(SESSION_ID, { leads: [{ first_name: "A" }] }, { signal }),
      ],
      [
        "getOrCreateSession",
        () => c.getOrCreateSession({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID }, { signal }),
      ],
    ];
    for (const [name, call] of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error instanceof APIUserAbortError, name).toBe(true);
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(requests).toHaveLength(0);
  });

  it("aborting during a retry sleep (503, Retry-After: 30) rejects at once and sends nothing more", async () => {
    const controller = new AbortController();
    server.use(
      http.get(`${SESSIONS}/:id`, () => {
        setTimeout(() => controller.abort(), 30);
        return json({ error: "unavailable" }, { status: 503, headers: { "retry-after": "30" } });
      }),
    );
    const error = await makeClient()
      .getSession(SESSION_ID, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error instanceof APIUserAbortError).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(requests).toHaveLength(1);
  });

  it("aborting during a /turn 429 sleep rejects with APIUserAbortError, one POST, no reconciliation read", async () => {
    const controller = new AbortController();
    server.use(
      http.post(`${SESSIONS}/:id/turn`, () => {
        setTimeout(() => controller.abort(), 30);
        return json({ error: "slow" }, { status: 429, headers: { "retry-after": "30" } });
      }),
    );
    const error = await makeClient()
      .runTurn(SESSION_ID, { message: "hi" }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error instanceof APIUserAbortError).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(requests.map((r) => r.method)).toEqual(["POST"]);
  });

  it("aborting during a request in flight rejects with APIUserAbortError and does not retry", async () => {
    const controller = new AbortController();
    server.use(
      http.get(`${SESSIONS}/:id`, async () => {
        setTimeout(() => controller.abort(), 30);
        await new Promise((r) => setTimeout(r, 500));
        return json({ session: documentedSession() });
      }),
    );
    const error = await makeClient()
      .getSession(SESSION_ID, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error instanceof APIUserAbortError).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it("the abort reason is the error's cause", async () => {
    const controller = new AbortController();
    controller.abort(new Error("navigated away"));
    const error = await makeClient()
      .getSession(SESSION_ID, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(((error as Error).cause as Error).message).toBe("navigated away");
  });
});

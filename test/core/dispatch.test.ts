/**
 * Exactly-once dispatch of /turn and /generate-examples when the answer is lost (connection
 * dropped, per-attempt timeout): the SDK reads the session before deciding, and never sends a
 * turn the server already got.
 */
import { delay } from "msw";
import { describe, expect, it } from "vitest";
import { APIConnectionError, DispatchUnknownError, SessionBusyError } from "../../src/index";
import {
  DOCUMENTED_RUN,
  documentedSession,
  HttpResponse,
  http,
  json,
  makeClient,
  SESSION_ID,
  SESSIONS,
  setupMswServer,
  withToken,
} from "./helpers";

const { server, requests } = setupMswServer();

const TURN = `${SESSIONS}/:id/turn`;
const EXAMPLES = `${SESSIONS}/:id/generate-examples`;
const MESSAGE = "Write an intro email for VPs of Sales";

/** A tiny server-side session: what the handlers have done to it. */
function fakeSession() {
  const state = {
    task_status: null as string | null,
    messages: [] as Array<{ role: string; content: string }>,
    received: 0,
  };
  const get = http.get(`${SESSIONS}/:id`, () =>
    json({
      session: documentedSession({
        id: SESSION_ID,
        task_status: state.task_status,
        messages: state.messages.length ? state.messages : null,
      }),
    }),
  );
  return { state, get };
}

const posts = () => requests.filter((r) => r.method === "POST");
const gets = () => requests.filter((r) => r.method === "GET");

describe("a dropped /turn answer is reconciled", () => {
  it("(a) the server got the turn: resolves with a reconciled handle after exactly ONE POST", async () => {
    const { state, get } = fakeSession();
    server.use(
      get,
      http.post(TURN, () => {
        state.received++;
        state.task_status = "chat_processing";
        state.messages.push({ role: "user", content: MESSAGE });
        return HttpResponse.error(); // the answer is lost on the way back
      }),
    );
    const run = await makeClient().runTurn(SESSION_ID, { message: MESSAGE });
    expect(run).toEqual({ runId: null, publicAccessToken: null, reconciled: true });
    expect(state.received).toBe(1);
    expect(posts()).toHaveLength(1);
    expect(gets()).toHaveLength(1);
    expect(gets()[0]?.path).toBe(`/api/campaigns/ai-chat-sessions/${SESSION_ID}`);
  });

  it("(a') the turn already finished when the session is read: still reconciled, ONE POST", async () => {
    const { state, get } = fakeSession();
    server.use(
      get,
      http.post(TURN, () => {
        state.received++;
        state.messages.push(
          { role: "user", content: MESSAGE },
          { role: "assistant", content: "Q?" },
        );
        return HttpResponse.error();
      }),
    );
    const run = await makeClient().runTurn(SESSION_ID, { message: MESSAGE });
    expect(run).toEqual({ runId: null, publicAccessToken: null, reconciled: true });
    expect(posts()).toHaveLength(1);
  });

  it("(b) the server did not act: by default a DispatchUnknownError after ONE POST, carrying what was read", async () => {
    const { state, get } = fakeSession();
    server.use(
      get,
      http.post(TURN, () => HttpResponse.error()),
    );
    const error = await makeClient()
      .runTurn(SESSION_ID, { message: MESSAGE }, { reconcileTimeout: 100 })
      .catch((e: unknown) => e);
    expect(error instanceof DispatchUnknownError).toBe(true);
    const unknown = error as DispatchUnknownError;
    expect(unknown.dispatch).toBe("unknown");
    expect(unknown.sessionId).toBe(SESSION_ID);
    expect(unknown.session?.task_status).toBeNull();
    expect(unknown.cause instanceof APIConnectionError).toBe(true);
    expect(unknown.evidence).toMatch(/idle/);
    expect(state.received).toBe(0);
    expect(posts()).toHaveLength(1);
    expect(gets().length).toBeGreaterThanOrEqual(1);
  });

  it('(b) with onUnknown: "resend" (opt-in) it is sent once more: the real handle, exactly TWO POSTs', async () => {
    const { state, get } = fakeSession();
    let attempts = 0;
    server.use(
      get,
      http.post(TURN, () => {
        attempts++;
        if (attempts === 1) return HttpResponse.error(); // failed before the server did anything
        state.received++;
        state.task_status = "chat_processing";
        return json(DOCUMENTED_RUN);
      }),
    );
    const run = await makeClient().runTurn(
      SESSION_ID,
      { message: MESSAGE },
      { onUnknown: "resend", reconcileTimeout: 100 },
    );
    expect(withToken(run)).toEqual({ ...DOCUMENTED_RUN, reconciled: false });
    expect(state.received).toBe(1);
    expect(posts()).toHaveLength(2);
    expect(posts()[1]?.body).toEqual({ message: MESSAGE });
  });

  it("(b') an older user message with the same text, seen before sending, is not mistaken for this turn", async () => {
    const { state, get } = fakeSession();
    state.messages.push({ role: "user", content: MESSAGE }, { role: "assistant", content: "ok" });
    server.use(
      get,
      http.post(TURN, () => HttpResponse.error()),
    );
    const client = makeClient();
    await client.getSession(SESSION_ID); // the state before sending
    const error = await client
      .runTurn(SESSION_ID, { message: MESSAGE }, { reconcileTimeout: 100 })
      .catch((e: unknown) => e);
    expect(error instanceof DispatchUnknownError).toBe(true);
    expect(posts()).toHaveLength(1);
  });

  it('never more sends than 1 + maxRetries with onUnknown: "resend" when nothing is ever dispatched', async () => {
    const { get } = fakeSession();
    server.use(
      get,
      http.post(TURN, () => HttpResponse.error()),
    );
    const error = await makeClient({ maxRetries: 2 })
      .runTurn(SESSION_ID, { message: MESSAGE }, { onUnknown: "resend", reconcileTimeout: 50 })
      .catch((e: unknown) => e);
    expect(error instanceof DispatchUnknownError).toBe(true);
    expect(posts()).toHaveLength(3);
  });

  it("a session busy with another task whose claim never shows this turn: DispatchUnknownError at busyTimeout, ONE POST", async () => {
    const { state, get } = fakeSession();
    state.task_status = "chat_processing";
    state.messages.push({ role: "user", content: "turn A" });
    server.use(
      get,
      http.post(TURN, () => HttpResponse.error()),
    );
    const error = await makeClient()
      .runTurn(SESSION_ID, { message: MESSAGE }, { busyTimeout: 200, onUnknown: "resend" })
      .catch((e: unknown) => e);
    expect(error instanceof DispatchUnknownError).toBe(true);
    expect((error as DispatchUnknownError).evidence).toMatch(/busy/);
    expect(posts()).toHaveLength(1);
  });
});

describe("a /turn attempt that times out is reconciled", () => {
  it("(a) the server got it (slow answer): reconciled once its message shows, ONE POST", async () => {
    const { state, get } = fakeSession();
    server.use(
      get,
      http.post(TURN, async () => {
        state.received++;
        state.task_status = "chat_processing";
        state.messages.push({ role: "user", content: MESSAGE });
        await delay(400);
        return json(DOCUMENTED_RUN);
      }),
    );
    const run = await makeClient({ timeout: 100 }).runTurn(SESSION_ID, { message: MESSAGE });
    expect(run).toEqual({ runId: null, publicAccessToken: null, reconciled: true });
    expect(posts()).toHaveLength(1);
    expect(state.received).toBe(1);
  });

  it("(b) the server did not act (504 after the timeout): DispatchUnknownError, ONE POST", async () => {
    const { state, get } = fakeSession();
    server.use(
      get,
      http.post(TURN, async () => {
        await delay(400); // stuck in front of the app; nothing recorded
        return json({ error: "too late" }, { status: 504 });
      }),
    );
    const error = await makeClient({ timeout: 100 })
      .runTurn(SESSION_ID, { message: MESSAGE }, { reconcileTimeout: 100 })
      .catch((e: unknown) => e);
    expect(error instanceof DispatchUnknownError).toBe(true);
    expect(posts()).toHaveLength(1);
    expect(state.received).toBe(0);
  });
});

describe("generate-examples (no message to look for)", () => {
  it("(a) idle just before sending, claimed after: reconciled, ONE POST", async () => {
    const { state, get } = fakeSession();
    server.use(
      get,
      http.post(EXAMPLES, () => {
        state.received++;
        state.task_status = "generating_examples";
        return HttpResponse.error();
      }),
    );
    const client = makeClient();
    await client.getSession(SESSION_ID);
    const run = await client.generateExamples(SESSION_ID, { leads: [{ first_name: "Ada" }] });
    expect(run).toEqual({ runId: null, publicAccessToken: null, reconciled: true });
    expect(posts()).toHaveLength(1);
  });

  it("(a') a claim with no state seen before sending cannot be attributed: DispatchUnknownError, ONE POST", async () => {
    const { state, get } = fakeSession();
    server.use(
      get,
      http.post(EXAMPLES, () => {
        state.task_status = "generating_examples";
        return HttpResponse.error();
      }),
    );
    const error = await makeClient()
      .generateExamples(SESSION_ID, { leads: [{ first_name: "Ada" }] })
      .catch((e: unknown) => e);
    expect(error instanceof DispatchUnknownError).toBe(true);
    expect((error as DispatchUnknownError).session?.task_status).toBe("generating_examples");
    expect(posts()).toHaveLength(1);
  });

  it('(b) idle, nothing claimed: DispatchUnknownError by default; with onUnknown: "resend" TWO POSTs', async () => {
    const { get } = fakeSession();
    let attempts = 0;
    server.use(
      get,
      http.post(EXAMPLES, () => {
        attempts++;
        return attempts === 1 ? HttpResponse.error() : json(DOCUMENTED_RUN);
      }),
    );
    const error = await makeClient()
      .generateExamples(SESSION_ID, { leads: [{ first_name: "Ada" }] }, { reconcileTimeout: 50 })
      .catch((e: unknown) => e);
    expect(error instanceof DispatchUnknownError).toBe(true);
    expect(posts()).toHaveLength(1);
    attempts = 0;
    requests.length = 0;
    const run = await makeClient().generateExamples(
      SESSION_ID,
      { leads: [{ first_name: "Ada" }] },
      { reconcileTimeout: 50, onUnknown: "resend" },
    );
    expect(withToken(run)).toEqual({ ...DOCUMENTED_RUN, reconciled: false });
    expect(posts()).toHaveLength(2);
    expect(posts()[1]?.body).toEqual({ leads: [{ first_name: "Ada" }], isFirstBatch: true });
  });
});

describe("onBusy", () => {
  it('"throw" (default): a 409 is thrown at once, one POST, no GET', async () => {
    server.use(
      http.post(TURN, () => json({ error: "Session is busy (chat_processing)" }, { status: 409 })),
    );
    const error = await makeClient()
      .runTurn(SESSION_ID, { message: MESSAGE })
      .catch((e: unknown) => e);
    expect(error instanceof SessionBusyError).toBe(true);
    expect(requests.map((r) => r.method)).toEqual(["POST"]);
  });
});

describe("generateContent (a synchronous paid turn) says whether it may have run", () => {
  it('a 4xx is "not_sent"; a lost answer is "unknown" and never re-sent', async () => {
    let posts = 0;
    server.use(
      http.post("https://app.puffle.ai/api/campaigns/:id/generate-content", () => {
        posts++;
        return posts === 1
          ? json({ error: "Campaign is not a draft" }, { status: 400 })
          : HttpResponse.error();
      }),
    );
    const client = makeClient({ maxRetries: 2 });
    const params = { node_id: "5b0e0c8a-1c2d-4e5f-9a6b-7c8d9e0f1a2b", message: MESSAGE };
    const refused = (await client.generateContent(SESSION_ID, params).catch((e: unknown) => e)) as {
      dispatch?: string;
    };
    expect(refused.dispatch).toBe("not_sent");
    const lost = (await client.generateContent(SESSION_ID, params).catch((e: unknown) => e)) as {
      dispatch?: string;
    };
    expect(lost instanceof APIConnectionError).toBe(true);
    expect(lost.dispatch).toBe("unknown");
    expect(posts).toBe(2);
  });
});

describe('onUnknown: "resend" meets a 409: the earlier request may hold the claim', () => {
  it("the resend's 409 is reconciled by reading: the late original's message shows, ONE dispatch, reconciled", async () => {
    const { state, get } = fakeSession();
    let attempts = 0;
    server.use(
      get,
      http.post(TURN, () => {
        attempts++;
        if (attempts === 1) return HttpResponse.error(); // lost; the original lands later
        // The late original arrived meanwhile: the session is claimed by it.
        state.received++;
        state.task_status = "chat_processing";
        state.messages.push({ role: "user", content: MESSAGE });
        return json({ error: "Session is busy (chat_processing)" }, { status: 409 });
      }),
    );
    const run = await makeClient().runTurn(
      SESSION_ID,
      { message: MESSAGE },
      { onUnknown: "resend", reconcileTimeout: 50 },
    );
    expect(run).toEqual({ runId: null, publicAccessToken: null, reconciled: true });
    expect(state.received).toBe(1);
  });
});

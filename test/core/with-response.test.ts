/** withResponse() / asResponse() on every method's promise; awaiting it still gives the data. */
import { describe, expect, it } from "vitest";
import { APIPromise, NotFoundError } from "../../src/index";
import {
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
} from "./helpers";

const { server } = setupMswServer();

describe("APIPromise", () => {
  it("await gives the data; withResponse() the data, the response and the request id", async () => {
    server.use(
      http.get(`${SESSIONS}/:id`, () =>
        json(
          { session: documentedSession() },
          { headers: { "x-request-id": "req_1", "x-ratelimit-remaining": "41" } },
        ),
      ),
    );
    const puffle = makeClient();
    const promise = puffle.getSession(SESSION_ID);
    expect(promise).toBeInstanceOf(APIPromise);
    expect(promise).toBeInstanceOf(Promise);
    expect(await promise).toEqual(documentedSession());

    const { data, response, requestId } = await puffle.getSession(SESSION_ID).withResponse();
    expect(data).toEqual(documentedSession());
    expect(requestId).toBe("req_1");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-ratelimit-remaining")).toBe("41");
    expect(await response.json()).toEqual({ session: documentedSession() });

    const raw = await puffle.getSession(SESSION_ID).asResponse();
    expect(raw.status).toBe(200);
    expect(raw.url).toContain(`/ai-chat-sessions/${SESSION_ID}`);
  });

  it("a list has its request id through withResponse()", async () => {
    server.use(
      http.get(SESSIONS, () =>
        json({ sessions: [documentedSession()] }, { headers: { "x-request-id": "req_list" } }),
      ),
    );
    const { data, requestId } = await makeClient().listSessions(CAMPAIGN_ID).withResponse();
    expect(data).toHaveLength(1);
    expect(requestId).toBe("req_list");
  });

  it("works on dispatches, deletes and composite methods (the last response)", async () => {
    server.use(
      http.post(`${SESSIONS}/:id/turn`, () =>
        json(DOCUMENTED_RUN, { headers: { "x-request-id": "req_turn" } }),
      ),
      http.delete(`${SESSIONS}/:id`, () => new HttpResponse(null, { status: 204 })),
      http.get(SESSIONS, () =>
        json(
          { sessions: [documentedSession({ node_id: NODE_ID })] },
          { headers: { "x-request-id": "req_list" } },
        ),
      ),
    );
    const puffle = makeClient();
    const turn = await puffle.runTurn(SESSION_ID, { message: "hi" }).withResponse();
    expect(turn.data.runId).toBe(DOCUMENTED_RUN.runId);
    expect(turn.requestId).toBe("req_turn");
    const deleted = await puffle.deleteSession(SESSION_ID).withResponse();
    expect(deleted.data).toBeUndefined();
    expect(deleted.response.status).toBe(204);
    const found = await puffle
      .getOrCreateSession({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID })
      .withResponse();
    expect(found.data.node_id).toBe(NODE_ID);
    expect(found.requestId).toBe("req_list");
  });

  it("errors reject await, withResponse() and asResponse() alike", async () => {
    server.use(http.get(`${SESSIONS}/:id`, () => json({ error: "Not found" }, { status: 404 })));
    const puffle = makeClient();
    await expect(puffle.getSession(SESSION_ID)).rejects.toBeInstanceOf(NotFoundError);
    await expect(puffle.getSession(SESSION_ID).withResponse()).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(puffle.getSession(SESSION_ID).asResponse()).rejects.toBeInstanceOf(NotFoundError);
    await expect(puffle.getSession("not-a-uuid").withResponse()).rejects.toThrow(/UUID/);
  });

  it("then/catch/finally return plain promises", async () => {
    server.use(http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })));
    const chained = makeClient()
      .getSession(SESSION_ID)
      .then((s) => s.id);
    expect(chained).not.toBeInstanceOf(APIPromise);
    expect(await chained).toBe(documentedSession().id);
  });
});

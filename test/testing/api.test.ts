import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, holdTasks, startHarness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const S = "/api/campaigns/ai-chat-sessions";
type Session = Record<string, unknown> & { id: string };

describe("auth and routing", () => {
  it("answers 401 in the nested error shape for a missing or unknown key, on every operation", async () => {
    const id = await h.createSession();
    const calls: [string, string, unknown?][] = [
      ["POST", S, { campaign_id: h.emu.demo.campaignId, node_id: h.emu.demo.nodeId }],
      ["GET", `${S}?campaign_id=${h.emu.demo.campaignId}`],
      ["GET", `${S}/${id}`],
      ["PATCH", `${S}/${id}`, { title: "x" }],
      ["DELETE", `${S}/${id}`],
      ["POST", `${S}/${id}/turn`, { message: "hi" }],
      ["POST", `${S}/${id}/generate-examples`, { leads: [{}] }],
      [
        "POST",
        `/api/campaigns/${h.emu.demo.campaignId}/generate-content`,
        { node_id: h.emu.demo.nodeId, message: "hi" },
      ],
    ];
    for (const key of [null, `pk_live_${"0".repeat(64)}`]) {
      for (const [method, path, body] of calls) {
        const res = await h.json(path, { method, body, key });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
      }
    }
    expect(h.emu.getSession(id)?.title).toBeNull();
  });

  it("answers 404 for an unknown path and 405 for a wrong method", async () => {
    expect((await h.api("/api/nothing")).status).toBe(404);
    expect((await h.api(S, { method: "DELETE" })).status).toBe(405);
  });

  it("answers a CORS preflight and sends no-store + CORS headers", async () => {
    const pre = await fetch(`${h.url}/realtime/v1/runs/run_x`, {
      method: "OPTIONS",
      headers: {
        origin: "http://app.test",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization, x-trigger-electric-version",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    const allowed = pre.headers.get("access-control-allow-headers") ?? "";
    for (const header of [
      "authorization",
      "x-trigger-electric-version",
      "x-trigger-api-version",
      "trigger-version",
      "last-event-id",
    ]) {
      expect(allowed).toContain(header);
    }
    const res = await h.api(`${S}?campaign_id=${h.emu.demo.campaignId}`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("access-control-expose-headers")).toBe("*");
  });
});

describe("create, list, get, update, delete", () => {
  it("create answers 201 with an empty session", async () => {
    const res = await h.json<{ session: Session }>(S, {
      body: { campaign_id: h.emu.demo.campaignId, node_id: h.emu.demo.nodeId },
    });
    expect(res.status).toBe(201);
    const s = res.body.session;
    expect(s).toMatchObject({
      campaign_id: h.emu.demo.campaignId,
      node_id: h.emu.demo.nodeId,
      user_id: h.emu.demo.userId,
    });
    for (const key of [
      "title",
      "messages",
      "draft_subject",
      "draft_body",
      "skeleton",
      "skeleton_history",
      "draft_history",
      "framework_version",
      "generated_examples",
      "task_status",
    ]) {
      expect(s[key], key).toBeNull();
    }
    expect(typeof s.created_at).toBe("string");
  });

  it("create checks ownership (404), node membership (404) and UUIDs (400)", async () => {
    const { demo } = h.emu;
    expect(
      (
        await h.json(S, {
          body: { campaign_id: demo.otherUser.campaignId, node_id: demo.otherUser.nodeId },
        })
      ).status,
    ).toBe(404);
    expect(
      (await h.json(S, { body: { campaign_id: demo.campaignId, node_id: demo.otherUser.nodeId } }))
        .status,
    ).toBe(404);
    expect(
      (await h.json(S, { body: { campaign_id: demo.campaignId, node_id: demo.activeNodeId } }))
        .status,
    ).toBe(404);
    const bad = await h.json(S, { body: { campaign_id: "nope", node_id: demo.nodeId } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: expect.any(String) });
    expect((await h.json(S, { body: "{not json" })).status).toBe(400);
  });

  it("list is oldest first, empty for someone else's campaign, 400 without campaign_id", async () => {
    const { campaignId } = h.emu.addCampaign();
    const node = h.emu.addNode(campaignId);
    const a = (
      await h.json<{ session: Session }>(S, { body: { campaign_id: campaignId, node_id: node } })
    ).body.session.id;
    const b = (
      await h.json<{ session: Session }>(S, { body: { campaign_id: campaignId, node_id: node } })
    ).body.session.id;
    const list = await h.json<{ sessions: Session[] }>(`${S}?campaign_id=${campaignId}`);
    expect(list.status).toBe(200);
    expect(list.body.sessions.map((s) => s.id)).toEqual([a, b]);
    const other = await h.json<{ sessions: Session[] }>(
      `${S}?campaign_id=${h.emu.demo.otherUser.campaignId}`,
    );
    expect(other.body.sessions).toEqual([]);
    expect((await h.json(S)).status).toBe(400);
    expect((await h.json(`${S}?campaign_id=abc`)).status).toBe(400);
  });

  it("get answers 200, 404 for another user's session, 400 for a bad id", async () => {
    const id = await h.createSession();
    expect((await h.json(`${S}/${id}`)).status).toBe(200);
    expect((await h.json(`${S}/${id}`, { key: h.emu.demo.otherUser.apiKey })).status).toBe(404);
    expect((await h.json(`${S}/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await h.json(`${S}/not-a-uuid`)).status).toBe(400);
    expect((await h.json(`${S}/not-a-uuid`, { method: "PATCH", body: {} })).status).toBe(400);
    expect((await h.json(`${S}/not-a-uuid/turn`, { body: { message: "x" } })).status).toBe(400);
  });

  it("update writes only the keys present; a new skeleton clears generated_examples", async () => {
    const id = await h.createSession();
    let res = await h.json<{ session: Session }>(`${S}/${id}`, {
      method: "PATCH",
      body: {
        title: "T",
        generated_examples: [{ lead_id: null, subject: "s", body: "b" }],
      },
    });
    expect(res.status).toBe(200);
    // An unknown key is refused (the spec's additionalProperties: false), and nothing is written.
    const refused = await h.json(`${S}/${id}`, {
      method: "PATCH",
      body: { title: "not written", id: "ignored" },
    });
    expect(refused.status).toBe(400);
    expect(h.emu.getSession(id)?.title).toBe("T");
    expect(res.body.session).toMatchObject({
      id,
      title: "T",
      generated_examples: [{ subject: "s" }],
      draft_body: null,
    });
    res = await h.json(`${S}/${id}`, { method: "PATCH", body: { draft_body: "Hi %first_name%" } });
    expect(res.body.session).toMatchObject({
      title: "T",
      draft_body: "Hi %first_name%",
      generated_examples: [{ subject: "s" }],
    });
    res = await h.json(`${S}/${id}`, { method: "PATCH", body: { skeleton: { subject: "x" } } });
    expect(res.body.session).toMatchObject({
      skeleton: { subject: "x" },
      generated_examples: null,
      title: "T",
    });
    expect((await h.json(`${S}/${id}`, { method: "PATCH", body: { title: 5 } })).status).toBe(400);
    expect(
      (
        await h.json(`${S}/${id}`, {
          method: "PATCH",
          body: { title: "y" },
          key: h.emu.demo.otherUser.apiKey,
        })
      ).status,
    ).toBe(404);
  });

  it("delete answers {success:true}; the session is gone; a running task still completes", async () => {
    const id = await h.createSession();
    const handle = await h.turn(id, "Intro email for VPs of Sales");
    const res = await h.json(`${S}/${id}`, { method: "DELETE" });
    expect(res).toMatchObject({ status: 200, body: { success: true } });
    expect((await h.json(`${S}/${id}`)).status).toBe(404);
    await h.emu.settle();
    expect(h.emu.getRun(handle.runId)?.status).toBe("COMPLETED_SUCCESSFULLY");
    expect(h.emu.getSession(id)).toBeUndefined();
  });
});

describe("turn", () => {
  it("answers a RunHandle, claims the session (409 while busy), then writes user + assistant messages", async () => {
    const id = await h.createSession();
    const release = holdTasks(h.emu);
    const handle = await h.turn(id, "Intro email for VPs of Sales, emphasizing time-to-ROI");
    expect(handle.runId).toMatch(/^run_/);
    expect(handle.publicAccessToken).toMatch(/^tr_pat_/);
    expect(h.emu.getSession(id)?.task_status).toBe("chat_processing");
    const busy = await h.json(`${S}/${id}/turn`, { body: { message: "again" } });
    expect(busy).toMatchObject({
      status: 409,
      body: { error: "Session is busy (chat_processing)" },
    });
    const busyExamples = await h.json(`${S}/${id}/generate-examples`, {
      body: { leads: [{ first_name: "A" }] },
    });
    expect(busyExamples.status).toBe(400); // no skeleton yet takes precedence
    await release();
    const s = await h.waitIdle(id);
    expect(s.messages).toEqual([
      { role: "user", content: "Intro email for VPs of Sales, emphasizing time-to-ROI" },
      { role: "assistant", content: expect.stringContaining("?") },
    ]);
    expect(s.skeleton).toBeNull();
    expect(s.framework_version).toBeNull();
    expect(h.emu.ledger.turns(id)).toBe(1);
  });

  it("turn 2 writes a skeleton and a draft; later skeletons bump framework_version and clear examples", async () => {
    const id = await h.createSession();
    await h.turn(id, "Intro email for VPs of Sales, emphasizing time-to-ROI");
    await h.waitIdle(id);
    await h.turn(id, "Audience: sales leaders at SaaS companies", {
      availableVarNames: ["first_name", "company"],
    });
    let s = await h.waitIdle(id);
    expect(s.framework_version).toBe(1);
    expect(s.skeleton).toMatchObject({
      subject: expect.any(String),
      body: expect.any(String),
      blocks: expect.any(Array),
      exampleSubject: expect.any(String),
      exampleBody: expect.any(String),
    });
    expect(s.draft_body).toContain("%first_name%");
    expect(s.draft_body).not.toContain("%position%");
    expect(s.draft_body).toMatch(/&&[^&]+&&/);
    const release = holdTasks(h.emu);
    const gen = await h.json<{ runId: string }>(`${S}/${id}/generate-examples`, {
      body: { leads: h.emu.demo.leads.slice(0, 2) },
    });
    expect(gen.status).toBe(200);
    const busy = await h.json(`${S}/${id}/turn`, { body: { message: "x" } });
    expect(busy).toMatchObject({
      status: 409,
      body: { error: "Session is busy (generating_examples)" },
    });
    await release();
    s = await h.waitIdle(id);
    expect(s.generated_examples).toHaveLength(2);
    await h.turn(id, "Make it shorter");
    s = await h.waitIdle(id);
    expect(s.framework_version).toBe(2);
    expect(s.generated_examples).toBeNull();
    expect((s.skeleton_history as unknown[]).length).toBe(1);
    expect((s.messages as unknown[]).length).toBe(6);
  });

  it("rejects an empty message with 400 and leaves the session idle", async () => {
    const id = await h.createSession();
    for (const body of [{ message: "" }, {}, { message: "x", availableVarNames: "first_name" }]) {
      expect((await h.json(`${S}/${id}/turn`, { body })).status).toBe(400);
    }
    expect(h.emu.getSession(id)?.task_status).toBeNull();
    expect(h.emu.ledger.turns(id)).toBe(0);
  });
});

describe("generate-examples", () => {
  it("needs a skeleton: 400 with the exact message", async () => {
    const id = await h.createSession();
    const res = await h.json(`${S}/${id}/generate-examples`, {
      body: { leads: [{ first_name: "A" }] },
    });
    expect(res).toEqual({
      status: 400,
      body: { error: "Session has no framework yet. Chat first to create one." },
      headers: expect.anything(),
    });
  });

  it("one example per lead; isFirstBatch true replaces, false appends", async () => {
    const id = await h.createSession();
    await h.json(`${S}/${id}`, {
      method: "PATCH",
      body: {
        draft_subject: "Hi %first_name%",
        draft_body: "Hello %first_name% at %company%. &&say something&&",
        skeleton: { subject: "s" },
      },
    });
    const leads = h.emu.demo.leads;
    await h.json(`${S}/${id}/generate-examples`, {
      body: { leads: leads.slice(0, 3), isFirstBatch: true },
    });
    let s = await h.waitIdle(id);
    const first = s.generated_examples as { lead_id: string; subject: string; body: string }[];
    expect(first.map((e) => e.lead_id)).toEqual(leads.slice(0, 3).map((l) => l.id));
    expect(first[0]?.subject).toBe(`Hi ${leads[0]?.first_name}`);
    expect(first[0]?.body).toContain(String(leads[0]?.company));
    expect(first[0]?.body).not.toMatch(/&&|%/);
    await h.json(`${S}/${id}/generate-examples`, {
      body: { leads: leads.slice(3, 5), isFirstBatch: false },
    });
    s = await h.waitIdle(id);
    expect((s.generated_examples as unknown[]).length).toBe(5);
    await h.json(`${S}/${id}/generate-examples`, { body: { leads: leads.slice(0, 1) } });
    s = await h.waitIdle(id);
    expect((s.generated_examples as unknown[]).length).toBe(1);
    expect(h.emu.ledger.exampleRuns(id)).toBe(3);
    expect((await h.json(`${S}/${id}/generate-examples`, { body: { leads: [] } })).status).toBe(
      400,
    );
  });
});

describe("generate-content", () => {
  const path = () => `/api/campaigns/${h.emu.demo.campaignId}/generate-content`;

  it("finds or creates the one session of (user, campaign, node) and runs a turn inline", async () => {
    const { campaignId, nodeId } = h.emu.addCampaign();
    const p = `/api/campaigns/${campaignId}/generate-content`;
    const first = await h.json<{
      session_id: string;
      assistant_message: string;
      skeleton: unknown;
      skeleton_updated: boolean;
    }>(p, { body: { node_id: nodeId, message: "Intro email for CFOs" } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      skeleton: null,
      skeleton_updated: false,
      assistant_message: expect.any(String),
    });
    const second = await h.json<typeof first.body>(p, {
      body: { node_id: nodeId, message: "Audience: CFOs at retailers" },
    });
    expect(second.body.session_id).toBe(first.body.session_id);
    expect(second.body.skeleton_updated).toBe(true);
    expect(second.body.skeleton).toMatchObject({ subject: expect.any(String) });
    const list = await h.json<{ sessions: Session[] }>(`${S}?campaign_id=${campaignId}`);
    expect(list.body.sessions).toHaveLength(1);
    expect(list.body.sessions[0]?.task_status).toBeNull();
    expect(h.emu.ledger.turns(first.body.session_id)).toBe(2);
  });

  it("refuses a non-draft campaign or a non-ai node (400), someone else's campaign (404), busy (409)", async () => {
    const { demo } = h.emu;
    expect(
      (
        await h.json(`/api/campaigns/${demo.activeCampaignId}/generate-content`, {
          body: { node_id: demo.activeNodeId, message: "x" },
        })
      ).status,
    ).toBe(400);
    expect(
      (await h.json(path(), { body: { node_id: demo.nonAiNodeId, message: "x" } })).status,
    ).toBe(400);
    expect(
      (await h.json(path(), { body: { node_id: demo.otherUser.nodeId, message: "x" } })).status,
    ).toBe(400);
    expect(
      (
        await h.json(`/api/campaigns/${demo.otherUser.campaignId}/generate-content`, {
          body: { node_id: demo.otherUser.nodeId, message: "x" },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await h.json(`/api/campaigns/bad/generate-content`, {
          body: { node_id: demo.nodeId, message: "x" },
        })
      ).status,
    ).toBe(400);
    expect((await h.json(path(), { body: { node_id: demo.nodeId, message: "" } })).status).toBe(
      400,
    );

    const { campaignId, nodeId } = h.emu.addCampaign();
    const created = await h.json<{ session: Session }>(S, {
      body: { campaign_id: campaignId, node_id: nodeId },
    });
    const release = holdTasks(h.emu);
    await h.turn(created.body.session.id, "Brief");
    const busy = await h.json(`/api/campaigns/${campaignId}/generate-content`, {
      body: { node_id: nodeId, message: "x" },
    });
    expect(busy).toMatchObject({
      status: 409,
      body: { error: "Session is busy (chat_processing)" },
    });
    await release();
    await h.waitIdle(created.body.session.id);
  });
});

// The emulator's campaign routes over real HTTP: every rule of openapi.yaml's campaign routes,
// the inferred choices as settings, and strict request validation (400, nothing written) on
// every route, including the cases the issue measured with Prism.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAST, type Harness, startHarness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness(FAST);
});
afterAll(() => h.close());
beforeEach(() => {
  h.emu.faults.clear();
  h.emu.ledger.reset();
});

const C = "/api/campaigns";
const S = "/api/campaigns/ai-chat-sessions";

/** A fresh draft campaign: email (with content) → delay → end, three prospects. */
function campaign(status = "draft") {
  const { campaignId, nodeId: aiNodeId } = h.emu.addCampaign({
    status,
    name: `c-${Math.random()}`,
  });
  const emailId = h.emu.addNode(campaignId, {
    type: "email",
    subject: "Hi %first_name%",
    body: "Hello %first_name% at %company%, {{unchanged}} %unknown_var%",
  });
  const delayId = h.emu.addNode(campaignId, { type: "delay", delay_days: 1 });
  const endId = h.emu.addNode(campaignId, { type: "end" });
  const leads = [
    h.emu.addLead(campaignId, { first_name: "Ada", last_name: "Lovelace", company: "AE" }),
    h.emu.addLead(campaignId, { first_name: "Grace", last_name: "Hopper", company: "Cobol" }),
    h.emu.addLead(campaignId, { first_name: "Ada", last_name: "LOVELACE", company: "Twin" }),
  ];
  return { campaignId, aiNodeId, emailId, delayId, endId, leads };
}

describe("GET /api/campaigns/{id}", () => {
  it("answers the four top-level keys, nodes in position order, ai_node flattened", async () => {
    const { campaignId, nodeId, endNodeId } = h.emu.demo.aiCampaign;
    const res = await h.json<Record<string, unknown>>(`${C}/${campaignId}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([
      "campaign",
      "prospects_by_node",
      "prospects_by_status",
      "sequence_nodes",
    ]);
    expect(res.body.sequence_nodes).toEqual([
      expect.objectContaining({
        id: nodeId,
        position: 0,
        type: "ai",
        ai_node: { purpose: expect.any(String), output_type: "email" },
      }),
      expect.objectContaining({ id: endNodeId, position: 1, type: "end", ai_node: null }),
    ]);
    expect(res.body.prospects_by_status).toEqual({ pending: 4 });
    const email = await h.json<{ sequence_nodes: Record<string, unknown>[] }>(
      `${C}/${h.emu.demo.emailCampaign.campaignId}`,
    );
    expect(email.body.sequence_nodes[0]).toMatchObject({ type: "email", subject: "", body: "" });
  });

  it("404 for another user's campaign or an unknown one, 400 for a bad id, 401 without a key", async () => {
    expect((await h.json(`${C}/${h.emu.demo.otherUser.campaignId}`)).status).toBe(404);
    expect((await h.json(`${C}/3c90c3cc-0d44-4b50-8888-8dd25736052a`)).status).toBe(404);
    expect((await h.json(`${C}/nope`)).status).toBe(400);
    expect((await h.json(`${C}/${h.emu.demo.campaignId}`, { key: null })).status).toBe(401);
  });
});

describe("PUT /api/campaigns/{id}/sequence/nodes/{nodeId}", () => {
  it("applies only present keys, only those of the node's type; ai_node only on ai nodes", async () => {
    const c = campaign();
    const res = await h.json<{ node: Record<string, unknown> }>(
      `${C}/${c.campaignId}/sequence/nodes/${c.emailId}`,
      {
        method: "PUT",
        body: { subject: "New", delay_days: 4, ai_node: { purpose: "x" } },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.node).toMatchObject({ id: c.emailId, subject: "New", ai_node: null });
    expect(res.body.node.body).toContain("Hello");
    expect(res.body.node).not.toHaveProperty("delay_days");
    const ai = await h.json<{ node: Record<string, unknown> }>(
      `${C}/${c.campaignId}/sequence/nodes/${c.aiNodeId}`,
      {
        method: "PUT",
        body: { ai_node: { purpose: "Intro" }, subject: "ignored" },
      },
    );
    expect(ai.body.node).toMatchObject({ type: "ai", ai_node: { purpose: "Intro" } });
    expect(ai.body.node).not.toHaveProperty("subject");
    const again = await h.json<{ node: Record<string, unknown> }>(
      `${C}/${c.campaignId}/sequence/nodes/${c.aiNodeId}`,
      {
        method: "PUT",
        body: { ai_node: { output_type: "email" } },
      },
    );
    expect(again.body.node.ai_node).toEqual({ purpose: "Intro", output_type: "email" });
  });

  it("a non-draft campaign: 400 with no write", async () => {
    const c = campaign("active");
    const res = await h.json(`${C}/${c.campaignId}/sequence/nodes/${c.emailId}`, {
      method: "PUT",
      body: { subject: "No" },
    });
    expect(res.status).toBe(400);
    expect(h.emu.getNodes(c.campaignId).find((n) => n.id === c.emailId)?.subject).toBe(
      "Hi %first_name%",
    );
    expect(h.emu.ledger.campaignWrites).toEqual([]);
  });

  it("404 for a node of another campaign; 400 for immutable or unknown keys and wrong types", async () => {
    const c = campaign();
    const other = campaign();
    expect(
      (
        await h.json(`${C}/${c.campaignId}/sequence/nodes/${other.emailId}`, {
          method: "PUT",
          body: {},
        })
      ).status,
    ).toBe(404);
    for (const body of [
      { type: "ai" },
      { position: 2 },
      { subject: 1 },
      { delay_days: -1 },
      { ai_node: { purpose: "p", extra: 1 } },
      { ai_node: "x" },
    ]) {
      const res = await h.json(`${C}/${c.campaignId}/sequence/nodes/${c.emailId}`, {
        method: "PUT",
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(h.emu.ledger.campaignWrites).toEqual([]);
  });
});

describe("PATCH /api/campaigns/{id}", () => {
  it("replaces the whole sequence: positions renumbered, ids kept, new rows made, omitted deleted, sessions kept", async () => {
    const c = campaign();
    const session = await h.json<{ session: { id: string } }>(S, {
      body: { campaign_id: c.campaignId, node_id: c.delayId },
    });
    const res = await h.json(`${C}/${c.campaignId}`, {
      method: "PATCH",
      body: {
        sequence_nodes: [
          { id: c.emailId, position: 7, subject: "Replaced" },
          { type: "delay", delay_hours: 5 },
          { id: c.aiNodeId },
          { id: c.endId },
        ],
      },
    });
    expect(res.status).toBe(200);
    const nodes = h.emu.getNodes(c.campaignId);
    expect(nodes.map((n) => [n.type, n.position])).toEqual([
      ["email", 0],
      ["delay", 1],
      ["ai", 2],
      ["end", 3],
    ]);
    expect(nodes[0]).toMatchObject({ id: c.emailId, subject: "Replaced" });
    expect(nodes[1]?.id).not.toBe(c.delayId);
    expect(nodes.some((n) => n.id === c.delayId)).toBe(false);
    expect(h.emu.getSession(session.body.session.id)?.node_id).toBe(c.delayId);
  });

  it("delay totals outside 1 minute..30 days: 400 before any write (the name is not changed either)", async () => {
    const c = campaign();
    const before = h.emu.getNodes(c.campaignId);
    for (const delay of [
      { delay_minutes: 0, delay_days: 0 },
      { delay_days: 30, delay_minutes: 1 },
    ]) {
      const res = await h.json(`${C}/${c.campaignId}`, {
        method: "PATCH",
        body: {
          name: "Should not stick",
          sequence_nodes: [{ id: c.emailId }, { id: c.delayId, ...delay }, { id: c.endId }],
        },
      });
      expect(res.status).toBe(400);
    }
    expect(h.emu.getNodes(c.campaignId)).toEqual(before);
    expect(h.emu.getCampaign(c.campaignId)?.name).not.toBe("Should not stick");
    const ok = await h.json(`${C}/${c.campaignId}`, {
      method: "PATCH",
      body: { sequence_nodes: [{ id: c.delayId, delay_days: 30 }, { id: c.endId }] },
    });
    expect(ok.status).toBe(200);
  });

  it("a non-draft campaign: name, operating_hours, daily_limit applied; sequence and draft-only fields silently ignored", async () => {
    const c = campaign("active");
    const before = h.emu.getNodes(c.campaignId);
    const res = await h.json<{ campaign: Record<string, unknown> }>(`${C}/${c.campaignId}`, {
      method: "PATCH",
      body: {
        name: `live-${Math.random()}`,
        daily_limit: 20,
        stop_on_reply: true,
        sequence_nodes: [{ id: c.endId }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.campaign).toMatchObject({
      daily_limit: 20,
      stop_on_reply: null,
      status: "active",
    });
    expect(h.emu.getNodes(c.campaignId)).toEqual(before);
  });

  it("400 for unknown keys, wrong nested types and ranges; 409 for a duplicate name; nothing written", async () => {
    const c = campaign();
    for (const body of [
      { nope: 1 },
      { daily_limit: 0 },
      { daily_limit: 501 },
      { name: "" },
      { sequence_nodes: [{ type: "sms" }] },
      { sequence_nodes: [{ id: c.emailId, extra: true }] },
      { sequence_nodes: [{ subject: "new node without type" }] },
      { account_limits: [{ account_id: "x", daily_limit: 1 }] },
    ]) {
      const res = await h.json(`${C}/${c.campaignId}`, { method: "PATCH", body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const taken = h.emu.getCampaign(h.emu.demo.emailCampaign.campaignId)?.name;
    expect(
      (await h.json(`${C}/${c.campaignId}`, { method: "PATCH", body: { name: taken } })).status,
    ).toBe(409);
    expect(h.emu.ledger.campaignWrites).toEqual([]);
  });
});

describe("POST /api/campaigns/{id}/generate-messages", () => {
  it("resolve: one draft per (prospect, non-AI node), %variables% resolved, {{…}} and unknown left, idempotent", async () => {
    const c = campaign();
    const first = await h.json<{ messages: Record<string, unknown>[] }>(
      `${C}/${c.campaignId}/generate-messages`,
      { body: { action: "resolve" } },
    );
    expect(first.status).toBe(200);
    expect(first.body.messages).toHaveLength(3);
    const ada = first.body.messages.find((m) => m.prospect_id === c.leads[0]?.id);
    expect(ada).toMatchObject({
      node_id: c.emailId,
      subject: "Hi Ada",
      body_text: "Hello Ada at AE, {{unchanged}} %unknown_var%",
      status: "draft",
      manually_edited: false,
    });
    const second = await h.json<{ messages: Record<string, unknown>[] }>(
      `${C}/${c.campaignId}/generate-messages`,
      { body: { action: "resolve" } },
    );
    expect(second.body.messages.map((m) => m.id).sort()).toEqual(
      first.body.messages.map((m) => m.id).sort(),
    );
  });

  it("resolve never overwrites a manually edited row; template changes reach the others", async () => {
    const c = campaign();
    const { body } = await h.json<{ messages: { id: string; prospect_id: string }[] }>(
      `${C}/${c.campaignId}/generate-messages`,
      { body: { action: "resolve" } },
    );
    const edited = body.messages[0] as { id: string };
    const patch = await h.json<{ message: Record<string, unknown> }>(
      `${C}/${c.campaignId}/generate-messages`,
      {
        method: "PATCH",
        body: { message_id: edited.id, subject: "Hand-written" },
      },
    );
    expect(patch.body.message).toMatchObject({ subject: "Hand-written", manually_edited: true });
    await h.json(`${C}/${c.campaignId}/sequence/nodes/${c.emailId}`, {
      method: "PUT",
      body: { subject: "Changed %first_name%" },
    });
    await h.json(`${C}/${c.campaignId}/generate-messages`, { body: { action: "resolve" } });
    const rows = h.emu.getGeneratedMessages(c.campaignId);
    expect(rows.find((r) => r.id === edited.id)?.subject).toBe("Hand-written");
    expect(
      rows
        .filter((r) => r.id !== edited.id)
        .map((r) => r.subject)
        .sort(),
    ).toEqual(["Changed Ada", "Changed Grace"]);
  });

  it("resolve copies an AI session's examples to prospects by normalised name: duplicates one row each, unmatched skipped", async () => {
    const c = campaign();
    const s = await h.json<{ session: { id: string } }>(S, {
      body: { campaign_id: c.campaignId, node_id: c.aiNodeId },
    });
    await h.json(`${S}/${s.body.session.id}`, {
      method: "PATCH",
      body: {
        generated_examples: [
          { lead_id: null, lead_name: "ada lovelace", subject: "AI for Ada", body: "b" },
          { lead_id: null, first_name: "Nobody", last_name: "Else", subject: "x", body: "y" },
          { lead_id: c.leads[1]?.id, subject: "AI by lead id", body: "z" },
        ],
      },
    });
    await h.json(`${C}/${c.campaignId}/generate-messages`, { body: { action: "resolve" } });
    const ai = h.emu.getGeneratedMessages(c.campaignId).filter((m) => m.node_id === c.aiNodeId);
    expect(ai.map((m) => [m.prospect_id, m.subject]).sort()).toEqual(
      [
        [c.leads[0]?.id, "AI for Ada"],
        [c.leads[2]?.id, "AI for Ada"],
        [c.leads[1]?.id, "AI by lead id"],
      ].sort(),
    );
    h.emu.settings.matchExamplesByLeadId = false;
    try {
      const c2 = campaign();
      const s2 = await h.json<{ session: { id: string } }>(S, {
        body: { campaign_id: c2.campaignId, node_id: c2.aiNodeId },
      });
      await h.json(`${S}/${s2.body.session.id}`, {
        method: "PATCH",
        body: { generated_examples: [{ lead_id: c2.leads[1]?.id, subject: "s", body: "b" }] },
      });
      await h.json(`${C}/${c2.campaignId}/generate-messages`, { body: { action: "resolve" } });
      expect(
        h.emu.getGeneratedMessages(c2.campaignId).filter((m) => m.node_id === c2.aiNodeId),
      ).toEqual([]);
    } finally {
      h.emu.settings.matchExamplesByLeadId = true;
    }
  });

  it("both actions are draft-only (400, inferred code, configurable); nothing written", async () => {
    const c = campaign("paused");
    expect(
      (await h.json(`${C}/${c.campaignId}/generate-messages`, { body: { action: "resolve" } }))
        .status,
    ).toBe(400);
    expect(
      (
        await h.json(`${C}/${c.campaignId}/generate-messages`, {
          body: { action: "generate_ai", node_id: c.aiNodeId },
        })
      ).status,
    ).toBe(400);
    expect(h.emu.getGeneratedMessages(c.campaignId)).toEqual([]);
    h.emu.settings.draftRuleStatus = 422;
    try {
      expect(
        (await h.json(`${C}/${c.campaignId}/generate-messages`, { body: { action: "resolve" } }))
          .status,
      ).toBe(422);
    } finally {
      h.emu.settings.draftRuleStatus = 400;
    }
  });

  it("generate_ai: 402 before anything changes; with credits it charges 2 per prospect after queueing", async () => {
    const c = campaign();
    await h.json(`${C}/${c.campaignId}/generate-messages`, { body: { action: "resolve" } });
    const s = await h.json<{ session: { id: string } }>(S, {
      body: { campaign_id: c.campaignId, node_id: c.aiNodeId },
    });
    await h.json(`${S}/${s.body.session.id}`, {
      method: "PATCH",
      body: { generated_examples: [{ lead_name: "Grace Hopper", subject: "old", body: "old" }] },
    });
    await h.json(`${C}/${c.campaignId}/generate-messages`, { body: { action: "resolve" } });
    const before = h.emu.getGeneratedMessages(c.campaignId);
    h.emu.setCredits(5);
    const poor = await h.json(`${C}/${c.campaignId}/generate-messages`, {
      body: { action: "generate_ai", node_id: c.aiNodeId },
    });
    expect(poor.status).toBe(402);
    expect(h.emu.credits()).toBe(5);
    await h.emu.finishTasks();
    expect(h.emu.getGeneratedMessages(c.campaignId)).toEqual(before);
    expect(h.emu.ledger.campaignWrites.filter((w) => w.operation === "generateAi")).toEqual([]);

    h.emu.setCredits(100);
    const grace = c.leads[1]?.id as string;
    const one = await h.json(`${C}/${c.campaignId}/generate-messages`, {
      body: { action: "generate_ai", node_id: c.aiNodeId, prospect_ids: [grace] },
    });
    expect(one.status).toBe(200);
    expect(h.emu.credits()).toBe(98);
    // The existing draft for (node, prospect) was deleted first, then the task writes a fresh one.
    expect(
      h.emu
        .getGeneratedMessages(c.campaignId)
        .some((m) => m.node_id === c.aiNodeId && m.prospect_id === grace),
    ).toBe(false);
    await h.emu.finishTasks();
    const fresh = h.emu
      .getGeneratedMessages(c.campaignId)
      .find((m) => m.node_id === c.aiNodeId && m.prospect_id === grace);
    expect(fresh?.subject).not.toBe("old");
    expect(h.emu.ledger.campaignWrites.filter((w) => w.operation === "generateAi")).toEqual([
      expect.objectContaining({ nodeId: c.aiNodeId, rows: 1, credits: 2 }),
    ]);
    expect(
      (
        await h.json(`${C}/${c.campaignId}/generate-messages`, {
          body: { action: "generate_ai", node_id: c.emailId },
        })
      ).status,
    ).toBe(400);
    h.emu.setCredits(100);
  });

  it("400 for a bad body: unknown action, extra keys, missing node_id, bad prospect ids", async () => {
    const c = campaign();
    for (const body of [
      {},
      { action: "launch" },
      { action: "resolve", node_id: c.aiNodeId },
      { action: "generate_ai" },
      { action: "generate_ai", node_id: c.aiNodeId, prospect_ids: ["x"] },
      { action: "generate_ai", node_id: c.aiNodeId, prospect_ids: [] },
    ]) {
      const res = await h.json(`${C}/${c.campaignId}/generate-messages`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(h.emu.ledger.campaignWrites).toEqual([]);
  });
});

describe("GET and PATCH /api/campaigns/{id}/generate-messages", () => {
  it("lists drafts by default; status=all, sent, prospect_id filter; 400 for a bad status", async () => {
    const c = campaign();
    await h.json(`${C}/${c.campaignId}/generate-messages`, { body: { action: "resolve" } });
    const [first] = h.emu.getGeneratedMessages(c.campaignId);
    h.emu.setGeneratedMessage(first?.id as string, { status: "sent" });
    const list = async (q: string) =>
      (await h.json<{ messages: { id: string }[] }>(`${C}/${c.campaignId}/generate-messages${q}`))
        .body.messages.length;
    expect(await list("")).toBe(2);
    expect(await list("?status=all")).toBe(3);
    expect(await list("?status=sent")).toBe(1);
    expect(await list(`?status=all&prospect_id=${c.leads[1]?.id}`)).toBe(1);
    expect((await h.json(`${C}/${c.campaignId}/generate-messages?status=open`)).status).toBe(400);
    expect((await h.json(`${C}/${c.campaignId}/generate-messages?prospect_id=x`)).status).toBe(400);
  });

  it("edits only drafts (sent: 400, inferred); unknown message: 404; bad body: 400", async () => {
    const c = campaign();
    await h.json(`${C}/${c.campaignId}/generate-messages`, { body: { action: "resolve" } });
    const [sent] = h.emu.getGeneratedMessages(c.campaignId);
    h.emu.setGeneratedMessage(sent?.id as string, { status: "sent" });
    const url = `${C}/${c.campaignId}/generate-messages`;
    expect(
      (await h.json(url, { method: "PATCH", body: { message_id: sent?.id, subject: "x" } })).status,
    ).toBe(400);
    expect((await h.json(url, { method: "PATCH", body: { message_id: "nope" } })).status).toBe(404);
    expect((await h.json(url, { method: "PATCH", body: { message_id: "" } })).status).toBe(400);
    expect(
      (await h.json(url, { method: "PATCH", body: { message_id: sent?.id, status: "draft" } }))
        .status,
    ).toBe(400);
    expect(h.emu.getGeneratedMessages(c.campaignId)[0]?.subject).toBe(sent?.subject);
  });
});

describe("strict request validation on the session routes (the cases measured with Prism)", () => {
  it("PATCH session: wrongly shaped nested values are 400 and nothing is stored", async () => {
    const id = await h.createSession();
    for (const body of [
      { messages: [{}] },
      { skeleton: { blocks: "x" } },
      { skeleton_history: [1] },
      { generated_examples: [{ x: 1 }] },
      { framework_version: -1 },
      { title: "x", unknown: 1 },
    ]) {
      const res = await h.json(`${S}/${id}`, { method: "PATCH", body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(h.emu.getSession(id)).toMatchObject({
      messages: null,
      skeleton: null,
      skeleton_history: null,
      generated_examples: null,
      title: null,
    });
  });

  it("create, turn, generate-examples and generate-content refuse unknown keys and wrong nested types", async () => {
    const id = await h.createSession();
    const { campaignId, nodeId } = h.emu.demo;
    const cases: Array<[string, unknown]> = [
      [S, { campaign_id: campaignId, node_id: nodeId, extra: 1 }],
      [`${S}/${id}/turn`, { message: "hi", sampleLeads: [{ first_name: 1 }] }],
      [`${S}/${id}/turn`, { message: "hi", sequenceContext: { position: -1 } }],
      [`${S}/${id}/turn`, { message: "hi", available_var_names: [] }],
      [`${S}/${id}/turn`, { message: "" }],
      [`${S}/${id}/generate-examples`, { leads: [{ company: 2 }] }],
      [`${S}/${id}/generate-examples`, { leads: [{}], extra: true }],
      [
        `${C}/${campaignId}/generate-content`,
        { node_id: nodeId, message: "x", sample_leads: [{ email: 3 }] },
      ],
      [
        `${C}/${campaignId}/generate-content`,
        { node_id: nodeId, message: "x", sequence_context: { total_nodes: 1.5 } },
      ],
    ];
    for (const [path, body] of cases) {
      const res = await h.json(path, { body });
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
    }
    expect(h.emu.ledger.dispatches).toEqual([]);
  });

  it("accepts what the contract accepts: a one-space message is a turn", async () => {
    const id = await h.createSession();
    const res = await h.json(`${S}/${id}/turn`, { body: { message: " " } });
    expect(res.status).toBe(200);
    await h.waitIdle(id);
  });
});

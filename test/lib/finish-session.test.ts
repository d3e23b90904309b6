// finishSession over real HTTP against the emulator: an email node, an AI node, every refusal,
// and a lost answer on each write (the SDK's observable outcome and what the server really did).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FinishSessionError, PuffleClient, type Session } from "../../src/index";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";

let server: ListeningEmulator;
let emu: Emulator;
let puffle: PuffleClient;

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 50 }).listen();
  emu = server.emulator;
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  emu.faults.clear();
  emu.ledger.reset();
  puffle = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    logLevel: "off",
    retryDelay: 5,
    retryMaxDelay: 20,
  });
});

const SUBJECT = "Quick question, %first_name%";
const BODY = "Hi %first_name%,\n\nHow does %company% plan outreach this quarter?\n\nBest,\nSam";

/** A fresh draft email campaign: email → delay → ai → end, three prospects. */
async function emailCampaign() {
  const { campaignId, nodeId: aiNodeId } = emu.addCampaign({ name: `c-${Math.random()}` });
  const nodeId = emu.addNode(campaignId, { type: "email", subject: "", body: "" });
  const delayNodeId = emu.addNode(campaignId, { type: "delay", delay_days: 2 });
  const endNodeId = emu.addNode(campaignId, { type: "end" });
  // addCampaign made the ai node first: put the email first (a real sequence write).
  await puffle.updateCampaign(campaignId, {
    sequence_nodes: [{ id: nodeId }, { id: delayNodeId }, { id: aiNodeId }, { id: endNodeId }],
  });
  emu.ledger.reset();
  const prospects = ["Ada Lovelace", "Grace Hopper", "Alan Turing"].map((name) => {
    const [first_name, last_name] = name.split(" ") as [string, string];
    return emu.addLead(campaignId, { first_name, last_name, company: `${last_name} Inc` });
  });
  return { campaignId, nodeId, delayNodeId, endNodeId, aiNodeId, prospects };
}

async function sessionWithDraft(
  campaignId: string,
  nodeId: string,
  draft: { subject?: string; body?: string } = {},
): Promise<Session> {
  const session = await puffle.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId });
  return puffle.updateSession(session.id, {
    draft_subject: draft.subject ?? SUBJECT,
    draft_body: draft.body ?? BODY,
  });
}

async function refusal(promise: Promise<unknown>): Promise<FinishSessionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FinishSessionError))
    throw new Error(`expected a FinishSessionError, got ${String(error)}`);
  return error;
}

describe("finishSession on an email node", () => {
  it("copies the draft verbatim with the single-node PUT, checks it, and resolves every prospect", async () => {
    const c = await emailCampaign();
    const session = await sessionWithDraft(c.campaignId, c.nodeId);
    const result = await puffle.finishSession(session.id);

    expect(result.copied).toBe(true);
    expect(result.via).toBe("updateSequenceNode");
    expect(result.node).toMatchObject({ id: c.nodeId, subject: SUBJECT, body: BODY });
    expect(result.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual([
      "read-session:done",
      "read-campaign:done",
      "find-node:done",
      "lint:done",
      "copy:done",
      "verify:done",
      "resolve:done",
    ]);
    // Stored verbatim on the server, %variables% untouched.
    const stored = emu.getNodes(c.campaignId).find((n) => n.id === c.nodeId);
    expect(stored).toMatchObject({ subject: SUBJECT, body: BODY });
    // One draft per prospect for this node, variables resolved.
    expect(result.nodeMessages).toHaveLength(3);
    const ada = result.nodeMessages.find((m) => m.prospect_id === c.prospects[0]?.id);
    expect(ada).toMatchObject({
      subject: "Quick question, Ada",
      status: "draft",
      manually_edited: false,
    });
    expect(ada?.body_text).toContain("How does Lovelace Inc plan outreach");
    expect(emu.ledger.campaignWrites.map((w) => w.operation)).toEqual(["updateNode", "resolve"]);
  });

  it('via: "updateCampaign" does the whole-sequence PATCH: every node, end included, ids kept, read back', async () => {
    const c = await emailCampaign();
    const before = emu.getNodes(c.campaignId);
    const session = await sessionWithDraft(c.campaignId, c.nodeId);
    const result = await puffle.finishSession(session.id, { via: "updateCampaign" });
    expect(result.via).toBe("updateCampaign");
    expect(result.copied).toBe(true);
    const after = emu.getNodes(c.campaignId);
    expect(after.map((n) => [n.id, n.type, n.position])).toEqual(
      before.map((n, i) => [n.id, n.type, i]),
    );
    expect(after.find((n) => n.id === c.nodeId)).toMatchObject({ subject: SUBJECT, body: BODY });
    expect(after.find((n) => n.id === c.delayNodeId)?.delay_days).toBe(2);
    expect(emu.ledger.campaignWrites.map((w) => w.operation)).toEqual([
      "updateCampaign",
      "resolve",
    ]);
    expect(result.steps.find((s) => s.step === "verify")?.outcome).toBe("done");
  });

  it("refuses a draft with an unfilled &&instruction&& block, writing nothing; allowed when told", async () => {
    const c = await emailCampaign();
    const session = await sessionWithDraft(c.campaignId, c.nodeId, {
      body: "Hi %first_name%, &&mention their latest funding round&& Worth a chat?",
    });
    const error = await refusal(puffle.finishSession(session.id));
    expect(error.reason).toBe("draft-lint");
    expect(error.lintIssues?.map((i) => i.code)).toEqual(["unfilled-instruction"]);
    expect(error.steps.at(-1)).toMatchObject({ step: "lint", outcome: "refused" });
    expect(emu.ledger.campaignWrites).toEqual([]);
    expect(emu.getNodes(c.campaignId).find((n) => n.id === c.nodeId)?.body).toBe("");

    const allowed = await puffle.finishSession(session.id, { lint: { instructions: "off" } });
    expect(allowed.node.body).toContain("&&mention their latest funding round&&");
  });

  it("resolve: false stops after the copy; lint: false skips the lint (and says so)", async () => {
    const c = await emailCampaign();
    const session = await sessionWithDraft(c.campaignId, c.nodeId, { body: "Hi — %first_name%" });
    const result = await puffle.finishSession(session.id, { resolve: false, lint: false });
    expect(result.copied).toBe(true);
    expect(result.resolved).toBe(false);
    expect(result.messages).toEqual([]);
    expect(result.steps.filter((s) => s.outcome === "skipped").map((s) => s.step)).toEqual([
      "lint",
      "resolve",
    ]);
    expect(emu.ledger.campaignWrites.map((w) => w.operation)).toEqual(["updateNode"]);
    expect(emu.getGeneratedMessages(c.campaignId)).toEqual([]);
  });

  it("a deadline spans the whole call (every request shares it)", async () => {
    const c = await emailCampaign();
    const session = await sessionWithDraft(c.campaignId, c.nodeId);
    emu.faults.inject({ operation: "updateNode", kind: "delay", delayMs: 2_000 });
    const error = await puffle.finishSession(session.id, { deadline: 300, maxRetries: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(emu.ledger.requests.generateMessages).toBe(0);
  });

  it("refuses an empty draft", async () => {
    const c = await emailCampaign();
    const session = await puffle.getOrCreateSession({
      campaign_id: c.campaignId,
      node_id: c.nodeId,
    });
    const error = await refusal(puffle.finishSession(session.id));
    expect(error.reason).toBe("draft-missing");
    expect(emu.ledger.campaignWrites).toEqual([]);
  });
});

describe("finishSession on an AI node", () => {
  it("writes nothing onto the node and resolves the session's examples onto prospects by normalised name", async () => {
    const { campaignId, nodeId, prospects } = emu.demo.aiCampaign;
    const session = await puffle.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId });
    // Extra keys are allowed on examples; the emulator matches by `lead_name` (its inferred choice).
    const examples = [
      { lead_id: null, lead_name: "Ada Lovelace", subject: "For Ada", body: "Hi Ada" },
      { lead_id: null, lead_name: "  jose   ALVAREZ ", subject: "Para José", body: "Hola José" },
      { lead_id: null, lead_name: "Nobody Here", subject: "Unmatched", body: "x" },
    ];
    await puffle.updateSession(session.id, {
      draft_subject: "Ignored for ai nodes",
      draft_body: "&&opener&&",
      generated_examples: examples,
    });
    const nodeBefore = emu.getNodes(campaignId).find((n) => n.id === nodeId);
    const result = await puffle.finishSession(session.id);
    expect(result.copied).toBe(false);
    expect(result.via).toBeNull();
    expect(result.steps.find((s) => s.step === "copy")).toMatchObject({ outcome: "skipped" });
    expect(emu.getNodes(campaignId).find((n) => n.id === nodeId)).toEqual(nodeBefore);
    expect(emu.ledger.campaignWrites.map((w) => w.operation)).toEqual(["resolve"]);
    const byProspect = Object.fromEntries(
      result.nodeMessages.map((m) => [m.prospect_id, m.subject]),
    );
    expect(byProspect).toEqual({
      [prospects[0]?.id as string]: "For Ada",
      [prospects[3]?.id as string]: "Para José",
    });
  });

  it("refuses an AI node whose session has no generated examples", async () => {
    const { campaignId, nodeId } = emu.addCampaign();
    const session = await puffle.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId });
    const error = await refusal(puffle.finishSession(session.id));
    expect(error.reason).toBe("no-examples");
    expect(emu.ledger.campaignWrites).toEqual([]);
  });
});

describe("finishSession refusals", () => {
  it("a non-draft campaign: refused before any write", async () => {
    const c = await emailCampaign();
    const session = await sessionWithDraft(c.campaignId, c.nodeId);
    emu.setCampaignStatus(c.campaignId, "active");
    const error = await refusal(puffle.finishSession(session.id));
    expect(error.reason).toBe("campaign-not-draft");
    expect(error.message).toContain("active");
    expect(emu.ledger.campaignWrites).toEqual([]);
  });

  it("a missing node (deleted after the session was created): refused", async () => {
    const c = await emailCampaign();
    const session = await sessionWithDraft(c.campaignId, c.nodeId);
    await puffle.updateCampaign(c.campaignId, {
      sequence_nodes: [{ id: c.delayNodeId }, { id: c.aiNodeId }, { id: c.endNodeId }],
    });
    emu.ledger.reset();
    const error = await refusal(puffle.finishSession(session.id));
    expect(error.reason).toBe("node-missing");
    expect(error.nodeId).toBe(c.nodeId);
    expect(emu.ledger.campaignWrites).toEqual([]);
  });

  it("a busy session: refused, nothing read beyond the session", async () => {
    const c = await emailCampaign();
    const session = await sessionWithDraft(c.campaignId, c.nodeId);
    await puffle.updateSession(session.id, { task_status: "chat_processing" });
    const error = await refusal(puffle.finishSession(session.id));
    expect(error.reason).toBe("session-busy");
    expect(error.message).toContain("chat_processing");
    expect(emu.ledger.requests.getCampaign).toBe(0);
    expect(emu.ledger.campaignWrites).toEqual([]);
  });

  it("a node that is neither email nor ai: refused with a clear reason", async () => {
    const c = await emailCampaign();
    const session = await puffle.getOrCreateSession({
      campaign_id: c.campaignId,
      node_id: c.delayNodeId,
    });
    const error = await refusal(puffle.finishSession(session.id));
    expect(error.reason).toBe("node-type-unsupported");
    expect(error.message).toContain('"delay"');
  });

  it("bad options are refused before anything is sent", async () => {
    const c = await emailCampaign();
    const session = await sessionWithDraft(c.campaignId, c.nodeId);
    emu.ledger.reset();
    await expect(
      puffle.finishSession(session.id, { via: "patch" as never, resolve: "yes" as never }),
    ).rejects.toThrow(/via must be .*resolve must be a boolean/);
    await expect(puffle.finishSession("not-a-uuid")).rejects.toThrow(/sessionId/);
    expect(emu.ledger.requests.get).toBe(0);
  });
});

describe("finishSession with a lost answer on each write", () => {
  it("the PUT's answer is lost: it is sent again (same values), and the result is verified", async () => {
    const c = await emailCampaign();
    const session = await sessionWithDraft(c.campaignId, c.nodeId);
    emu.faults.inject({ operation: "updateNode", kind: "dropAfter" });
    const result = await puffle.finishSession(session.id);
    expect(result.copied).toBe(true);
    expect(emu.ledger.requests.updateNode).toBe(2);
    expect(emu.getNodes(c.campaignId).find((n) => n.id === c.nodeId)).toMatchObject({
      subject: SUBJECT,
      body: BODY,
    });
  });

  it("resolve's answer is lost: re-run (an idempotent upsert), no duplicate rows", async () => {
    const c = await emailCampaign();
    const session = await sessionWithDraft(c.campaignId, c.nodeId);
    emu.faults.inject({ operation: "generateMessages", kind: "dropAfter" });
    const result = await puffle.finishSession(session.id);
    expect(emu.ledger.requests.generateMessages).toBe(2);
    expect(result.nodeMessages).toHaveLength(3);
    expect(emu.getGeneratedMessages(c.campaignId)).toHaveLength(3);
  });

  it("the whole-sequence PATCH's answer is lost after it was stored: read back, not sent again", async () => {
    const c = await emailCampaign();
    const session = await sessionWithDraft(c.campaignId, c.nodeId);
    emu.faults.inject({ operation: "updateCampaign", kind: "dropAfter" });
    const result = await puffle.finishSession(session.id, { via: "updateCampaign" });
    expect(result.copied).toBe(true);
    expect(emu.ledger.requests.updateCampaign).toBe(1);
    expect(result.steps.find((s) => s.step === "copy")?.detail).toMatch(/answer lost/);
  });

  it("the whole-sequence PATCH is lost before the server acted: read back, then sent once more", async () => {
    const c = await emailCampaign();
    const session = await sessionWithDraft(c.campaignId, c.nodeId);
    emu.faults.inject({ operation: "updateCampaign", kind: "dropBefore" });
    const result = await puffle.finishSession(session.id, { via: "updateCampaign" });
    expect(result.copied).toBe(true);
    expect(emu.ledger.requests.updateCampaign).toBe(2);
    expect(emu.ledger.campaignWrites.filter((w) => w.operation === "updateCampaign")).toHaveLength(
      1,
    );
  });
});

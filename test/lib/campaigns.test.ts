// The campaign methods over real HTTP against the emulator: results, typed errors for what the
// server refuses, and faults (a lost answer, a gateway error) with the SDK's observable outcome.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BadRequestError,
  ConflictError,
  GenerateMessagesUnknownError,
  InsufficientCreditsError,
  NotFoundError,
  PuffleClient,
} from "../../src/index";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";

let server: ListeningEmulator;
let emu: Emulator;
let puffle: PuffleClient;

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 30 }).listen();
  emu = server.emulator;
});
afterAll(() => server.close());
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

const fails = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe("campaign methods against the emulator", () => {
  it("getCampaign / updateSequenceNode / resolve / list / edit, end to end", async () => {
    const { campaignId, nodeId, followUpNodeId, prospects } = emu.demo.emailCampaign;
    const detail = await puffle.getCampaign(campaignId);
    expect(detail.sequence_nodes.map((n) => n.type)).toEqual(["email", "delay", "email", "end"]);
    const node = await puffle.updateSequenceNode(campaignId, nodeId, {
      subject: "Hi %first_name%",
      body: "Hello %first_name% from %company%",
    });
    expect(node).toMatchObject({ id: nodeId, subject: "Hi %first_name%", ai_node: null });
    const resolved = await puffle.generateCampaignMessages(campaignId, { action: "resolve" });
    expect("messages" in resolved && resolved.messages).toHaveLength(prospects.length);
    const list = await puffle.listGeneratedMessages(campaignId, {
      prospect_id: prospects[0]?.id as string,
    });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ subject: "Hi Ada", node_id: nodeId });
    const edited = await puffle.updateGeneratedMessage(campaignId, {
      message_id: list[0]?.id as string,
      body_text: "By hand",
    });
    expect(edited).toMatchObject({ body_text: "By hand", manually_edited: true });
    // The follow-up has no body yet: nothing to resolve for it.
    expect(
      (await puffle.listGeneratedMessages(campaignId)).some((m) => m.node_id === followUpNodeId),
    ).toBe(false);
  });

  it("typed errors: 404 not yours, 400 not a draft, 409 duplicate name, 402 no credits", async () => {
    expect(
      (await fails(puffle.getCampaign(emu.demo.otherUser.campaignId))) instanceof NotFoundError,
    ).toBe(true);
    const active = await fails(
      puffle.updateSequenceNode(emu.demo.activeCampaignId, emu.demo.activeNodeId, {
        ai_node: { purpose: "x" },
      }),
    );
    expect(active instanceof BadRequestError).toBe(true);
    const dup = await fails(
      puffle.updateCampaign(emu.demo.aiCampaign.campaignId, { name: "Email launch" }),
    );
    expect(dup instanceof ConflictError).toBe(true);
    emu.setCredits(0);
    const poor = await fails(
      puffle.generateCampaignMessages(emu.demo.aiCampaign.campaignId, {
        action: "generate_ai",
        node_id: emu.demo.aiCampaign.nodeId,
      }),
    );
    expect(poor instanceof InsufficientCreditsError).toBe(true);
    emu.setCredits(100);
    expect(emu.ledger.campaignWrites).toEqual([]);
  });

  it("generate_ai whose answer is lost is not sent again (paid): one charge, the error surfaces", async () => {
    const { campaignId, nodeId, prospects } = emu.demo.aiCampaign;
    emu.faults.inject({ operation: "generateMessages", kind: "dropAfter" });
    const error = await fails(
      puffle.generateCampaignMessages(campaignId, { action: "generate_ai", node_id: nodeId }),
    );
    expect(error instanceof GenerateMessagesUnknownError).toBe(true);
    expect(emu.ledger.requests.generateMessages).toBe(1);
    expect(emu.ledger.campaignWrites).toEqual([
      expect.objectContaining({ operation: "generateAi", credits: 2 * prospects.length }),
    ]);
    await emu.finishTasks();
    emu.setCredits(100);
  });

  it("a whole-sequence PATCH answered by an HTML 502: read back, then sent once more", async () => {
    const { campaignId, nodeId, delayNodeId, followUpNodeId, endNodeId } = emu.demo.emailCampaign;
    emu.faults.inject({ operation: "updateCampaign", kind: "html502" });
    await puffle.updateCampaign(campaignId, {
      sequence_nodes: [
        { id: nodeId },
        { id: delayNodeId, delay_days: 5 },
        { id: followUpNodeId },
        { id: endNodeId },
      ],
    });
    expect(emu.ledger.requests.updateCampaign).toBe(2);
    expect(emu.ledger.requests.getCampaign).toBe(1);
    expect(emu.getNodes(campaignId).find((n) => n.id === delayNodeId)?.delay_days).toBe(5);
  });
});

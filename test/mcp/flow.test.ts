/**
 * The whole flow through the MCP tools, end to end against the emulator over real HTTP, with a
 * client of each SDK line: campaign → session → turns → draft → examples → finish (with confirm),
 * judged by the emulator's ledger (one dispatch per intended turn, a repeated call included) and
 * a secret canary over every answer and log line.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { McpRoute } from "../../src/mcp/index";
import { demoLeads, type Rig, startRig, type TestClient, textOf } from "./helpers";

let rig: Rig;
let route: McpRoute;
const consoleLines: string[] = [];

beforeAll(async () => {
  rig = await startRig(300);
  route = rig.route({ progressIntervalMs: 100 });
  for (const level of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      consoleLines.push(args.map(String).join(" "));
    });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await route?.close();
  await rig?.server.close();
  rig.logged.push(...consoleLines);
  rig.expectNoSecrets();
});

const clients: [string, (r: McpRoute) => Promise<TestClient>][] = [
  ["v2 client (2025 handshake)", (r) => rig.v2(r, "legacy")],
  ["v2 client (2026-07-28)", (r) => rig.v2(r, "auto")],
  ["v1 client", (r) => rig.v1(r)],
];

describe.each(clients)("the flow with the %s", (_label, connect) => {
  it("drafts an email: campaign, session, two turns, draft, examples, finish with confirm", async () => {
    const { emulator } = rig.server;
    const { campaignId, nodeId } = emulator.demo.aiCampaign;
    const mcp = await connect(route);
    try {
      const campaign = await mcp.call("puffle_get_campaign", { campaign_id: campaignId });
      expect(campaign.isError, textOf(campaign)).toBeFalsy();
      const node = campaign.structuredContent.nodes.find(
        (n: { node_id: string }) => n.node_id === nodeId,
      );
      expect(node.type).toBe("ai");

      const started = await mcp.call("puffle_start_session", {
        campaign_id: campaignId,
        node_id: nodeId,
      });
      const sessionId: string = started.structuredContent.session_id;
      const again = await mcp.call("puffle_start_session", {
        campaign_id: campaignId,
        node_id: nodeId,
      });
      expect(again.structuredContent.session_id).toBe(sessionId);
      const before = emulator.ledger.turns(sessionId);
      const exampleRuns = () =>
        emulator.ledger.dispatches.filter(
          (d) => d.sessionId === sessionId && d.operation === "generateExamples",
        ).length;
      const examplesBefore = exampleRuns();

      let progress = 0;
      const first = await mcp.call(
        "puffle_send_turn",
        { session_id: sessionId, message: `Intro email for VPs of Sales (${_label})` },
        () => progress++,
      );
      expect(first.isError, textOf(first)).toBeFalsy();
      expect(first.structuredContent).toMatchObject({
        status: "done",
        repeated: false,
        task_status: null,
      });
      expect(first.structuredContent.reply).toEqual(expect.any(String));
      expect(progress).toBeGreaterThan(0);
      const second = await mcp.call("puffle_send_turn", {
        session_id: sessionId,
        message: "Shorter, and mention SOC 2",
      });
      expect(second.structuredContent.status).toBe("done");
      // The agent repeats its last call (as after a client timeout): that turn's outcome, unpaid.
      const repeated = await mcp.call("puffle_send_turn", {
        session_id: sessionId,
        message: "Shorter, and mention SOC 2",
      });
      expect(repeated.structuredContent).toMatchObject({ status: "done", repeated: true });
      expect(repeated.structuredContent.reply).toBe(second.structuredContent.reply);
      expect(emulator.ledger.turns(sessionId) - before).toBe(2);

      const draft = await mcp.call("puffle_get_draft", { session_id: sessionId });
      expect(draft.isError, textOf(draft)).toBeFalsy();
      expect(draft.structuredContent.transcript.total).toBeGreaterThanOrEqual(4);
      expect(draft.structuredContent.lint).not.toBeUndefined();

      const examples = await mcp.call("puffle_generate_examples", {
        session_id: sessionId,
        leads: demoLeads(rig),
      });
      expect(examples.isError, textOf(examples)).toBeFalsy();
      expect(examples.structuredContent).toMatchObject({ status: "done", joined: false });
      expect(examples.structuredContent.examples.total).toBe(3);

      const refused = await mcp.call("puffle_finish_session", {
        session_id: sessionId,
        confirm: false,
      });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/confirm_required.*confirm: true/);
      const finished = await mcp.call("puffle_finish_session", {
        session_id: sessionId,
        confirm: true,
      });
      expect(finished.isError, textOf(finished)).toBeFalsy();
      expect(finished.structuredContent.resolved).toBe(true);
      expect(finished.structuredContent.steps.map((s: { step: string }) => s.step)).toContain(
        "resolve",
      );
      // One dispatch per intended turn, one example run: nothing paid twice.
      expect(emulator.ledger.turns(sessionId) - before).toBe(2);
      expect(exampleRuns() - examplesBefore).toBe(1);
    } finally {
      await mcp.close();
    }
  }, 120_000);
});

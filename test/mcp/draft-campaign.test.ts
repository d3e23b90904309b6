/**
 * `puffle_draft_campaign`: `draftCampaign` in the background, bounded per call; a repeated call
 * joins the run going, `puffle_get_campaign` reports its progress, a call after it ended resumes
 * and sends nothing it had sent; a campaign that is not a draft is refused. Judged by the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { McpRoute } from "../../src/mcp/index";
import { type Rig, startRig, textOf } from "./helpers";

let rig: Rig;
let route: McpRoute;

beforeAll(async () => {
  rig = await startRig(400);
  route = rig.route({ maxWaitMs: 300, progressIntervalMs: 100 });
});
afterAll(async () => {
  await route?.close();
  await rig?.server.close();
  rig.expectNoSecrets();
});

const brief = "Intro to VPs of Sales about our forecasting tool. Goal: a 20 minute call.";

describe("puffle_draft_campaign", () => {
  it("drafts in the background: running, joined by a repeat, followed with get_campaign, resumed", async () => {
    const { campaignId } = rig.server.emulator.demo;
    const mcp = await rig.v2(route, "auto");
    try {
      const first = await mcp.call("puffle_draft_campaign", { campaign_id: campaignId, brief });
      expect(first.isError, textOf(first)).toBeFalsy();
      expect(first.structuredContent).toMatchObject({ status: "running", joined: false });
      const repeat = await mcp.call("puffle_draft_campaign", { campaign_id: campaignId, brief });
      expect(repeat.structuredContent.joined).toBe(true);
      let drafting: { status: string; nodes: { status: string }[] } | undefined;
      for (let i = 0; i < 300; i++) {
        const campaign = await mcp.call("puffle_get_campaign", { campaign_id: campaignId });
        drafting = campaign.structuredContent.drafting;
        expect(drafting).not.toBeNull();
        if (drafting?.status !== "running") break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(drafting?.status).toBe("done");
      expect(drafting?.nodes.length).toBeGreaterThanOrEqual(3);
      const turns = rig.server.emulator.ledger.dispatches.filter(
        (d) => d.operation === "turn",
      ).length;
      expect(turns).toBeGreaterThanOrEqual(3);
      // Ended: the next call starts a run again, which resumes and has nothing left to send.
      const again = await mcp.call("puffle_draft_campaign", { campaign_id: campaignId, brief });
      expect(again.structuredContent.joined).toBe(false);
      for (let i = 0; i < 300 && again.structuredContent.status === "running"; i++) {
        const c = await mcp.call("puffle_get_campaign", { campaign_id: campaignId });
        if (c.structuredContent.drafting.status !== "running") break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await rig.server.emulator.finishTasks();
      expect(
        rig.server.emulator.ledger.dispatches.filter((d) => d.operation === "turn").length,
      ).toBe(turns);
    } finally {
      await mcp.close();
    }
  }, 120_000);

  it("refuses a campaign that is not a draft, and read-only leaves it out", async () => {
    const mcp = await rig.v1(route);
    try {
      const refused = await mcp.call("puffle_draft_campaign", {
        campaign_id: rig.server.emulator.demo.activeCampaignId,
        brief,
      });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/draft_refused.*campaign-not-draft/);
    } finally {
      await mcp.close();
    }
    const readOnly = rig.route({ readOnly: true });
    const ro = await rig.v1(readOnly);
    try {
      expect((await ro.listTools()).tools.map((t) => t.name)).not.toContain(
        "puffle_draft_campaign",
      );
    } finally {
      await ro.close();
      await readOnly.close();
    }
  });
});

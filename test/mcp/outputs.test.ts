/**
 * Outputs stay small: a long draft, transcript message or example is trimmed with a marker that
 * says how much was shown and how to read the rest; lists come a page at a time with their total
 * and the next offset, so a cut list is never taken for all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { McpRoute } from "../../src/mcp/index";
import { type Rig, startRig } from "./helpers";

let rig: Rig;
let route: McpRoute;
let sessionId: string;
const LONG = "Hi %first_name%, ".repeat(400); // 6 800 characters

beforeAll(async () => {
  rig = await startRig();
  route = rig.route();
  const { campaignId, nodeId } = rig.server.emulator.demo;
  sessionId = (await rig.puffle.createSession({ campaign_id: campaignId, node_id: nodeId })).id;
  await rig.puffle.updateSession(sessionId, {
    draft_subject: "Quick question, %first_name%",
    draft_body: LONG,
    messages: Array.from({ length: 10 }, (_, i) => ({
      role: i % 2 === 0 ? "user" : "assistant",
      content: i === 9 ? LONG : `message ${i}`,
    })),
    generated_examples: Array.from({ length: 5 }, (_, i) => ({
      lead_id: `lead-${i}`,
      subject: `Subject ${i}`,
      body: i === 0 ? LONG : `Body ${i}`,
    })),
  });
});
afterAll(async () => {
  await route?.close();
  await rig?.server.close();
  rig.expectNoSecrets(3);
});

describe("puffle_get_draft", () => {
  it("trims long texts with a marker, pages the transcript (last 6) and the examples (3)", async () => {
    const mcp = await rig.v2(route);
    try {
      const { structuredContent: d } = await mcp.call("puffle_get_draft", {
        session_id: sessionId,
      });
      expect(d.body).toMatch(
        /… \[trimmed: 2000 of 6800 characters shown; call puffle_get_draft with a larger max_chars\]$/,
      );
      expect(d.transcript).toMatchObject({ total: 10, offset: 4, next_offset: null });
      expect(d.transcript.items.map((m: { index: number }) => m.index)).toEqual([4, 5, 6, 7, 8, 9]);
      expect(d.transcript.items.at(-1).content).toMatch(/\[trimmed: 2000 of 6800/);
      expect(d.examples).toMatchObject({ total: 5, offset: 0, next_offset: 3 });
      expect(d.examples.items).toHaveLength(3);
      expect(JSON.stringify(d).length).toBeLessThan(12_000);

      const more = await mcp.call("puffle_get_draft", {
        session_id: sessionId,
        examples_offset: 3,
        transcript_offset: 0,
        max_chars: 20_000,
      });
      expect(more.structuredContent.body).toBe(LONG);
      expect(more.structuredContent.examples).toMatchObject({
        total: 5,
        offset: 3,
        next_offset: null,
      });
      expect(more.structuredContent.transcript).toMatchObject({ offset: 0, next_offset: 6 });
    } finally {
      await mcp.close();
    }
  });

  it("the turn outcome trims the body too and points to puffle_get_draft", async () => {
    const mcp = await rig.v1(route);
    try {
      const idle = await mcp.call("puffle_wait_for_idle", { session_id: sessionId });
      expect(idle.structuredContent.draft_body).toMatch(
        /\[trimmed: 1500 of 6800 characters shown; call puffle_get_draft/,
      );
      expect(idle.structuredContent.examples).toBe(5);
    } finally {
      await mcp.close();
    }
  });
});

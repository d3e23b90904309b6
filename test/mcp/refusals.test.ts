/**
 * Bad input from a model is normal input: wrong ids, missing or unknown arguments, a session of
 * another campaign, finishing without confirm, examples without a skeleton; each is an `isError`
 * result saying what to do next, never a protocol error, and nothing is sent. Then the scoping:
 * `readOnly`, a pinned campaign, the tool filter, and `authorize` over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/index";
import { createMcpRoute, createMcpServerFactory, type McpRoute } from "../../src/mcp/index";
import { demoLeads, type Rig, startRig, textOf } from "./helpers";

let rig: Rig;
let route: McpRoute;
let sessionId: string;

beforeAll(async () => {
  rig = await startRig(300);
  route = rig.route();
  const { campaignId, nodeId } = rig.server.emulator.demo;
  sessionId = (await rig.puffle.createSession({ campaign_id: campaignId, node_id: nodeId })).id;
});
afterAll(async () => {
  await route?.close();
  await rig?.server.close();
  rig.expectNoSecrets();
});

/** Everything the emulator was asked to do that costs or writes. */
const writes = () => {
  const r = rig.server.emulator.ledger.requests;
  return (
    r.turn +
    r.generateExamples +
    r.create +
    r.update +
    r.updateNode +
    r.updateCampaign +
    r.generateMessages
  );
};

describe("bad input is a tool result with isError and what to do next", () => {
  const cases: [
    string,
    string,
    Record<string, unknown> | (() => Record<string, unknown>),
    RegExp,
  ][] = [
    [
      "a missing argument",
      "puffle_send_turn",
      () => ({ session_id: sessionId }),
      /invalid_arguments.*message.*it takes: session_id, message, repeat/s,
    ],
    [
      "an unknown argument",
      "puffle_get_draft",
      () => ({ session_id: sessionId, verbose: true }),
      /unknown argument\(s\) verbose/,
    ],
    [
      "a wrong type",
      "puffle_send_turn",
      () => ({ session_id: sessionId, message: 42 }),
      /message: .*expected string/,
    ],
    [
      "a malformed id",
      "puffle_get_draft",
      { session_id: "not-a-uuid" },
      /invalid_arguments.*UUID/i,
    ],
    [
      "an unknown session",
      "puffle_send_turn",
      { session_id: "00000000-0000-4000-8000-000000000000", message: "Hi" },
      /not_found.*puffle_get_campaign/,
    ],
    [
      "an unknown campaign",
      "puffle_get_campaign",
      { campaign_id: "00000000-0000-4000-8000-000000000000" },
      /not_found/,
    ],
    [
      "finish without confirm",
      "puffle_finish_session",
      () => ({ session_id: sessionId, confirm: false }),
      /confirm_required.*Nothing was done/,
    ],
    [
      "examples without a skeleton",
      "puffle_generate_examples",
      () => ({ session_id: sessionId, leads: demoLeads(rig) }),
      /skeleton_required.*puffle_send_turn/,
    ],
    [
      "too few leads",
      "puffle_generate_examples",
      () => ({ session_id: sessionId, leads: [{ first_name: "Ada" }] }),
      /leads: .*3/,
    ],
  ];
  for (const client of ["v2", "v1"] as const) {
    it.each(cases)(`${client}: %s`, async (_label, tool, args, expected) => {
      const mcp = client === "v2" ? await rig.v2(route) : await rig.v1(route);
      try {
        const before = writes();
        const answer = await mcp.call(tool, typeof args === "function" ? args() : args);
        expect(answer.isError).toBe(true);
        expect(answer.structuredContent).toBeUndefined();
        expect(textOf(answer)).toMatch(expected);
        expect(textOf(answer)).toMatch(/Next: /);
        expect(writes()).toBe(before);
      } finally {
        await mcp.close();
      }
    });
  }
});

describe("scoping", () => {
  it("readOnly lists no write tool at all, whatever the tool filter says", async () => {
    const readOnly = rig.route({ readOnly: true, tools: ["puffle_send_turn", "puffle_get_draft"] });
    const mcp = await rig.v1(readOnly);
    try {
      const names = (await mcp.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(["puffle_get_draft"]);
      for (const tool of (await mcp.listTools()).tools)
        expect(tool.annotations).toMatchObject({ readOnlyHint: true });
    } finally {
      await mcp.close();
      await readOnly.close();
    }
  });

  it("a pinned campaign leaves the schemas and refuses any other campaign or its sessions", async () => {
    const { demo } = rig.server.emulator;
    const pinned = rig.route({ campaignId: demo.aiCampaign.campaignId });
    const mcp = await rig.v2(pinned, "auto");
    try {
      const tools = (await mcp.listTools()).tools;
      for (const tool of tools)
        expect(JSON.stringify(tool.inputSchema)).not.toContain("campaign_id");
      const own = await mcp.call("puffle_get_campaign", {});
      expect(own.structuredContent.campaign.id).toBe(demo.aiCampaign.campaignId);
      const started = await mcp.call("puffle_start_session", { node_id: demo.aiCampaign.nodeId });
      expect(started.structuredContent.campaign_id).toBe(demo.aiCampaign.campaignId);
      const before = writes();
      const other = await mcp.call("puffle_get_campaign", { campaign_id: demo.campaignId });
      expect(textOf(other)).toMatch(/out_of_scope.*pinned/);
      const otherSession = await mcp.call("puffle_send_turn", {
        session_id: sessionId,
        message: "Hi",
      });
      expect(otherSession.isError).toBe(true);
      expect(textOf(otherSession)).toMatch(/out_of_scope/);
      const otherNode = await mcp.call("puffle_start_session", {
        campaign_id: demo.campaignId,
        node_id: demo.nodeId,
      });
      expect(textOf(otherNode)).toMatch(/out_of_scope/);
      expect(writes()).toBe(before);
    } finally {
      await mcp.close();
      await pinned.close();
    }
  });

  it("authorize: required, asked for every request and every tool call, only true passes", async () => {
    expect(() =>
      // @ts-expect-error authorize is required
      createMcpRoute({ client: rig.puffle }),
    ).toThrow(/authorize.*required.*no allow-all default/);
    expect(() => createMcpServerFactory({ client: rig.puffle, maxWaitMs: 90_000 })).toThrow(
      /maxWaitMs.*55000/,
    );
    expect(() =>
      // @ts-expect-error not a tool
      createMcpServerFactory({ client: rig.puffle, tools: ["puffle_delete_everything"] }),
    ).toThrow(/puffle_delete_everything is not a tool/);
    const asked: string[] = [];
    const guarded = rig.route({
      authorize: (request, { tool, sessionId: id }) => {
        asked.push(`${tool}:${id}`);
        if (request.headers.get("authorization") !== "Bearer staff") return { status: 401 };
        return tool === null || id !== sessionId;
      },
    });
    try {
      const anonymous = await guarded(
        new Request("http://app.test/mcp", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
          },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
        }),
      );
      expect(anonymous.status).toBe(401);
      const mcp = await rig.v1(guarded, { authorization: "Bearer staff" });
      try {
        const before = writes();
        const refused = await mcp.call("puffle_send_turn", {
          session_id: sessionId,
          message: "Hi",
        });
        expect(refused.isError).toBe(true);
        expect(textOf(refused)).toMatch(/forbidden/);
        expect(writes()).toBe(before);
        expect(asked).toContain(`puffle_send_turn:${sessionId}`);
      } finally {
        await mcp.close();
      }
    } finally {
      await guarded.close();
    }
  });

  it("a tool that fails unexpectedly answers internal_error, its details to onError only", async () => {
    const errors: unknown[] = [];
    // A client whose reads throw a foreign error carrying the key (as a careless proxy might).
    const broken = new PuffleClient({
      apiKey: rig.server.apiKey,
      baseURL: rig.server.url,
      maxRetries: 0,
    });
    broken.getSession = (() => {
      throw new Error(`boom ${rig.server.apiKey}`);
    }) as never;
    const failing = createMcpRoute({
      client: broken,
      authorize: () => true,
      onError: (e) => errors.push(e),
    });
    const mcp = await rig.v2(failing);
    try {
      const answer = await mcp.call("puffle_get_draft", { session_id: sessionId });
      expect(answer.isError).toBe(true);
      expect(textOf(answer)).toMatch(/internal_error/);
      expect(textOf(answer)).not.toContain("boom");
      expect(errors).toHaveLength(1);
    } finally {
      await mcp.close();
      await failing.close();
    }
  });
});

/**
 * The campaign methods over HTTP (msw): the request each sends, every error status in both
 * documented error shapes, the retry class of each, the read-back of a whole-sequence PATCH whose
 * answer is lost, and validation before anything is sent.
 */
import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  GenerateMessagesUnknownError,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  type PuffleClient,
  RateLimitError,
  RequestValidationError,
  UnprocessableEntityError,
} from "../../src/index";
import {
  BASE,
  CAMPAIGN_ID,
  HttpResponse,
  http,
  json,
  makeClient,
  NODE_ID,
  setupMswServer,
} from "./helpers";

const { server, requests } = setupMswServer();

const CAMPAIGN = `${BASE}/api/campaigns/:id`;
const NODE = `${BASE}/api/campaigns/:id/sequence/nodes/:nodeId`;
const MESSAGES = `${BASE}/api/campaigns/:id/generate-messages`;
const END_ID = "6c1e0c8a-1c2d-4e5f-9a6b-7c8d9e0f1a2c";
const PROSPECT_ID = "7d2e0c8a-1c2d-4e5f-9a6b-7c8d9e0f1a2d";

/** The documented getCampaign example, with valid ids. */
const DETAIL = {
  campaign: { id: CAMPAIGN_ID, type: "email", name: "Q2 Enterprise Outreach", status: "draft" },
  sequence_nodes: [
    { id: END_ID, campaign_id: CAMPAIGN_ID, position: 1, type: "end" },
    {
      id: NODE_ID,
      campaign_id: CAMPAIGN_ID,
      position: 0,
      type: "email",
      subject: "Quick question about {{company}}",
      body: "Hi {{first_name}}, ...",
    },
  ],
  prospects_by_status: { pending: 82, sent: 34, replied: 4 },
  prospects_by_node: { __none__: { replied: 4, completed: 0 } },
  extra_key: "kept",
};
const NODE_ROW = {
  id: NODE_ID,
  campaign_id: CAMPAIGN_ID,
  position: 0,
  type: "email",
  subject: "S",
  body: "B",
  ai_node: null,
};
const MESSAGE = {
  id: "cccc1111-1111-4111-8111-111111111111",
  campaign_id: CAMPAIGN_ID,
  prospect_id: PROSPECT_ID,
  node_id: NODE_ID,
  subject: "Quick question about Acme",
  body_text: "Hi Sarah, ...",
  status: "draft",
  manually_edited: false,
  created_at: "2026-04-22T12:00:00Z",
};
const SEQUENCE = [
  { id: NODE_ID, type: "email" as const, subject: "S", body: "B" },
  { id: END_ID, type: "end" as const },
];

interface Op {
  method: "get" | "put" | "patch" | "post";
  url: string;
  run: (c: PuffleClient) => Promise<unknown>;
  ok: () => Response;
}

const OPS: Record<string, Op> = {
  getCampaign: {
    method: "get",
    url: CAMPAIGN,
    run: (c) => c.getCampaign(CAMPAIGN_ID),
    ok: () => json(DETAIL),
  },
  updateSequenceNode: {
    method: "put",
    url: NODE,
    run: (c) => c.updateSequenceNode(CAMPAIGN_ID, NODE_ID, { subject: "S", body: "B" }),
    ok: () => json({ node: NODE_ROW }),
  },
  updateCampaign: {
    method: "patch",
    url: CAMPAIGN,
    run: (c) => c.updateCampaign(CAMPAIGN_ID, { name: "Renamed" }),
    ok: () => json({ campaign: DETAIL.campaign }),
  },
  replaceSequence: {
    method: "patch",
    url: CAMPAIGN,
    run: (c) => c.updateCampaign(CAMPAIGN_ID, { sequence_nodes: SEQUENCE }),
    ok: () => json({ campaign: DETAIL.campaign }),
  },
  resolve: {
    method: "post",
    url: MESSAGES,
    run: (c) => c.generateCampaignMessages(CAMPAIGN_ID, { action: "resolve" }),
    ok: () => json({ messages: [MESSAGE] }),
  },
  generateAi: {
    method: "post",
    url: MESSAGES,
    run: (c) =>
      c.generateCampaignMessages(CAMPAIGN_ID, { action: "generate_ai", node_id: NODE_ID }),
    ok: () => json({ success: true }),
  },
  listGeneratedMessages: {
    method: "get",
    url: MESSAGES,
    run: (c) => c.listGeneratedMessages(CAMPAIGN_ID),
    ok: () => json({ messages: [MESSAGE] }),
  },
  updateGeneratedMessage: {
    method: "patch",
    url: MESSAGES,
    run: (c) => c.updateGeneratedMessage(CAMPAIGN_ID, { message_id: MESSAGE.id, subject: "x" }),
    ok: () => json({ message: { ...MESSAGE, subject: "x", manually_edited: true } }),
  },
};

describe("requests and results", () => {
  it("getCampaign GETs /api/campaigns/{id}; nodes come back in position order, unknown keys kept", async () => {
    server.use(http.get(CAMPAIGN, () => json(DETAIL)));
    const detail = await makeClient().getCampaign(CAMPAIGN_ID);
    expect(detail.sequence_nodes.map((n) => n.type)).toEqual(["email", "end"]);
    expect(detail.prospects_by_status).toEqual({ pending: 82, sent: 34, replied: 4 });
    expect((detail as Record<string, unknown>).extra_key).toBe("kept");
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/campaigns/${CAMPAIGN_ID}`,
    ]);
  });

  it("updateSequenceNode PUTs exactly the patch and returns the node", async () => {
    server.use(http.put(NODE, () => json({ node: NODE_ROW })));
    const node = await makeClient().updateSequenceNode(CAMPAIGN_ID, NODE_ID, {
      subject: "S",
      body: "B",
    });
    expect(node).toEqual(NODE_ROW);
    expect(requests[0]?.method).toBe("PUT");
    expect(requests[0]?.path).toBe(`/api/campaigns/${CAMPAIGN_ID}/sequence/nodes/${NODE_ID}`);
    expect(requests[0]?.body).toEqual({ subject: "S", body: "B" });
  });

  it("updateCampaign PATCHes the body and returns the campaign", async () => {
    server.use(
      http.patch(CAMPAIGN, () => json({ campaign: { ...DETAIL.campaign, name: "Renamed" } })),
    );
    const campaign = await makeClient().updateCampaign(CAMPAIGN_ID, {
      name: "Renamed",
      daily_limit: 250,
    });
    expect(campaign.name).toBe("Renamed");
    expect(requests[0]?.body).toEqual({ name: "Renamed", daily_limit: 250 });
  });

  it("generateCampaignMessages sends exactly { action: 'resolve' } and returns the messages", async () => {
    server.use(http.post(MESSAGES, () => json({ messages: [MESSAGE] })));
    const result = await makeClient().generateCampaignMessages(CAMPAIGN_ID, { action: "resolve" });
    expect(result).toEqual({ messages: [MESSAGE] });
    expect(requests[0]?.body).toEqual({ action: "resolve" });
  });

  it("listGeneratedMessages sends status and prospect_id only when given", async () => {
    server.use(http.get(MESSAGES, () => json({ messages: [MESSAGE] })));
    const client = makeClient();
    expect(await client.listGeneratedMessages(CAMPAIGN_ID)).toEqual([MESSAGE]);
    await client.listGeneratedMessages(CAMPAIGN_ID, { status: "all", prospect_id: PROSPECT_ID });
    expect(requests.map((r) => r.url.search)).toEqual([
      "",
      `?status=all&prospect_id=${PROSPECT_ID}`,
    ]);
  });

  it("updateGeneratedMessage PATCHes { message_id, subject, body_text }", async () => {
    server.use(http.patch(MESSAGES, () => json({ message: { ...MESSAGE, subject: "x" } })));
    const message = await makeClient().updateGeneratedMessage(CAMPAIGN_ID, {
      message_id: MESSAGE.id,
      subject: "x",
      body_text: "y",
    });
    expect(message.subject).toBe("x");
    expect(requests[0]?.body).toEqual({ message_id: MESSAGE.id, subject: "x", body_text: "y" });
  });
});

const GUARDS: Array<[number, (e: unknown) => boolean]> = [
  [400, (e: unknown) => e instanceof BadRequestError],
  [401, (e: unknown) => e instanceof AuthenticationError],
  [402, (e: unknown) => e instanceof InsufficientCreditsError],
  [403, (e: unknown) => e instanceof PermissionDeniedError],
  [404, (e: unknown) => e instanceof NotFoundError],
  [409, (e: unknown) => e instanceof ConflictError],
  [422, (e: unknown) => e instanceof UnprocessableEntityError],
  [429, (e: unknown) => e instanceof RateLimitError],
  [500, (e: unknown) => e instanceof InternalServerError],
];

describe("every status, in both error shapes, is a typed error with the server's message", () => {
  for (const [name, op] of Object.entries(OPS)) {
    for (const shape of ["flat", "nested"] as const) {
      it(`${name}: ${shape} bodies`, async () => {
        for (const [status, guard] of GUARDS) {
          server.resetHandlers();
          const message = `refused with ${status}`;
          const body =
            shape === "flat" ? { error: message } : { error: { code: `e${status}`, message } };
          // A whole-sequence PATCH reads back after a 5xx; answer it with a different sequence.
          if (name === "replaceSequence")
            server.use(http.get(CAMPAIGN, () => json({ ...DETAIL, sequence_nodes: [] })));
          server.use(http[op.method](op.url, () => json(body, { status })));
          let error = await op.run(makeClient({ maxRetries: 0 })).catch((e: unknown) => e);
          if (name === "generateAi" && status >= 500) {
            // Paid: a 5xx leaves its fate unknown; the typed server error is the cause.
            expect(error instanceof GenerateMessagesUnknownError).toBe(true);
            error = (error as Error).cause;
          }
          expect(guard(error), `${name} ${status}`).toBe(true);
          expect((error as { serverMessage?: string }).serverMessage).toBe(message);
          if (shape === "nested" && status !== 500)
            expect((error as { code?: string }).code).toBe(`e${status}`);
        }
      });
    }
  }
});

/** Fail the first `times` requests of `op` with `status` (0 = dropped connection), then answer ok. */
function flaky(op: Op, status: number, times = 1) {
  let seen = 0;
  server.use(
    http[op.method](op.url, () => {
      seen += 1;
      if (seen > times) return op.ok();
      return status === 0
        ? HttpResponse.error()
        : json({ error: `failure ${status}` }, { status, headers: { "retry-after": "0" } });
    }),
  );
}

const sent = (op: Op) => requests.filter((r) => r.method.toLowerCase() === op.method).length;

describe("retry classes", () => {
  const retried: Array<[string, number[]]> = [
    ["getCampaign", [408, 429, 500, 502, 503, 504, 0]],
    ["updateSequenceNode", [408, 429, 500, 503, 0]],
    ["updateCampaign", [429, 500, 503, 0]],
    ["resolve", [429, 500, 503, 0]],
    ["listGeneratedMessages", [429, 503, 0]],
    ["updateGeneratedMessage", [429, 503, 0]],
    ["generateAi", [429]],
    ["replaceSequence", [429]],
  ];
  for (const [name, statuses] of retried) {
    it(`${name} is retried on ${statuses.join(", ")}`, async () => {
      const op = OPS[name] as Op;
      for (const status of statuses) {
        server.resetHandlers();
        requests.length = 0;
        flaky(op, status);
        await expect(op.run(makeClient()), `${name} ${status}`).resolves.toBeDefined();
        expect(sent(op), `${name} ${status}`).toBe(2);
      }
    });
  }

  it("generate_ai (paid) is never sent twice: after a 500, 503 or dropped answer its fate is 'unknown'", async () => {
    for (const status of [500, 503, 0]) {
      server.resetHandlers();
      requests.length = 0;
      flaky(OPS.generateAi as Op, status);
      const error = await (OPS.generateAi as Op).run(makeClient()).catch((e: unknown) => e);
      expect(error instanceof GenerateMessagesUnknownError).toBe(true);
      expect((error as { dispatch?: string }).dispatch).toBe("unknown");
      expect((error as Error).cause).toBeDefined();
      expect(requests).toHaveLength(1);
    }
  });

  it("no retry on 400, 401, 402, 403, 404, 409, 422 for any operation", async () => {
    for (const [name, op] of Object.entries(OPS)) {
      for (const status of [400, 401, 402, 403, 404, 409, 422]) {
        server.resetHandlers();
        requests.length = 0;
        flaky(op, status);
        await op.run(makeClient()).catch(() => {});
        expect(requests, `${name} ${status}`).toHaveLength(1);
      }
    }
  });
});

describe("a whole-sequence PATCH whose fate is unknown is read back before anything else", () => {
  it("lost after it was stored (read-back matches): resolved from the read-back, not sent again", async () => {
    let patches = 0;
    server.use(
      http.patch(CAMPAIGN, () => {
        patches += 1;
        return HttpResponse.error();
      }),
      http.get(CAMPAIGN, () =>
        json({
          ...DETAIL,
          sequence_nodes: [
            { ...DETAIL.sequence_nodes[1], subject: "S", body: "B" },
            DETAIL.sequence_nodes[0],
          ],
        }),
      ),
    );
    const campaign = await makeClient().updateCampaign(CAMPAIGN_ID, { sequence_nodes: SEQUENCE });
    expect(campaign.id).toBe(CAMPAIGN_ID);
    expect(patches).toBe(1);
    expect(requests.map((r) => r.method)).toEqual(["PATCH", "GET"]);
  });

  it("a 503 and a read-back without the change: sent once more", async () => {
    let patches = 0;
    server.use(
      http.patch(CAMPAIGN, () => {
        patches += 1;
        return patches === 1
          ? json({ error: "unavailable" }, { status: 503 })
          : json({ campaign: DETAIL.campaign });
      }),
      http.get(CAMPAIGN, () => json(DETAIL)),
    );
    await makeClient().updateCampaign(CAMPAIGN_ID, { sequence_nodes: SEQUENCE });
    expect(requests.map((r) => r.method)).toEqual(["PATCH", "GET", "PATCH"]);
  });

  it("never more than 1 + maxRetries PATCHes; the last error is thrown", async () => {
    server.use(
      http.patch(CAMPAIGN, () => HttpResponse.error()),
      http.get(CAMPAIGN, () => json(DETAIL)),
    );
    const error = await makeClient({ maxRetries: 1 })
      .updateCampaign(CAMPAIGN_ID, { sequence_nodes: SEQUENCE })
      .catch((e: unknown) => e);
    expect(error instanceof APIConnectionError).toBe(true);
    expect(requests.map((r) => r.method)).toEqual(["PATCH", "GET", "PATCH", "GET"]);
  });
});

describe("validation before anything is sent", () => {
  const cases: Array<[string, (c: PuffleClient) => Promise<unknown>, RegExp]> = [
    ["getCampaign bad id", (c) => c.getCampaign("nope"), /campaignId/],
    [
      "PUT immutable type",
      (c) => c.updateSequenceNode(CAMPAIGN_ID, NODE_ID, { type: "ai" } as never),
      /unknown key "type"/,
    ],
    ["PUT bad node id", (c) => c.updateSequenceNode(CAMPAIGN_ID, "x", {}), /nodeId/],
    [
      "PUT nested ai_node key",
      (c) =>
        c.updateSequenceNode(CAMPAIGN_ID, NODE_ID, { ai_node: { purpose: "p", x: 1 } as never }),
      /ai_node/,
    ],
    [
      "PUT negative delay",
      (c) => c.updateSequenceNode(CAMPAIGN_ID, NODE_ID, { delay_days: -1 }),
      /delay_days/,
    ],
    [
      "PATCH daily_limit 0",
      (c) => c.updateCampaign(CAMPAIGN_ID, { daily_limit: 0 }),
      /daily_limit/,
    ],
    ["PATCH empty name", (c) => c.updateCampaign(CAMPAIGN_ID, { name: "" }), /name/],
    [
      "PATCH bad node type",
      (c) => c.updateCampaign(CAMPAIGN_ID, { sequence_nodes: [{ type: "sms" as never }] }),
      /sequence_nodes\[0\]\.type/,
    ],
    [
      "resolve with extra key",
      (c) =>
        c.generateCampaignMessages(CAMPAIGN_ID, { action: "resolve", node_id: NODE_ID } as never),
      /node_id/,
    ],
    [
      "unknown action",
      (c) => c.generateCampaignMessages(CAMPAIGN_ID, { action: "launch" } as never),
      /action/,
    ],
    [
      "generate_ai without node",
      (c) => c.generateCampaignMessages(CAMPAIGN_ID, { action: "generate_ai" } as never),
      /node_id/,
    ],
    [
      "list bad status",
      (c) => c.listGeneratedMessages(CAMPAIGN_ID, { status: "open" as never }),
      /status/,
    ],
    [
      "edit without message id",
      (c) => c.updateGeneratedMessage(CAMPAIGN_ID, { message_id: "" }),
      /message_id/,
    ],
  ];
  for (const [name, run, pattern] of cases) {
    it(name, async () => {
      const error = await run(makeClient()).catch((e: unknown) => e);
      expect(error instanceof RequestValidationError, String(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(pattern);
      expect(requests).toHaveLength(0);
    });
  }
});

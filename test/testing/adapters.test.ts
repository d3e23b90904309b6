import { setupServer } from "msw/node";
import { describe, expect, it } from "vitest";
import { createEmulator } from "../../src/testing";
import { parseSse } from "./helpers";

type Step = {
  step: string;
  status: number | "network-error";
  body?: unknown;
  headers?: Record<string, string | null>;
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

function normalise(text: string): string {
  return text
    .replace(UUID, "<uuid>")
    .replace(/run_[a-z0-9]{25}/g, "<run>")
    .replace(/tr_pat_[a-z0-9]{40}/g, "<token>")
    .replace(/cm[a-z0-9]{23}/g, "<internal>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z?/g, "<time>")
    .replace(/"(electric-handle|electric-offset|electric-cursor)":"[^"]*"/g, '"$1":"<x>"')
    .replace(/\b\d{13}-\d+\b/g, "<sse-id>")
    .replace(/"timestamp":\d{13}/g, '"timestamp":"<ms>"')
    .replace(/\\"id\\":\\"[a-z0-9]{16}\\"/g, '\\"id\\":\\"<record>\\"')
    .replace(/"usageDurationMs":"\d+"/g, '"usageDurationMs":"<n>"')
    .replace(/\\"session:[^"\\]*\\"/g, "<tag>");
}

/** The same scripted scenario, answered by whatever serves `base`. */
async function scenario(
  base: string,
  key: string,
  demo: ReturnType<typeof createEmulator>["demo"],
  emu: ReturnType<typeof createEmulator>,
): Promise<Step[]> {
  const steps: Step[] = [];
  const call = async (
    step: string,
    path: string,
    init: {
      method?: string;
      body?: unknown;
      token?: string;
      headers?: Record<string, string>;
    } = {},
  ) => {
    try {
      const res = await fetch(`${base}${path}`, {
        method: init.method ?? (init.body === undefined ? "GET" : "POST"),
        headers: {
          authorization: `Bearer ${init.token ?? key}`,
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
          ...init.headers,
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await res.text();
      const headers: Record<string, string | null> = {};
      for (const h of [
        "content-type",
        "retry-after",
        "x-stream-version",
        "electric-schema",
        "access-control-allow-origin",
        "cache-control",
      ])
        headers[h] = res.headers.get(h);
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        if (headers["content-type"] === "text/event-stream")
          body = parseSse(text).flatMap((e) => {
            // v2 batches group however many records were ready: compare records, not batches
            const data = JSON.parse(e.data) as { records?: unknown[] };
            return e.event === "batch" ? (data.records ?? []) : [data];
          });
      }
      steps.push({ step, status: res.status, body, headers });
      return body as Record<string, unknown>;
    } catch {
      steps.push({ step, status: "network-error" });
      return undefined;
    }
  };
  const S = "/api/campaigns/ai-chat-sessions";
  await call("unauthorised", `${S}?campaign_id=${demo.campaignId}`, { token: "pk_live_nope" });
  const created = (await call("create", S, {
    body: { campaign_id: demo.campaignId, node_id: demo.nodeId },
  })) as { session: { id: string } };
  const id = created.session.id;
  await call("create-foreign", S, {
    body: { campaign_id: demo.otherUser.campaignId, node_id: demo.otherUser.nodeId },
  });
  await call("list", `${S}?campaign_id=${demo.campaignId}`);
  await call("examples-without-skeleton", `${S}/${id}/generate-examples`, {
    body: { leads: [{ first_name: "A" }] },
  });
  emu.faults.inject({ operation: "turn", kind: "dispatch500" });
  await call("turn-dispatch500", `${S}/${id}/turn`, {
    body: { message: "Intro for VPs of Sales" },
  });
  emu.faults.inject({ operation: "turn", kind: "rateLimit", retryAfterSeconds: 2 });
  await call("turn-429", `${S}/${id}/turn`, { body: { message: "Intro for VPs of Sales" } });
  emu.faults.inject({ operation: "turn", kind: "dropBefore" });
  await call("turn-dropped", `${S}/${id}/turn`, { body: { message: "Intro for VPs of Sales" } });
  const handle = (await call("turn", `${S}/${id}/turn`, {
    body: { message: "Intro for VPs of Sales" },
    headers: { "x-emulator-task-duration-ms": "600000" },
  })) as { runId: string; publicAccessToken: string };
  await call("turn-busy", `${S}/${id}/turn`, { body: { message: "again" } });
  const early = (await call(
    "feed-snapshot-early",
    `/realtime/v1/runs/${handle.runId}?log=full&offset=-1`,
    {
      token: handle.publicAccessToken,
    },
  )) as unknown as { value?: Record<string, unknown> }[];
  // the run may or may not have started yet: compare the shape, not the timing
  for (const m of early)
    if (m.value) for (const k of ["status", "startedAt", "updatedAt"]) m.value[k] = "<timing>";
  await emu.finishTasks(); // the long first turn ends now, whatever the machine's speed
  await call("stream", `/realtime/v1/streams/${handle.runId}/chat`, {
    token: handle.publicAccessToken,
  });
  await call("feed-snapshot-done", `/realtime/v1/runs/${handle.runId}?log=full&offset=-1`, {
    token: handle.publicAccessToken,
  });
  await call("get", `${S}/${id}`);
  const second = (await call("turn-2", `${S}/${id}/turn`, {
    body: { message: "Make it shorter, mention SOC 2" },
    headers: { "x-emulator-stream-version": "v2" },
  })) as { runId: string; publicAccessToken: string };
  await call("stream-v2", `/realtime/v1/streams/${second.runId}/chat`, {
    token: second.publicAccessToken,
  });
  await call("get-2", `${S}/${id}`);
  emu.faults.inject({ operation: "get", kind: "html502" });
  await call("get-502", `${S}/${id}`);
  emu.faults.inject({ operation: "get", kind: "dropAfter" });
  await call("get-dropped-after", `${S}/${id}`);
  await call("content", `/api/campaigns/${demo.campaignId}/generate-content`, {
    body: { node_id: demo.nodeId, message: "One more" },
  });
  // The campaign routes: read, write a node, replace the sequence, resolve, list, edit, refusals.
  const E = demo.emailCampaign;
  const C = `/api/campaigns/${E.campaignId}`;
  await call("campaign", C);
  await call("campaign-foreign", `/api/campaigns/${demo.otherUser.campaignId}`);
  await call("node-put", `${C}/sequence/nodes/${E.nodeId}`, {
    method: "PUT",
    body: { subject: "Hi %first_name%", body: "Hello %first_name% at %company%" },
  });
  await call("node-put-invalid", `${C}/sequence/nodes/${E.nodeId}`, {
    method: "PUT",
    body: { type: "ai" },
  });
  await call("campaign-patch", C, {
    method: "PATCH",
    body: {
      daily_limit: 25,
      sequence_nodes: [
        { id: E.nodeId },
        { id: E.delayNodeId, delay_hours: 6 },
        { id: E.followUpNodeId },
        { id: E.endNodeId },
      ],
    },
  });
  await call("campaign-patch-bad-delay", C, {
    method: "PATCH",
    body: { sequence_nodes: [{ id: E.delayNodeId, delay_days: 31 }] },
  });
  await call("resolve", `${C}/generate-messages`, { body: { action: "resolve" } });
  emu.faults.inject({ operation: "generateMessages", kind: "dropAfter" });
  await call("resolve-dropped-after", `${C}/generate-messages`, { body: { action: "resolve" } });
  const listed = (await call("messages", `${C}/generate-messages?status=all`)) as {
    messages: { id: string }[];
  };
  await call("message-edit", `${C}/generate-messages`, {
    method: "PATCH",
    body: { message_id: listed.messages[0]?.id, subject: "By hand" },
  });
  emu.setCredits(0);
  await call("generate-ai-402", `/api/campaigns/${demo.aiCampaign.campaignId}/generate-messages`, {
    body: { action: "generate_ai", node_id: demo.aiCampaign.nodeId },
  });
  await call("delete", `${S}/${id}`, { method: "DELETE" });
  await call("get-deleted", `${S}/${id}`);
  return JSON.parse(normalise(JSON.stringify(steps))) as Step[];
}

describe("adapters", () => {
  it("node:http and msw give the same answers for the same scenario", async () => {
    const nodeEmu = createEmulator({ taskDurationMs: 30, pingIntervalMs: 60_000 });
    const server = await nodeEmu.listen();
    let viaNode: Step[];
    try {
      viaNode = await scenario(server.url, server.apiKey, nodeEmu.demo, nodeEmu);
    } finally {
      await server.close();
    }

    const mswEmu = createEmulator({ taskDurationMs: 30, pingIntervalMs: 60_000 });
    const base = "http://puffle.emulator.test";
    const msw = setupServer(...(await mswEmu.mswHandlers({ baseURL: base, triggerBaseURL: base })));
    msw.listen({ onUnhandledFrame: "error" });
    let viaMsw: Step[];
    try {
      viaMsw = await scenario(base, mswEmu.demo.apiKey, mswEmu.demo, mswEmu);
    } finally {
      msw.close();
      await mswEmu.close();
    }

    expect(viaNode.find((s) => s.step === "turn-dropped")?.status).toBe("network-error");
    expect(viaNode.find((s) => s.step === "stream")?.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "completed" })]),
    );
    const status = (step: string) => viaNode.find((s) => s.step === step)?.status;
    expect(
      ["campaign", "campaign-foreign", "node-put", "node-put-invalid", "campaign-patch"].map(
        status,
      ),
    ).toEqual([200, 404, 200, 400, 200]);
    expect(
      ["campaign-patch-bad-delay", "resolve", "resolve-dropped-after", "message-edit"].map(status),
    ).toEqual([400, 200, "network-error", 200]);
    expect(status("generate-ai-402")).toBe(402);
    expect(viaMsw).toEqual(viaNode);
    expect(mswEmu.ledger.campaignWrites.map((w) => w.operation)).toEqual(
      nodeEmu.ledger.campaignWrites.map((w) => w.operation),
    );
    expect(mswEmu.ledger.dispatches.map((d) => d.operation)).toEqual(
      nodeEmu.ledger.dispatches.map((d) => d.operation),
    );
  });

  it("the demo seed is deterministic (same keys and ids on every emulator)", () => {
    const a = createEmulator().demo;
    const b = createEmulator().demo;
    expect(a).toEqual(b);
    expect(a.apiKey).toMatch(/^pk_live_[0-9a-f]{64}$/);
    expect(a.otherUser.apiKey).toMatch(/^pk_live_[0-9a-f]{64}$/);
    expect(a.otherUser.apiKey).not.toBe(a.apiKey);
    expect(a.leads).toHaveLength(5);
    for (const lead of a.leads)
      expect(lead).toMatchObject({
        first_name: expect.any(String),
        last_name: expect.any(String),
        company: expect.any(String),
        position: expect.any(String),
      });
  });
});

describe("mswHandlers options", () => {
  it("take baseURL / triggerBaseURL like the client (baseUrl still works, deprecated)", async () => {
    const emu = createEmulator();
    try {
      const named = await emu.mswHandlers({
        baseURL: "http://a.test",
        triggerBaseURL: "http://t.test",
      });
      const legacy = await emu.mswHandlers({
        baseUrl: "http://b.test",
        triggerBaseUrl: "http://b.test",
      });
      expect(named.map((h) => h.info.path)).toEqual(["http://a.test/*", "http://t.test/*"]);
      expect(legacy.map((h) => h.info.path)).toEqual(["http://b.test/*"]);
    } finally {
      await emu.close();
    }
  });
});

// A scripted scenario over every route of openapi.yaml through Stoplight Prism, started as a
// validating proxy in front of the emulator: the SDK's requests and the emulator's answers must
// both conform to the spec. Prism reports each violation in an `sl-violations` header and in its
// log; the test fails on any.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/index";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";
import { toolPath } from "../support/runtime-tools";

const ROOT = join(import.meta.dirname, "..", "..");
// Prism needs Node >= 24.18: the project's own node binary, not the system one.
const NODE = join(ROOT, "node_modules", ".bin", "node");
const PRISM = toolPath("@stoplight", "prism-cli", "dist", "index.js");

let server: ListeningEmulator;
let emu: Emulator;
let prism: ChildProcess;
let prismUrl: string;
let prismLog = "";
const violations: string[] = [];
const seen = new Set<string>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

function startPrism(upstream: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    NODE,
    [
      PRISM,
      "proxy",
      join(ROOT, "openapi.yaml"),
      upstream,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Prism did not start within 50 s:\n${prismLog.slice(-2000)}`));
    }, 50_000);
    const onData = (chunk: Buffer) => {
      prismLog += chunk.toString();
      if (prismLog.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${code}) before listening:\n${prismLog.slice(-2000)}`));
    });
  });
}

function stopPrism(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** fetch through Prism, recording the route and any violation Prism reports. */
const recordingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await fetch(request);
  const url = new URL(request.url);
  seen.add(`${request.method} ${routeOf(url.pathname)} ${response.status}`);
  const header = response.headers.get("sl-violations");
  if (header) violations.push(`${request.method} ${url.pathname} → ${response.status}: ${header}`);
  return response;
};

function routeOf(path: string): string {
  return path
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "{id}")
    .replace(/\/api\/campaigns\/ai-chat-sessions\/\{id\}/, "/api/campaigns/ai-chat-sessions/{id}");
}

/** A prospect as a Lead for example generation (its names and company). */
function asLead(p: { first_name?: string; last_name?: string; company?: string }) {
  return { first_name: p.first_name ?? "", last_name: p.last_name ?? "", company: p.company ?? "" };
}

function client(apiKey = server.apiKey): PuffleClient {
  return new PuffleClient({
    apiKey,
    baseURL: prismUrl,
    // Realtime is not part of openapi.yaml: it goes to the emulator directly.
    triggerBaseURL: server.url,
    fetch: recordingFetch,
    logLevel: "off",
    maxRetries: 0,
  });
}

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 40 }).listen();
  emu = server.emulator;
  const port = await freePort();
  prism = await startPrism(server.url, port);
  prismUrl = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  await stopPrism(prism);
  await server?.close();
});

describe("every route through a validating Prism proxy", () => {
  it("runs the scenario with zero request or response violations", async () => {
    const puffle = client();
    const demo = emu.demo;
    const expectFail = async (p: Promise<unknown>, status: number) => {
      const error = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as { status?: number } | undefined)?.status).toBe(status);
    };

    // Sessions: create, list, get, update, turns (one of them a single space), busy, examples.
    const created = await puffle.createSession({
      campaign_id: demo.emailCampaign.campaignId,
      node_id: demo.emailCampaign.nodeId,
    });
    await puffle.listSessions(demo.emailCampaign.campaignId);
    await puffle.getSession(created.id);
    await expectFail(puffle.generateExamples(created.id, { leads: [{ first_name: "Ada" }] }), 400);
    const turn = await puffle.chat(created.id, {
      message: "Intro email for VPs of Sales, mention %company%",
      availableVarNames: ["first_name", "company"],
      sampleLeads: [{ first_name: "Ada", company: "Analytical Engines" }],
      sequenceContext: { position: 0, total_nodes: 4, prior_nodes: [] },
    });
    expect(turn.session.task_status).toBeNull();
    await puffle.chat(created.id, { message: " " });
    emu.settings.taskDurationMs = 60_000;
    const run = await puffle.runTurn(created.id, { message: "Shorter" });
    await expectFail(puffle.runTurn(created.id, { message: "Again" }), 409);
    emu.settings.taskDurationMs = 40;
    await emu.finishTasks();
    await puffle.waitForIdle(created.id, { run });
    await puffle.chat(created.id, { message: "Mention SOC 2" });
    await puffle.generateExamplesAndWait(created.id, {
      leads: demo.emailCampaign.prospects.map(asLead),
    });
    await puffle.updateSession(created.id, {
      title: "Intro",
      draft_subject: "Quick question, %first_name%",
      draft_body: "Hi %first_name%, how does %company% plan outreach?",
    });

    // Campaign routes: get, PUT a node, PATCH fields and the whole sequence, finishSession.
    const detail = await puffle.getCampaign(demo.emailCampaign.campaignId);
    await puffle.updateSequenceNode(
      demo.emailCampaign.campaignId,
      demo.emailCampaign.followUpNodeId,
      {
        subject: "Re: %first_name%",
        body: "Following up, %first_name%.",
        is_reply: true,
      },
    );
    await puffle.updateCampaign(demo.emailCampaign.campaignId, {
      name: "Email launch (edited)",
      daily_limit: 40,
    });
    await puffle.updateCampaign(demo.emailCampaign.campaignId, {
      sequence_nodes: detail.sequence_nodes.map((n) => ({
        id: n.id,
        ...(n.type === "delay" ? { delay_days: 2 } : {}),
      })),
    });
    const finished = await puffle.finishSession(created.id, { via: "updateCampaign" });
    expect(finished.nodeMessages.length).toBeGreaterThan(0);
    const finishedPut = await puffle.finishSession(created.id);
    expect(finishedPut.copied).toBe(true);

    // AI node: generate-content (the node's session), examples, finish (resolve copies examples).
    const ai = demo.aiCampaign;
    const content = await puffle.generateContent(ai.campaignId, {
      node_id: ai.nodeId,
      message: "Intro email for sales leaders",
      sample_leads: [{ first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" }],
      sequence_context: { position: 0, total_nodes: 2 },
    });
    await puffle.generateContent(ai.campaignId, {
      node_id: ai.nodeId,
      message: "Make it shorter and mention SOC 2",
    });
    await puffle.generateContent(ai.campaignId, {
      node_id: ai.nodeId,
      message: "Good, finalise it",
    });
    await puffle.generateExamplesAndWait(content.session_id, {
      leads: ai.prospects.map(asLead),
    });
    const aiFinish = await puffle.finishSession(content.session_id);
    expect(aiFinish.nodeMessages).toHaveLength(ai.prospects.length);

    // Generated messages: list (filters), edit, generate_ai (402, then queued).
    const drafts = await puffle.listGeneratedMessages(ai.campaignId);
    await puffle.listGeneratedMessages(ai.campaignId, {
      status: "all",
      prospect_id: ai.prospects[0]?.id,
    });
    await puffle.updateGeneratedMessage(ai.campaignId, {
      message_id: drafts[0]?.id as string,
      subject: "Edited",
    });
    emu.setCredits(1);
    await expectFail(
      puffle.generateCampaignMessages(ai.campaignId, { action: "generate_ai", node_id: ai.nodeId }),
      402,
    );
    emu.setCredits(100);
    await puffle.generateCampaignMessages(ai.campaignId, {
      action: "generate_ai",
      node_id: ai.nodeId,
      prospect_ids: [ai.prospects[1]?.id as string],
    });
    await emu.finishTasks();

    // Documented error answers: 404 (not yours), 400 (not a draft), 401 (bad key), 400 (bad status).
    await expectFail(puffle.getCampaign(demo.otherUser.campaignId), 404);
    await expectFail(puffle.getSession("3c90c3cc-0d44-4b50-8888-8dd25736052a"), 404);
    await expectFail(
      puffle.updateSequenceNode(demo.activeCampaignId, demo.activeNodeId, {
        ai_node: { purpose: "x" },
      }),
      400,
    );
    await expectFail(
      puffle.generateCampaignMessages(demo.activeCampaignId, { action: "resolve" }),
      400,
    );
    await expectFail(
      puffle.generateContent(demo.campaignId, { node_id: demo.nonAiNodeId, message: "x" }),
      400,
    );
    await expectFail(client(`pk_live_${"0".repeat(64)}`).listGeneratedMessages(ai.campaignId), 401);
    await puffle.deleteSession(created.id);

    const routes = [...seen].map((s) => s.split(" ").slice(0, 2).join(" "));
    for (const route of [
      "POST /api/campaigns/ai-chat-sessions",
      "GET /api/campaigns/ai-chat-sessions",
      "GET /api/campaigns/ai-chat-sessions/{id}",
      "PATCH /api/campaigns/ai-chat-sessions/{id}",
      "DELETE /api/campaigns/ai-chat-sessions/{id}",
      "POST /api/campaigns/ai-chat-sessions/{id}/turn",
      "POST /api/campaigns/ai-chat-sessions/{id}/generate-examples",
      "POST /api/campaigns/{id}/generate-content",
      "GET /api/campaigns/{id}",
      "PATCH /api/campaigns/{id}",
      "PUT /api/campaigns/{id}/sequence/nodes/{id}",
      "POST /api/campaigns/{id}/generate-messages",
      "GET /api/campaigns/{id}/generate-messages",
      "PATCH /api/campaigns/{id}/generate-messages",
    ]) {
      expect(routes, route).toContain(route);
    }
    expect(violations).toEqual([]);
    expect(prismLog.match(/Violation:.*/g) ?? []).toEqual([]);
  });

  it("the proxy does flag violations (so the scenario's zero can fail): a body the spec refuses", async () => {
    const res = await fetch(`${prismUrl}/api/campaigns/${emu.demo.campaignId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ sequence_nodes: [{ type: "sms" }], daily_limit: 0 }),
    });
    await res.text();
    expect(res.headers.get("sl-violations")).toMatch(/daily_limit|sequence_nodes/);
    // And the emulator refused it too, with nothing written.
    expect(res.status).toBe(400);
  });
});

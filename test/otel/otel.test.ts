/**
 * Issue 23: `puffle-chat/otel` over the SDK's tracing channels, against the emulator over real
 * HTTP, with the real OpenTelemetry SDK (BasicTracerProvider + InMemorySpanExporter). Each case
 * checks what a user of the spans sees: names, kinds, parent links, attributes and status.
 */
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/client";
import type { Session } from "../../src/core/types";
import { NotFoundError, TaskFailedError } from "../../src/index";
import { registerPuffleTelemetry } from "../../src/otel/index";
import { createChatRoute } from "../../src/server/index";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";

let server: ListeningEmulator;
let emu: Emulator;
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let stop: (() => void) | undefined;

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 150 }).listen();
  emu = server.emulator;
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  emu.faults.clear();
  exporter.reset();
  stop = registerPuffleTelemetry({ tracerProvider: provider });
});
afterEach(() => {
  stop?.();
  stop = undefined;
});

function client(options: Record<string, unknown> = {}) {
  return new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    logLevel: "off",
    ...options,
  });
}

async function freshSession(puffle: PuffleClient): Promise<Session> {
  const nodeId = emu.addNode(emu.demo.campaignId, { type: "ai" });
  return puffle.createSession({ campaign_id: emu.demo.campaignId, node_id: nodeId });
}

const spans = () => exporter.getFinishedSpans();
const named = (name: string) => spans().filter((s) => s.name === name);
const one = (name: string): ReadableSpan => {
  const found = named(name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0] as ReadableSpan;
};
const childrenOf = (parent: ReadableSpan) =>
  spans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
const TURN = "POST /api/campaigns/ai-chat-sessions/{sessionId}/turn";
const READ = "GET /api/campaigns/ai-chat-sessions/{sessionId}";

describe("a turn", () => {
  it("over realtime: invoke_agent › dispatch › POST, then wait (realtime) › reads", async () => {
    const puffle = client();
    const session = await freshSession(puffle);
    exporter.reset();
    const result = await puffle.chat(session.id, { message: "Intro email for VPs" });
    const agent = one("invoke_agent puffle");
    expect(agent.kind).toBe(SpanKind.CLIENT);
    expect(agent.parentSpanContext).toBeUndefined();
    expect(agent.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.provider.name": "puffle",
      "gen_ai.conversation.id": session.id,
      "puffle.campaign.id": emu.demo.campaignId,
      "puffle.node.id": session.node_id,
      "puffle.run.id": result.run.runId,
      "puffle.dispatch.outcome": "sent",
    });
    expect(agent.status.code).not.toBe(SpanStatusCode.ERROR);
    const dispatch = one("puffle dispatch runTurn");
    expect(dispatch.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    const post = one(TURN);
    expect(post.kind).toBe(SpanKind.CLIENT);
    expect(post.parentSpanContext?.spanId).toBe(dispatch.spanContext().spanId);
    expect(post.attributes).toMatchObject({
      "http.request.method": "POST",
      "url.template": "/api/campaigns/ai-chat-sessions/{sessionId}/turn",
      "http.response.status_code": 200,
      "server.address": "127.0.0.1",
    });
    const wait = one("puffle wait");
    expect(wait.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(wait.attributes["puffle.wait.mode"]).toBe("realtime");
    expect(wait.attributes["puffle.wait.fallback"]).toBeUndefined();
    // Every session read of the wait is a child request span, and the wait counts them.
    const reads = childrenOf(wait).filter((s) => s.name === READ);
    expect(reads.length).toBeGreaterThan(0);
    expect(wait.attributes["puffle.wait.requests"]).toBe(reads.length);
    // No content without captureContent.
    for (const s of spans()) {
      expect(JSON.stringify(s.attributes)).not.toContain("Intro email for VPs");
    }
  });

  it("falling back to polling: the wait says why", async () => {
    const puffle = client();
    const session = await freshSession(puffle);
    emu.faults.inject({ operation: "runFeed", kind: "status", status: 500, times: 10 });
    exporter.reset();
    const result = await puffle.chat(session.id, { message: "Shorter" });
    expect(result.wait.mode).toBe("poll");
    const wait = one("puffle wait");
    expect(wait.attributes["puffle.wait.mode"]).toBe("poll");
    expect(String(wait.attributes["puffle.wait.fallback"])).toBe(result.wait.fallbackReason);
    expect(wait.attributes["puffle.wait.requests"]).toBe(childrenOf(wait).length);
  });

  it("a failed run: error status with the SDK's error class, dispatch sent, the run id", async () => {
    const puffle = client();
    const session = await freshSession(puffle);
    emu.faults.inject({ operation: "turn", kind: "runFails", failureStatus: "CRASHED" });
    exporter.reset();
    const error = await puffle.chat(session.id, { message: "Go" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    const agent = one("invoke_agent puffle");
    expect(agent.status.code).toBe(SpanStatusCode.ERROR);
    expect(agent.attributes["error.type"]).toBe("TaskFailedError");
    expect(agent.attributes["puffle.dispatch.outcome"]).toBe("sent");
    expect(agent.attributes["puffle.run.id"]).toBe((error as TaskFailedError).run?.runId);
    expect(one("puffle wait").status.code).toBe(SpanStatusCode.ERROR);
  });

  it("a lost dispatch answer: the reconciled turn is reported sent, both requests traced", async () => {
    const puffle = client();
    const session = await freshSession(puffle);
    emu.faults.inject({ operation: "turn", kind: "dropAfter" });
    exporter.reset();
    const result = await puffle.chat(session.id, { message: "Reconcile me" });
    expect(result.run.reconciled).toBe(true);
    const dispatch = one("puffle dispatch runTurn");
    expect(dispatch.attributes["puffle.dispatch.outcome"]).toBe("sent");
    const under = childrenOf(dispatch).map((s) => s.name);
    expect(under).toContain(TURN);
    expect(under).toContain(READ);
    const post = named(TURN)[0] as ReadableSpan;
    expect(post.status.code).toBe(SpanStatusCode.ERROR);
    expect(post.attributes["http.response.status_code"]).toBeUndefined();
    expect(one("invoke_agent puffle").attributes["puffle.dispatch.outcome"]).toBe("sent");
  });
});

describe("draftCampaign", () => {
  it("one invoke_agent span per node, children of the draftCampaign span", async () => {
    const { campaignId, contentNodeIds } = emu.seedCampaign({
      nodes: [{ type: "ai" }, { type: "email" }],
    });
    exporter.reset();
    const result = await client().draftCampaign(campaignId, { brief: "Intro to VPs of Sales" });
    expect(result.nodes.map((n) => n.status)).toEqual(["drafted", "drafted"]);
    const parent = one("puffle draftCampaign");
    const nodes = named("invoke_agent puffle");
    expect(nodes.map((s) => s.attributes["puffle.node.id"]).sort()).toEqual(
      [...contentNodeIds].sort(),
    );
    for (const span of nodes) {
      expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(span.attributes).toMatchObject({
        "puffle.method": "draftCampaignNode",
        "puffle.campaign.id": campaignId,
        "gen_ai.operation.name": "invoke_agent",
      });
      expect(span.attributes["gen_ai.conversation.id"]).toEqual(expect.any(String));
    }
  });
});

describe("requests", () => {
  it("a retried request: one span per attempt, the retry with its resend count", async () => {
    const puffle = client({ retryDelay: 1 });
    const session = await freshSession(puffle);
    emu.faults.inject({ operation: "get", kind: "status", status: 503 });
    exporter.reset();
    await puffle.getSession(session.id);
    const method = one("puffle getSession");
    const attempts = childrenOf(method);
    expect(attempts.map((s) => s.attributes["http.response.status_code"])).toEqual([503, 200]);
    expect(attempts.map((s) => s.attributes["http.request.resend_count"])).toEqual([undefined, 1]);
    expect(attempts[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(attempts[0]?.attributes["error.type"]).toBe("503");
    expect(method.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it("a 404: the request's status and the method's NotFoundError", async () => {
    const puffle = client();
    const missing = "00000000-0000-4000-8000-000000000000";
    const error = await puffle.getSession(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    const method = one("puffle getSession");
    expect(method.status.code).toBe(SpanStatusCode.ERROR);
    expect(method.attributes["error.type"]).toBe("NotFoundError");
    expect(method.attributes["gen_ai.conversation.id"]).toBe(missing);
    expect(one(READ).attributes["http.response.status_code"]).toBe(404);
  });

  it("sends the request span's traceparent; withResponse and asResponse still work", async () => {
    const seen: string[] = [];
    const recording: typeof fetch = (input, init) => {
      if (input instanceof Request) seen.push(input.headers.get("traceparent") ?? "none");
      return fetch(input, init);
    };
    const puffle = client({ fetch: recording });
    const session = await freshSession(puffle);
    exporter.reset();
    seen.length = 0;
    const { data, response } = await puffle.getSession(session.id).withResponse();
    expect(data.id).toBe(session.id);
    expect(response.status).toBe(200);
    const raw = await puffle.getSession(session.id).asResponse();
    expect(((await raw.json()) as { session: Session }).session.id).toBe(session.id);
    const reads = named(READ);
    expect(seen).toEqual(
      reads.map((s) => `00-${s.spanContext().traceId}-${s.spanContext().spanId}-01`),
    );
  });
});

describe("context", () => {
  it("an application span active around the call is the parent of the SDK's span", async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const puffle = client();
      const session = await freshSession(puffle);
      exporter.reset();
      const tracer = provider.getTracer("app");
      await tracer.startActiveSpan("app work", async (span) => {
        await puffle.getSession(session.id);
        span.end();
      });
      const app = one("app work");
      expect(one("puffle getSession").parentSpanContext?.spanId).toBe(app.spanContext().spanId);
    } finally {
      context.disable();
    }
  });

  it("the chat route: a SERVER span, parent of the client's spans", async () => {
    const puffle = client();
    const session = await freshSession(puffle);
    const route = createChatRoute({ client: puffle, authorize: () => true });
    exporter.reset();
    const answer = await route(
      new Request(`http://app.test/api/chat?sessionId=${session.id}`, { method: "GET" }),
    );
    expect(answer.status).toBe(200);
    const server = one("GET /api/chat");
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.attributes["http.response.status_code"]).toBe(200);
    const under = childrenOf(server);
    expect(under.length).toBeGreaterThan(0);
    expect(under.every((s) => s.name.startsWith("puffle "))).toBe(true);
  });
});

describe("content and secrets", () => {
  it("captureContent records the message, the reply and the draft; never a key or token", async () => {
    stop?.();
    stop = registerPuffleTelemetry({ tracerProvider: provider, captureContent: true });
    const puffle = client();
    const session = await freshSession(puffle);
    exporter.reset();
    const first = await puffle.chat(session.id, { message: "Write it for CFOs" });
    const result = await puffle.chat(session.id, { message: "Proceed on your assumptions" });
    expect(result.session.draft_subject).toEqual(expect.any(String));
    await puffle.getSession("00000000-0000-4000-8000-000000000001").catch(() => undefined);
    const agent = named("invoke_agent puffle")[1] as ReadableSpan;
    const content = (key: string) => JSON.parse(String(agent.attributes[key]))[0].parts[0].content;
    expect(content("gen_ai.input.messages")).toBe("Proceed on your assumptions");
    expect(content("gen_ai.output.messages")).toBe(result.reply);
    expect(agent.attributes["puffle.draft.subject"]).toBe(result.session.draft_subject);
    expect(agent.attributes["puffle.draft.body"]).toBe(result.session.draft_body);
    const everything = JSON.stringify(
      spans().map((s) => ({
        name: s.name,
        attributes: s.attributes,
        events: s.events,
        status: s.status,
        links: s.links,
      })),
    );
    expect(everything).not.toContain(server.apiKey);
    expect(everything).not.toContain(server.apiKey.slice(24));
    for (const { run } of [first, result]) {
      expect(run.publicAccessToken?.length).toBeGreaterThan(8);
      expect(everything).not.toContain(run.publicAccessToken);
    }
  });

  it("without a subscriber, no span is started", async () => {
    stop?.();
    stop = undefined;
    let started = 0;
    const counting = new BasicTracerProvider({
      spanProcessors: [
        {
          onStart: () => {
            started += 1;
          },
          onEnd: () => {},
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
    });
    const off = registerPuffleTelemetry({ tracerProvider: counting });
    off();
    const puffle = client();
    const session = await freshSession(puffle);
    await puffle.chat(session.id, { message: "Untraced" });
    expect(started).toBe(0);
    expect(spans()).toEqual([]);
    // And with it back on, the same calls are traced (the check above can fail).
    const on = registerPuffleTelemetry({ tracerProvider: counting });
    await puffle.getSession(session.id);
    on();
    expect(started).toBe(2);
  });
});

describe("registerPuffleTelemetry's input", () => {
  it("refuses a non-object with what to pass", () => {
    expect(() => registerPuffleTelemetry(42 as never)).toThrow(/pass an options object/);
  });
  it("uses the global tracer provider when none is given", async () => {
    stop?.();
    trace.setGlobalTracerProvider(provider);
    stop = registerPuffleTelemetry();
    try {
      const puffle = client();
      const session = await freshSession(puffle);
      exporter.reset();
      await puffle.getSession(session.id);
      expect(named("puffle getSession").length).toBe(1);
    } finally {
      trace.disable();
    }
  });
});

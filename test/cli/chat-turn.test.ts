import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { streamTurn } from "../../src/cli/chat-turn";
import { isAbort } from "../../src/cli/errors";
import { PuffleClient } from "../../src/index";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";

let emu: Emulator;
let server: ListeningEmulator;
let client: PuffleClient;
let sessionId: string;

beforeEach(async () => {
  emu = createEmulator({ taskDurationMs: 300 });
  server = await emu.listen();
  client = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    maxRetries: 0,
  });
  const session = await client.getOrCreateSession({
    campaign_id: emu.demo.campaignId,
    node_id: emu.demo.nodeId,
  });
  sessionId = session.id;
});

afterEach(async () => {
  await server.close();
});

describe("streamTurn (the chat's streamed reply)", () => {
  it("delivers the reply in several deltas that add up to the reply saved on the session", async () => {
    const deltas: string[] = [];
    const out = await streamTurn(
      client,
      sessionId,
      { message: "Intro email for VPs of Sales" },
      { signal: new AbortController().signal, onDelta: (text) => deltas.push(text) },
    );
    expect(out.session.task_status).toBeNull();
    expect(out.reply).toMatch(/questions/);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(out.reply);
    expect(out.streamed).toBe(out.reply);
    expect(out.wait.mode).toBe("realtime");
    expect(out.wait.requests).toBeGreaterThanOrEqual(2);
  });

  it("without a token (a reconciled dispatch) streams nothing and still returns the reply", async () => {
    emu.faults.inject({ operation: "turn", kind: "dropAfter" });
    const deltas: string[] = [];
    const out = await streamTurn(
      client,
      sessionId,
      { message: "Intro email for VPs of Sales" },
      { signal: new AbortController().signal, onDelta: (text) => deltas.push(text) },
    );
    expect(deltas).toEqual([]);
    expect(out.streamed).toBe("");
    expect(out.reply).toMatch(/questions/);
    expect(out.wait.mode).toBe("poll");
  });

  it("when the reply stream is refused, still returns the reply after the wait", async () => {
    emu.faults.inject({ operation: "stream", kind: "status", status: 401, times: Infinity });
    const out = await streamTurn(
      client,
      sessionId,
      { message: "Intro email for VPs of Sales" },
      { signal: new AbortController().signal, onDelta: () => {} },
    );
    expect(out.streamed).toBe("");
    expect(out.reply).toMatch(/questions/);
  });

  it("an abort during the wait rejects with an abort error, and the task runs on", async () => {
    emu.settings.taskDurationMs = 5_000;
    const controller = new AbortController();
    const turn = streamTurn(
      client,
      sessionId,
      { message: "Intro email for VPs of Sales" },
      {
        signal: controller.signal,
        onDelta: () => controller.abort(), // cancel as soon as the reply starts
      },
    );
    const error = await turn.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAbort(error)).toBe(true);
    expect(emu.getSession(sessionId)?.task_status).toBe("chat_processing");
  });
});

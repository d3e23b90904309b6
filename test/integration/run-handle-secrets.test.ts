/**
 * Run handles never print their public access token (issue 17, item 3): `TaskFailedError`,
 * `WaitTimeoutError`, `ChatResult` and the handle `runTurn` resolves with, through every view a
 * log or a crash reporter takes (`util.inspect` as `console.error` uses it, with hidden
 * properties too; `JSON.stringify`; `String`; keys and spreads), while `error.run` still resumes
 * the wait over the realtime feed, which needs the token. Against the emulator over real HTTP
 * (and, for generate_ai's acknowledgement, which the emulator sends without a token, a loopback host).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient, type RunHandle, TaskFailedError, WaitTimeoutError } from "../../src/index";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";

let server: ListeningEmulator;
let puffle: PuffleClient;

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 150, liveHoldMs: 200 }).listen();
  puffle = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    logLevel: "off",
  });
});
afterAll(async () => {
  await server?.close();
});
afterEach(async () => {
  server.emulator.faults.clear();
  await server.emulator.finishTasks();
});

async function freshSession(): Promise<string> {
  const { campaignId } = server.emulator.demo;
  const nodeId = server.emulator.addNode(campaignId, { type: "ai" });
  return (await puffle.createSession({ campaign_id: campaignId, node_id: nodeId })).id;
}

/** The token of a dispatched handle (read by name: the one way it is still available). */
function tokenOf(run: RunHandle | undefined): string {
  const token = run?.publicAccessToken;
  expect(typeof token).toBe("string");
  expect((token as string).length).toBeGreaterThan(8);
  return token as string;
}

/** Every way a value is printed or serialised by code that did not ask for the token. */
function views(value: unknown): Record<string, string> {
  return {
    "util.inspect": inspect(value, { depth: 10 }),
    "util.inspect showHidden": inspect(value, { depth: 10, showHidden: true }),
    "JSON.stringify": JSON.stringify(value) ?? "",
    String: String(value),
    "keys and spread": JSON.stringify(
      Object.entries({ ...(value as object) }).map(([k, v]) => [k, inspect(v, { depth: 10 })]),
    ),
  };
}

function expectHidden(value: unknown, token: string) {
  for (const [view, text] of Object.entries(views(value))) {
    expect(text.includes(token), `${view} shows the token`).toBe(false);
    // Nor a telling piece of it.
    expect(text.includes(token.slice(-16)), `${view} shows part of the token`).toBe(false);
  }
}

describe("run handles keep their token to themselves", () => {
  it("runTurn's handle: the token is there by name, absent from inspect, JSON, String and spreads", async () => {
    const id = await freshSession();
    const run = await puffle.runTurn(id, { message: "Intro email for VPs of Sales" });
    const token = tokenOf(run);
    expectHidden(run, token);
    expect(JSON.parse(JSON.stringify(run))).toEqual({
      runId: run.runId,
      publicAccessToken: "[REDACTED]",
      reconciled: false,
    });
    expect(inspect(run)).toContain("[REDACTED]");
    // Still usable: the realtime wait needs the token, and the run option accepts the handle.
    const modes: string[] = [];
    const done = await puffle.waitForIdle(id, {
      run,
      mode: "realtime",
      onEvent: (event) => {
        if (event.type === "mode") modes.push(event.mode);
      },
    });
    expect(done.task_status).toBeNull();
    expect(modes).toEqual(["realtime"]);
  });

  it("ChatResult: the result of chat() prints and serialises without the token", async () => {
    const id = await freshSession();
    const result = await puffle.chat(id, { message: "Intro email for VPs of Sales" });
    const token = tokenOf(result.run);
    expectHidden(result, token);
  });

  it("TaskFailedError: console.error's view, JSON and String of the error hold no token", async () => {
    const id = await freshSession();
    server.emulator.faults.inject({
      operation: "turn",
      kind: "runFails",
      failureStatus: "CRASHED",
    });
    const error = await puffle.chat(id, { message: "Intro email for VPs of Sales" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TaskFailedError);
    const failed = error as TaskFailedError;
    expectHidden(failed, tokenOf(failed.run));
  });

  it("WaitTimeoutError: no token in any view, and error.run resumes the wait over realtime", async () => {
    const slow = await createEmulator({ taskDurationMs: 1_500, liveHoldMs: 200 }).listen();
    try {
      const client = new PuffleClient({
        apiKey: slow.apiKey,
        baseURL: slow.url,
        triggerBaseURL: slow.url,
        logLevel: "off",
      });
      const { campaignId, nodeId } = slow.emulator.demo;
      const id = (await client.createSession({ campaign_id: campaignId, node_id: nodeId })).id;
      const error = await client
        .chat(id, { message: "Intro email for VPs of Sales" }, { deadline: 300 })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(WaitTimeoutError);
      const timeout = error as WaitTimeoutError;
      expectHidden(timeout, tokenOf(timeout.run));
      const resumed = await client.waitForIdle(id, {
        run: timeout.run as RunHandle,
        mode: "realtime",
        deadline: 30_000,
      });
      expect(resumed.task_status).toBeNull();
    } finally {
      await slow.close();
    }
  });

  it("generate_ai's queue acknowledgement, when it carries a run token, hides it the same way", async () => {
    const token = `tr_pat_${"f".repeat(40)}`;
    const host = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ success: true, queued: 1, runId: "run_ai", publicAccessToken: token }),
        );
      });
    });
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    try {
      const client = new PuffleClient({
        apiKey: server.apiKey,
        baseURL: `http://127.0.0.1:${(host.address() as AddressInfo).port}`,
        logLevel: "off",
      });
      const result = await client.generateCampaignMessages(server.emulator.demo.campaignId, {
        action: "generate_ai",
        node_id: server.emulator.demo.nodeId,
      });
      expect((result as { publicAccessToken?: string }).publicAccessToken).toBe(token);
      expectHidden(result, token);
    } finally {
      host.closeAllConnections();
      await new Promise<void>((resolve) => host.close(() => resolve()));
    }
  });

  it("a handle the caller passed in is reported hidden, and the caller's own object is left as it was", async () => {
    const id = await freshSession();
    const given = await puffle.runTurn(id, { message: "Intro email for VPs of Sales" });
    const mine = { runId: given.runId, publicAccessToken: tokenOf(given), reconciled: false };
    const error = await puffle.waitForIdle(id, { run: mine as RunHandle, deadline: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    const timeout = error as WaitTimeoutError;
    expectHidden(timeout, mine.publicAccessToken);
    expect(timeout.run?.publicAccessToken).toBe(mine.publicAccessToken);
    expect(Object.keys(mine)).toEqual(["runId", "publicAccessToken", "reconciled"]);
  });
});

import { ApiClient } from "@trigger.dev/core/v3";
import { configure, runs } from "@trigger.dev/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectStatusesInLifecycleOrder } from "../support/lifecycle";
import { type Harness, startHarness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    taskDurationMs: 60,
    liveHoldMs: 500,
    pingIntervalMs: 100,
    tokenTtlMs: 60_000,
  });
});
afterAll(() => h.close());

async function twoTurns(): Promise<{
  id: string;
  handle: { runId: string; publicAccessToken: string };
}> {
  const id = await h.createSession();
  await h.turn(id, "Intro email for VPs of Sales, time-to-ROI");
  await h.waitIdle(id);
  return { id, handle: await h.turn(id, "They run teams of 20 reps; mention SOC 2") };
}

/** Iterate withStreams() until the run is completed and the chat stream said "completed". */
async function collectWithStreams(runId: string, token: string) {
  configure({ baseURL: h.url, accessToken: token });
  const chunks: { type: string }[] = [];
  const statuses: string[] = [];
  let runCompleted = false;
  const guard = new AbortController();
  const timer = setTimeout(() => guard.abort(), 10_000);
  try {
    for await (const part of runs.subscribeToRun(runId, { signal: guard.signal }).withStreams()) {
      if (part.type === "run") {
        statuses.push(part.run.status);
        runCompleted ||= part.run.isCompleted;
      } else {
        chunks.push((part as unknown as { chunk: { type: string } }).chunk);
      }
      if (runCompleted && chunks.some((c) => c.type === "completed")) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return { chunks, statuses, runCompleted };
}

describe("official @trigger.dev/sdk against the emulator", () => {
  it("runs.subscribeToRun follows the run to COMPLETED with the output and ends by itself", async () => {
    const id = await h.createSession();
    const handle = await h.turn(id, "Intro email for VPs of Sales, time-to-ROI");
    configure({ baseURL: h.url, accessToken: handle.publicAccessToken });
    const statuses: string[] = [];
    let last: { output?: unknown; isSuccess: boolean; finishedAt?: Date | undefined } | undefined;
    for await (const run of runs.subscribeToRun(handle.runId)) {
      statuses.push(run.status);
      last = run;
    }
    // The current state first, then every change: a late subscriber may miss EXECUTING.
    expectStatusesInLifecycleOrder(statuses, "COMPLETED", { distinct: false });
    expect(last?.isSuccess).toBe(true);
    expect(last?.finishedAt).toBeInstanceOf(Date);
    expect(last?.output).toMatchObject({ kind: "turn", session_id: id, skeleton_updated: false });
  });

  it("ApiClient.subscribeToRun (core) follows the run to COMPLETED and ends by itself", async () => {
    const { id, handle } = await twoTurns();
    const client = new ApiClient(h.url, handle.publicAccessToken);
    const statuses: string[] = [];
    let output: unknown;
    const errors: unknown[] = [];
    for await (const run of client.subscribeToRun(handle.runId, {
      onFetchError: (e) => errors.push(e),
    })) {
      statuses.push(run.status);
      output = run.output;
      expect(run.metadata).toMatchObject({ $$streams: ["chat"] });
    }
    expect(errors).toEqual([]);
    // The current state first, then every change: a late subscriber may miss EXECUTING.
    expectStatusesInLifecycleOrder(statuses, "COMPLETED", { distinct: false });
    expect(output).toMatchObject({
      kind: "turn",
      session_id: id,
      skeleton_updated: true,
      framework_version: 1,
    });
  });

  for (const version of ["v1", "v2"] as const) {
    it(`withStreams() delivers the chat chunks with ${version} framing`, async () => {
      const id = await h.createSession();
      await h.turn(id, "Intro email for VPs of Sales, time-to-ROI");
      await h.waitIdle(id);
      const res = await h.json<{ runId: string; publicAccessToken: string }>(
        `/api/campaigns/ai-chat-sessions/${id}/turn`,
        {
          body: { message: "Make it shorter" },
          headers: { "x-emulator-stream-version": version },
        },
      );
      expect(res.status).toBe(200);
      expect(h.emu.getRun(res.body.runId)?.streamVersion).toBe(version);
      const streamsBefore = h.emu.ledger.requests.stream;
      const { chunks, runCompleted } = await collectWithStreams(
        res.body.runId,
        res.body.publicAccessToken,
      );
      expect(runCompleted).toBe(true);
      expect(h.emu.ledger.requests.stream).toBeGreaterThan(streamsBefore);
      const types = chunks.map((c) => c.type);
      expect(types).toEqual(
        expect.arrayContaining(["status", "delta", "skeleton", "draft", "completed"]),
      );
      const reply = chunks
        .filter((c): c is { type: "delta"; text: string } => c.type === "delta")
        .map((c) => c.text)
        .join("");
      const session = await h.waitIdle(id);
      const messages = session.messages as { role: string; content: string }[];
      expect(reply).toBe(messages.at(-1)?.content);
      // no duplicates: every chunk once
      expect(types.filter((t) => t === "completed")).toHaveLength(1);
    });
  }

  it("an expired token is answered 401 (seen by ApiClient onFetchError); the official subscription hangs until aborted", async () => {
    const id = await h.createSession();
    const handle = await h.turn(id, "Intro email for VPs of Sales");
    h.emu.expireTokens(handle.runId);

    const errors: { status?: number }[] = [];
    const abort = new AbortController();
    const client = new ApiClient(h.url, handle.publicAccessToken);
    const seen: unknown[] = [];
    const loop = (async () => {
      for await (const run of client.subscribeToRun(handle.runId, {
        signal: abort.signal,
        onFetchError: (e) => {
          errors.push(e as { status?: number });
          abort.abort();
        },
      })) {
        seen.push(run);
      }
    })();
    await Promise.race([loop, new Promise((r) => setTimeout(r, 5000))]);
    abort.abort();
    expect(errors[0]?.status).toBe(401);
    expect(seen).toEqual([]);

    configure({ baseURL: h.url, accessToken: handle.publicAccessToken });
    const before = h.emu.ledger.requests.runFeed;
    const official = new AbortController();
    const yielded: unknown[] = [];
    const hanging = (async () => {
      for await (const run of runs.subscribeToRun(handle.runId, { signal: official.signal }))
        yielded.push(run);
    })().catch(() => {});
    while (h.emu.ledger.requests.runFeed === before) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    official.abort();
    await hanging;
    expect(yielded).toEqual([]);
    await h.waitIdle(id);
  });
});

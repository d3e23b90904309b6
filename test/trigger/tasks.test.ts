/**
 * Issue 20, item 2: the Trigger.dev tasks' run bodies against the emulator over real HTTP (the
 * run bodies are plain functions; a Trigger.dev server is not available here), a retried run
 * that starts over with the same store, and smoke tests inside `runInMockTaskContext`.
 */
import { runInMockTaskContext } from "@trigger.dev/core/v3/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryStore } from "../../src/campaign/index";
import { PuffleClient } from "../../src/client";
import type { DispatchStore } from "../../src/core/draft-types";
import { RequestValidationError } from "../../src/core/errors";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";
import {
  createDraftTasks,
  type DraftRunDeps,
  type NodeJobData,
  runCampaignDraft,
  runNodeDraft,
} from "../../src/trigger/index";

let server: ListeningEmulator;
let emu: Emulator;
const BRIEF = "Intro to VPs of Sales about our forecasting tool";

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 150, liveHoldMs: 500 }).listen();
  emu = server.emulator;
});
afterAll(async () => {
  await server.close();
});

const client = () =>
  new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    logLevel: "off",
  });

/** Deps that run the chain in this process: started nodes go to a list, sleeps are short. */
function localDeps(store: DispatchStore, signal?: AbortSignal) {
  const started: Array<{ job: NodeJobData; key: string }> = [];
  const deps: DraftRunDeps = {
    client: client(),
    store,
    signal,
    turnWaitMs: 5_000,
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 200))),
    startNode: async (job, key) => {
      started.push({ job, key });
    },
  };
  return { deps, started };
}

/** Run the campaign body, then each started node body in turn, like the tasks would. */
async function draftAll(campaignId: string, store: DispatchStore) {
  const { deps, started } = localDeps(store);
  const { nodeIds } = await runCampaignDraft({ campaignId, options: { brief: BRIEF } }, deps);
  const results = [];
  while (started.length > 0) {
    const { job } = started.shift() as { job: NodeJobData };
    results.push(await runNodeDraft(job, deps));
  }
  return { nodeIds, results };
}

/** Each session: the turns the server dispatched are exactly its transcript's user messages. */
async function expectOnePaymentPerMessage(campaignId: string) {
  const sessions = await client().listSessions(campaignId);
  for (const listed of sessions) {
    const session = await client().getSession(listed.id);
    const users = (session.messages ?? []).filter((m) => m.role === "user").map((m) => m.content);
    const paid = emu.ledger.dispatches
      .filter((d) => d.sessionId === session.id && d.operation === "turn")
      .map((d) => d.message);
    expect(paid).toEqual(users);
  }
  return sessions;
}

describe("the run bodies", () => {
  it("draft every node in sequence order, one session per node, each turn paid once", async () => {
    const { campaignId, contentNodeIds } = emu.seedCampaign({
      nodes: [{ type: "ai" }, { type: "email" }, { type: "email" }],
    });
    const { nodeIds, results } = await draftAll(campaignId, createMemoryStore());
    expect(nodeIds).toEqual(contentNodeIds);
    expect(results.map((r) => [r.nodeId, r.status])).toEqual(
      contentNodeIds.map((id) => [id, "drafted"]),
    );
    const sessions = await expectOnePaymentPerMessage(campaignId);
    expect(sessions.map((s) => s.node_id).sort()).toEqual([...contentNodeIds].sort());
    // The follow-ups were written with the earlier drafts as their sequenceContext.
    const turns = emu.ledger.dispatches.filter((d) =>
      sessions.some((s) => s.id === d.sessionId && s.node_id === contentNodeIds[2]),
    );
    expect(turns.length).toBeGreaterThan(0);
  });

  it("a run retried from the start (Trigger.dev's retry) with the same store pays nothing twice", async () => {
    const { campaignId, contentNodeIds } = emu.seedCampaign({
      nodes: [{ type: "email" }, { type: "ai" }],
    });
    const store = createMemoryStore();
    const { deps, started } = localDeps(store);
    await runCampaignDraft({ campaignId, options: { brief: BRIEF } }, deps);
    const first = started.shift()?.job as NodeJobData;
    // Attempt 1: aborted right after its first dispatch (a crash or a lost machine).
    const abort = new AbortController();
    const attempt1 = localDeps(store, abort.signal);
    const sentBefore = emu.ledger.dispatches.length;
    const watch = setInterval(() => {
      if (emu.ledger.dispatches.length > sentBefore) abort.abort(new Error("machine lost"));
    }, 5);
    await expect(runNodeDraft(first, attempt1.deps)).rejects.toBeDefined();
    clearInterval(watch);
    // Attempt 2: the same payload from the start, as Trigger.dev retries.
    const attempt2 = localDeps(store);
    const done = await runNodeDraft(first, attempt2.deps);
    expect(done.status).toBe("drafted");
    expect(done.duplicates).toEqual([]);
    const next = attempt2.started.shift()?.job as NodeJobData;
    expect(next.queue[0]?.node.id).toBe(contentNodeIds[1]);
    expect((await runNodeDraft(next, attempt2.deps)).status).toBe("drafted");
    await expectOnePaymentPerMessage(campaignId);
  });

  it("refuses bad input before any request", async () => {
    const { deps } = localDeps(createMemoryStore());
    const before = emu.ledger.requests.getCampaign;
    await expect(
      runCampaignDraft({ campaignId: "not-a-uuid", options: { brief: BRIEF } }, deps),
    ).rejects.toBeInstanceOf(RequestValidationError);
    await expect(
      runCampaignDraft({ campaignId: emu.demo.campaignId, options: { brief: "" } }, deps),
    ).rejects.toBeInstanceOf(RequestValidationError);
    await expect(
      runCampaignDraft(
        {
          campaignId: emu.demo.campaignId,
          options: { brief: BRIEF, answers: (() => "x") as never },
        },
        deps,
      ),
    ).rejects.toThrow(/a function cannot reach another machine/);
    expect(emu.ledger.requests.getCampaign).toBe(before);
  });
});

describe("in a mock task context", () => {
  it("createDraftTasks gives the two tasks; bad options are refused", () => {
    const tasks = createDraftTasks({ client, store: createMemoryStore(), id: "t1" });
    expect(tasks.campaignTask.id).toBe("t1-campaign");
    expect(tasks.nodeTask.id).toBe("t1-node");
    expect(() => createDraftTasks({ client } as never)).toThrow(/DispatchStore/);
  });

  it("the run bodies draft a campaign inside runInMockTaskContext", async () => {
    const { campaignId } = emu.seedCampaign({ nodes: [{ type: "ai" }, { type: "email" }] });
    const results = await runInMockTaskContext(async () =>
      draftAll(campaignId, createMemoryStore()),
    );
    expect(results.results.map((r) => r.status)).toEqual(["drafted", "drafted"]);
    await expectOnePaymentPerMessage(campaignId);
  });
});

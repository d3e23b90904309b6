/**
 * `draftCampaign` and `advanceSession` against the emulator over real HTTP: refusals before
 * anything is sent, a whole campaign drafted and finished (follow-ups built on the earlier
 * drafts), resume after a stop, answers as a function, foreign turns, the turn limits, and each
 * status of one `advanceSession` step.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryStore, DraftCampaignError } from "../../src/campaign/index";
import { PuffleClient } from "../../src/client";
import type { DraftProgressEvent } from "../../src/core/draft-types";
import { NotFoundError, RequestValidationError } from "../../src/index";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";

let server: ListeningEmulator;
let emu: Emulator;
let puffle: PuffleClient;
const BRIEF = "Intro to VPs of Sales about our forecasting tool";

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 100, liveHoldMs: 1_000 }).listen();
  emu = server.emulator;
  puffle = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    logLevel: "off",
  });
});
afterAll(() => server.close());
beforeEach(() => emu.faults.clear());

const seed = () =>
  emu.seedCampaign({
    nodes: [{ type: "email" }, { type: "delay", delay_days: 2 }, { type: "ai" }, { type: "email" }],
    leads: [{ first_name: "Ada", last_name: "Lovelace", company: "Analytical Engines" }],
  });
const sent = () => Object.values(emu.ledger.requests).reduce((a, b) => a + b, 0);
const turnsOf = (sessionId: string) =>
  emu.ledger.dispatches.filter((d) => d.sessionId === sessionId && d.operation === "turn");

describe("draftCampaign: bad input is refused before anything is sent", () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ["an empty brief", { brief: "  " }, /brief must be a non-empty string/],
    ["no brief", {}, /brief is required/],
    [
      "concurrency below 1",
      { brief: BRIEF, concurrency: 0 },
      /concurrency must be a whole number from 1/,
    ],
    [
      "an unknown option",
      { brief: BRIEF, concurency: 2 },
      /unknown option "concurency"; did you mean "concurrency"/,
    ],
    [
      "answers that are not strings",
      { brief: BRIEF, answers: [1] },
      /answers\[0\] must be a non-empty string/,
    ],
  ];
  for (const [name, options, message] of cases) {
    it(name, async () => {
      const before = sent();
      const error = await puffle
        .draftCampaign(seed().campaignId, options as { brief: string })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestValidationError);
      expect((error as Error).message).toMatch(message);
      expect(sent()).toBe(before);
    });
  }

  it("a malformed campaign id", async () => {
    await expect(puffle.draftCampaign("nope", { brief: BRIEF })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
  });

  it("an unknown campaign is a NotFoundError; a campaign that is not a draft says so", async () => {
    const missing = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
    await expect(puffle.draftCampaign(missing, { brief: BRIEF })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const { campaignId } = emu.seedCampaign({ nodes: [{ type: "email" }], status: "active" });
    const error = await puffle.draftCampaign(campaignId, { brief: BRIEF }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DraftCampaignError);
    expect(error).toMatchObject({ reason: "campaign-not-draft" });
    expect((error as Error).message).toMatch(
      /is active; draftCampaign drafts draft campaigns only/,
    );
  });

  it("a node id that is not a content node of the campaign: the content nodes are listed, no session made", async () => {
    const { campaignId, nodeIds, contentNodeIds } = seed();
    const delay = nodeIds[1] as string;
    const error = await puffle
      .draftCampaign(campaignId, { brief: BRIEF, nodes: [delay] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "unknown-node" });
    for (const id of contentNodeIds) expect((error as Error).message).toContain(id);
    expect(await puffle.listSessions(campaignId)).toEqual([]);
  });
});

describe("draftCampaign: a whole campaign", () => {
  it("drafts every content node in order, follow-ups built on the earlier drafts, then finishes them", async () => {
    const { campaignId, contentNodeIds } = seed();
    const events: DraftProgressEvent[] = [];
    const result = await puffle.draftCampaign(campaignId, {
      brief: BRIEF,
      examples: [{ first_name: "Ada", last_name: "Lovelace", company: "Analytical Engines" }],
      finish: true,
      onProgress: (e) => events.push(e),
    });
    expect(result.nodes.map((n) => [n.nodeId, n.status])).toEqual(
      contentNodeIds.map((id) => [id, "finished"]),
    );
    expect(result.stopped).toBeNull();
    const [first, ai, last] = result.nodes;
    // The follow-ups saw the drafts before them (sequenceContext): they refer to the earlier email.
    expect(last?.draft_body).toContain("earlier email");
    expect(last?.draft_subject).toMatch(/^Re: /);
    expect(first?.draft_body).not.toContain("&&");
    expect(ai?.draft_body).toContain("&&");
    // finishSession copied each email draft onto its node.
    const nodes = emu.getNodes(campaignId);
    expect(nodes.find((n) => n.id === first?.nodeId)?.body).toBe(first?.draft_body);
    // One session per node; its turns are the transcript's user messages, none twice.
    const sessions = await puffle.listSessions(campaignId);
    expect(sessions).toHaveLength(3);
    for (const s of sessions) {
      const users = (s.messages ?? []).filter((m) => m.role === "user").map((m) => m.content);
      expect(turnsOf(s.id).map((d) => d.message)).toEqual(users);
    }
    expect(result.turnsSent).toBe(sessions.reduce((n, s) => n + turnsOf(s.id).length, 0));
    const types = events.filter((e) => e.nodeId === first?.nodeId).map((e) => e.type);
    expect(types[0]).toBe("node_started");
    expect(types).toContain("turn_sent");
    expect(types.at(-1)).toBe("finished");
  }, 60_000);

  it("stopped by maxTurns, then rerun: it resumes on the same sessions and never resends a message", async () => {
    const { campaignId } = seed();
    const store = createMemoryStore();
    const first = await puffle.draftCampaign(campaignId, { brief: BRIEF, maxTurns: 2, store });
    expect(first.stopped).toBe("max-turns");
    expect(first.turnsSent).toBe(2);
    const second = await puffle.draftCampaign(campaignId, { brief: BRIEF, store });
    expect(second.nodes.every((n) => n.status === "drafted")).toBe(true);
    const sessions = await puffle.listSessions(campaignId);
    expect(sessions).toHaveLength(3);
    for (const s of sessions) {
      const messages = turnsOf(s.id).map((d) => d.message);
      expect(new Set(messages).size).toBe(messages.length);
    }
    expect(first.turnsSent + second.turnsSent).toBe(
      sessions.reduce((n, s) => n + turnsOf(s.id).length, 0),
    );
  }, 60_000);

  it("answers as a function: called with the assistant's question; its text is what was sent", async () => {
    const { campaignId, contentNodeIds } = seed();
    const questions: string[] = [];
    const result = await puffle.draftCampaign(campaignId, {
      brief: BRIEF,
      nodes: [contentNodeIds[0] as string],
      answers: (question, { index }) => {
        questions.push(question);
        return `Readers: VPs of Sales. Goal: a 20 minute call. Final text please (answer ${index}).`;
      },
    });
    expect(result.nodes[0]?.status).toBe("drafted");
    expect(questions[0]).toMatch(/\?/);
    const session = (await puffle.listSessions(campaignId))[0];
    const messages = turnsOf(session?.id as string).map((d) => d.message);
    expect(messages[1]).toBe(
      "Readers: VPs of Sales. Goal: a 20 minute call. Final text please (answer 1).",
    );
  }, 60_000);

  it("answers recomposed differently after a restart (no journal): plan-mismatch, nothing resent", async () => {
    const { campaignId, contentNodeIds } = seed();
    const nodes = [contentNodeIds[0] as string];
    const answer = (text: string) => () => text;
    const first = await puffle.draftCampaign(campaignId, {
      brief: BRIEF,
      nodes,
      maxTurns: 2,
      answers: answer("Readers: VPs of Sales. Goal: a call."),
    });
    expect(first.turnsSent).toBe(2);
    // A new process, without the store: the function now says something else for message 2.
    const second = await puffle.draftCampaign(campaignId, {
      brief: BRIEF,
      nodes,
      quietPeriod: 1_000,
      answers: answer("Readers: CFOs. Final text please."),
    });
    expect(second.nodes[0]).toMatchObject({ status: "needs_attention", reason: "plan-mismatch" });
    expect(second.turnsSent).toBe(0);
  }, 60_000);

  it("a deadline and a signal stop the call: nothing more is sent, the nodes say stopped", async () => {
    const slow = { "x-emulator-task-duration-ms": "5000" };
    const one = seed();
    const started = Date.now();
    const timed = await puffle.draftCampaign(one.campaignId, {
      brief: BRIEF,
      deadline: 1_500,
      headers: slow,
    });
    expect(Date.now() - started).toBeLessThan(4_500);
    expect(timed.stopped).toBe("deadline");
    expect(timed.nodes.every((n) => n.status === "needs_attention" && n.reason === "stopped")).toBe(
      true,
    );
    const two = seed();
    const controller = new AbortController();
    const aborted = await puffle.draftCampaign(two.campaignId, {
      brief: BRIEF,
      headers: slow,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === "turn_sent") controller.abort();
      },
    });
    expect(aborted.stopped).toBe("signal");
    const sessions = await puffle.listSessions(two.campaignId);
    expect(sessions.reduce((n, s) => n + turnsOf(s.id).length, 0)).toBe(aborted.turnsSent);
    expect(aborted.turnsSent).toBeLessThanOrEqual(2);
  }, 60_000);

  it("a user message the plan did not send stops that node (foreign-turn), on its one session", async () => {
    const { campaignId, contentNodeIds } = seed();
    const nodeId = contentNodeIds[0] as string;
    const session = await puffle.createSession({ campaign_id: campaignId, node_id: nodeId });
    await puffle.chat(session.id, { message: "Something a person typed by hand" });
    const result = await puffle.draftCampaign(campaignId, { brief: BRIEF, nodes: [nodeId] });
    expect(result.nodes[0]).toMatchObject({ status: "needs_attention", reason: "foreign-turn" });
    expect(turnsOf(session.id)).toHaveLength(1);
    expect(await puffle.listSessions(campaignId)).toHaveLength(1);
  }, 60_000);

  it("maxTurnsPerNode bounds the spend: an email node still holding blocks needs attention", async () => {
    const { campaignId, contentNodeIds } = seed();
    const result = await puffle.draftCampaign(campaignId, {
      brief: BRIEF,
      nodes: [contentNodeIds[0] as string],
      maxTurnsPerNode: 1,
    });
    expect(result.nodes[0]).toMatchObject({
      status: "needs_attention",
      reason: "max-turns",
      turns: 1,
    });
  }, 60_000);
});

describe("advanceSession: one step", () => {
  it("sent (one dispatch, the run handle), busy without waiting, then drafted", async () => {
    const { campaignId, contentNodeIds } = seed();
    const session = await puffle.createSession({
      campaign_id: campaignId,
      node_id: contentNodeIds[1] as string,
    });
    const plan = {
      nodeType: "ai" as const,
      messages: [BRIEF, "Please go ahead and write the draft now."],
    };
    // A store of intents: without one, a session updated moments ago gets the quiet period.
    const store = createMemoryStore();
    const slow = { store, headers: { "x-emulator-task-duration-ms": "3000" } };
    const step = await puffle.advanceSession(session.id, plan, slow);
    expect(step).toMatchObject({ status: "sent", dispatched: { op: "turn", index: 0 } });
    expect(step.run?.runId).toMatch(/^run_/);
    expect(turnsOf(session.id)).toHaveLength(1);
    const started = Date.now();
    const busy = await puffle.advanceSession(session.id, plan, { store });
    expect(Date.now() - started).toBeLessThan(2_000); // "return": it never waits
    expect(busy).toMatchObject({ status: "busy", reason: "session-busy", dispatched: null });
    expect(turnsOf(session.id)).toHaveLength(1);
    await puffle.waitForIdle(session.id);
    const second = await puffle.advanceSession(session.id, plan, {
      store,
      wait: "block",
      deadline: 30_000,
    });
    expect(second, second.detail).toMatchObject({ status: "sent", dispatched: { index: 1 } });
    expect(second.session.task_status).toBeNull();
    const done = await puffle.advanceSession(session.id, plan, { store });
    expect(done).toMatchObject({ status: "drafted", turns: 2 });
    expect(turnsOf(session.id)).toHaveLength(2);
  }, 60_000);

  it("without a store, a session updated moments ago is not sent to (quiet period)", async () => {
    const { campaignId, contentNodeIds } = seed();
    const node_id = contentNodeIds[0] as string;
    const session = await puffle.createSession({ campaign_id: campaignId, node_id });
    const step = await puffle.advanceSession(session.id, { nodeType: "email", messages: [BRIEF] });
    expect(step).toMatchObject({ status: "busy", reason: "quiet-period" });
    expect(step.retryAfterMs).toBeGreaterThan(50_000);
    expect(turnsOf(session.id)).toHaveLength(0);
  });

  it("a bad plan is refused before anything is sent", async () => {
    const before = sent();
    const id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
    const error = await puffle
      .advanceSession(id, { nodeType: "html", messages: [] } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toMatch(/plan.nodeType must be "email" or "ai"/);
    await expect(puffle.advanceSession(id, {} as never)).rejects.toThrow(
      /plan.nodeType is required/,
    );
    expect(sent()).toBe(before);
  });

  it("stillOwner() false sends nothing", async () => {
    const { campaignId, contentNodeIds } = seed();
    const session = await puffle.createSession({
      campaign_id: campaignId,
      node_id: contentNodeIds[0] as string,
    });
    const step = await puffle.advanceSession(
      session.id,
      { nodeType: "email", messages: [BRIEF] },
      { stillOwner: () => false, store: createMemoryStore() },
    );
    expect(step).toMatchObject({ status: "needs_attention", reason: "not-owner" });
    expect(turnsOf(session.id)).toHaveLength(0);
  });
});

// PuffleClient over real HTTP against the emulator: every documented semantic, and every fault
// with the SDK's observable outcome (typed error, retried, or reconciled without a second turn).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/client";
import type { Lead, Session } from "../../src/core/types";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  DispatchUnknownError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  ResponseValidationError,
  SessionBusyError,
  SkeletonRequiredError,
} from "../../src/index";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";

let server: ListeningEmulator;
let emu: Emulator;
let puffle: PuffleClient;

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 100, liveHoldMs: 2_000 }).listen();
  emu = server.emulator;
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  emu.faults.clear();
  await emu.finishTasks();
  puffle = client();
});

function client(options: ConstructorParameters<typeof PuffleClient>[0] = {}) {
  return new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    logLevel: "off",
    ...options,
  });
}

/** A fresh ai node in the demo campaign, and its session. */
async function freshSession(): Promise<Session> {
  const nodeId = emu.addNode(emu.demo.campaignId, { type: "ai" });
  return puffle.createSession({ campaign_id: emu.demo.campaignId, node_id: nodeId });
}

const leads = (): Lead[] =>
  emu.demo.leads.slice(0, 3).map(({ id: _i, campaign_id: _c, ...lead }) => lead);

async function withSkeleton(): Promise<Session> {
  const session = await freshSession();
  await puffle.chat(session.id, { message: "Intro for VPs of Sales" });
  const second = await puffle.chat(session.id, { message: "Time to ROI, short, mention SOC 2" });
  expect(second.session.skeleton).not.toBeNull();
  return second.session;
}

describe("sessions", () => {
  it("creates, lists (oldest first), reads, updates only present keys, and deletes", async () => {
    const a = await freshSession();
    expect(a).toMatchObject({
      messages: null,
      skeleton: null,
      task_status: null,
      framework_version: null,
    });
    const listed = await puffle.listSessions(emu.demo.campaignId);
    expect(listed.map((s) => s.id)).toContain(a.id);
    const times = listed.map((s) => Date.parse(s.created_at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect((await puffle.getSession(a.id)).id).toBe(a.id);
    await puffle.updateSession(a.id, { title: "Intro", draft_subject: "Hi %first_name%" });
    const updated = await puffle.updateSession(a.id, { draft_body: "Body" });
    expect(updated).toMatchObject({
      title: "Intro",
      draft_subject: "Hi %first_name%",
      draft_body: "Body",
    });
    await puffle.deleteSession(a.id);
    await expect(puffle.getSession(a.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("getOrCreateSession lists first and returns the same session for the same node", async () => {
    const nodeId = emu.addNode(emu.demo.campaignId, { type: "ai" });
    const first = await puffle.getOrCreateSession({
      campaign_id: emu.demo.campaignId,
      node_id: nodeId,
    });
    const creates = emu.ledger.requests.create;
    const second = await puffle.getOrCreateSession({
      campaign_id: emu.demo.campaignId,
      node_id: nodeId,
    });
    expect(second.id).toBe(first.id);
    expect(emu.ledger.requests.create).toBe(creates);
  });

  it("answers 401 for a bad key (AuthenticationError, nested body shape), never retried", async () => {
    const before = emu.ledger.requests.list;
    const bad = client({ apiKey: `pk_live_${"0".repeat(64)}` });
    const error = await bad.listSessions(emu.demo.campaignId).catch((e: unknown) => e);
    expect(error instanceof AuthenticationError).toBe(true);
    expect(emu.ledger.requests.list - before).toBe(1);
  });

  it("hides other users' objects behind 404 and checks the node belongs to the campaign", async () => {
    const other = emu.demo.otherUser;
    await expect(
      puffle.createSession({ campaign_id: other.campaignId, node_id: other.nodeId }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      puffle.createSession({ campaign_id: emu.demo.campaignId, node_id: other.nodeId }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await puffle.listSessions(other.campaignId)).toEqual([]);
    const theirs = await client({ apiKey: other.apiKey }).createSession({
      campaign_id: other.campaignId,
      node_id: other.nodeId,
    });
    await expect(puffle.getSession(theirs.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("tasks", () => {
  it("claims atomically: a second dispatch while busy is a SessionBusyError naming the task", async () => {
    const session = await withSkeleton();
    await puffle.runTurn(session.id, { message: "Again" });
    const busy = (await puffle
      .runTurn(session.id, { message: "x" })
      .catch((e: unknown) => e)) as SessionBusyError;
    expect(busy instanceof SessionBusyError).toBe(true);
    expect(busy.taskStatus).toBe("chat_processing");
    await puffle.waitForIdle(session.id);
    await puffle.generateExamples(session.id, { leads: leads() });
    const busy2 = (await puffle
      .runTurn(session.id, { message: "x" })
      .catch((e: unknown) => e)) as SessionBusyError;
    expect(busy2.taskStatus).toBe("generating_examples");
    await puffle.waitForIdle(session.id);
  });

  it("needs a skeleton for examples (SkeletonRequiredError, not retried)", async () => {
    const session = await freshSession();
    const error = await puffle
      .generateExamples(session.id, { leads: leads() })
      .catch((e: unknown) => e);
    expect(error instanceof SkeletonRequiredError).toBe(true);
    expect(emu.ledger.exampleRuns(session.id)).toBe(0);
  });

  it("isFirstBatch true replaces the examples, false appends", async () => {
    const session = await withSkeleton();
    const three = await puffle.generateExamplesAndWait(session.id, { leads: leads() });
    expect(three.generated_examples).toHaveLength(3);
    const again = await puffle.generateExamplesAndWait(session.id, { leads: leads().slice(0, 2) });
    expect(again.generated_examples).toHaveLength(2);
    const appended = await puffle.generateExamplesAndWait(session.id, {
      leads: leads().slice(0, 1),
      isFirstBatch: false,
    });
    expect(appended.generated_examples).toHaveLength(3);
  });

  it("a new skeleton clears the examples; framework_version goes up on revisions", async () => {
    const session = await withSkeleton();
    const version = session.framework_version ?? 0;
    expect(version).toBeGreaterThanOrEqual(1);
    await puffle.generateExamplesAndWait(session.id, { leads: leads() });
    const revised = await puffle.chat(session.id, {
      message: "Make it longer, and mention onboarding",
    });
    expect(revised.skeletonChanged).toBe(true);
    expect(revised.session.framework_version).toBe(version + 1);
    expect(revised.session.generated_examples ?? []).toHaveLength(0);
    await puffle.generateExamplesAndWait(session.id, { leads: leads() });
    const edited = await puffle.updateSession(session.id, { skeleton: { subject: "Hand edited" } });
    expect(edited.generated_examples ?? []).toHaveLength(0);
  });

  it("deleting a session does not cancel its running task", async () => {
    const session = await freshSession();
    const run = await puffle.runTurn(session.id, { message: "Hello" });
    await puffle.deleteSession(session.id);
    await emu.finishTasks();
    expect(run.runId && emu.getRun(run.runId)?.mappedStatus).toBe("COMPLETED");
  });
});

describe("generateContent", () => {
  it("finds or creates the one session per node and returns the reply inline", async () => {
    const nodeId = emu.addNode(emu.demo.campaignId, { type: "ai" });
    const first = await puffle.generateContent(emu.demo.campaignId, {
      node_id: nodeId,
      message: "Intro for CFOs",
    });
    expect(first.assistant_message).toBeTruthy();
    const second = await puffle.generateContent(emu.demo.campaignId, {
      node_id: nodeId,
      message: "ROI focus",
    });
    expect(second.session_id).toBe(first.session_id);
    expect(second.skeleton_updated).toBe(true);
    const session = await puffle.getOrCreateSession({
      campaign_id: emu.demo.campaignId,
      node_id: nodeId,
    });
    expect(session.id).toBe(first.session_id);
  });

  it("refuses a non-draft campaign and a non-ai node (400), and a campaign not yours (404)", async () => {
    await expect(
      puffle.generateContent(emu.demo.activeCampaignId, {
        node_id: emu.demo.activeNodeId,
        message: "x",
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      puffle.generateContent(emu.demo.campaignId, { node_id: emu.demo.nonAiNodeId, message: "x" }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      puffle.generateContent(emu.demo.otherUser.campaignId, {
        node_id: emu.demo.otherUser.nodeId,
        message: "x",
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("faults", () => {
  it("dispatch 500: the claim was released, so the SDK sends again and the turn runs once", async () => {
    const session = await freshSession();
    emu.faults.inject({ operation: "turn", kind: "dispatch500", times: 1 });
    const run = await puffle.runTurn(session.id, { message: "Hello" });
    expect(run.runId).toMatch(/^run_/);
    expect(emu.ledger.turns(session.id)).toBe(1);
    await puffle.waitForIdle(session.id, { run });
  });

  it("429 with Retry-After: retried after the delay; exhausted retries give RateLimitError", async () => {
    const session = await freshSession();
    emu.faults.inject({ operation: "get", kind: "rateLimit", retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    await puffle.getSession(session.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    emu.faults.inject({ operation: "get", kind: "rateLimit", retryAfterSeconds: 0, times: 10 });
    const error = await client({ maxRetries: 1 })
      .getSession(session.id)
      .catch((e: unknown) => e);
    expect(error instanceof RateLimitError).toBe(true);
  });

  it("a dropped /turn answer after the server acted is reconciled: no second turn", async () => {
    const session = await freshSession();
    emu.faults.inject({ operation: "turn", kind: "dropAfter", times: 1 });
    const run = await puffle.runTurn(session.id, { message: "Hello" });
    expect(run).toEqual({ runId: null, publicAccessToken: null, reconciled: true });
    expect(emu.ledger.turns(session.id)).toBe(1);
    const idle = await puffle.waitForIdle(session.id, { run });
    expect(idle.messages?.filter((m) => m.role === "user")).toHaveLength(1);
  });

  it("a dropped /turn before the server acted: DispatchUnknownError, no turn; opt-in resend: one turn", async () => {
    const session = await freshSession();
    emu.faults.inject({ operation: "turn", kind: "dropBefore", times: 1 });
    const error = await puffle
      .runTurn(session.id, { message: "Hello" }, { reconcileTimeout: 300 })
      .catch((e: unknown) => e);
    expect(error instanceof DispatchUnknownError).toBe(true);
    expect(emu.ledger.turns(session.id)).toBe(0);
    emu.faults.inject({ operation: "turn", kind: "dropBefore", times: 1 });
    const run = await puffle.runTurn(
      session.id,
      { message: "Hello" },
      { reconcileTimeout: 300, onUnknown: "resend" },
    );
    expect(run.runId).toMatch(/^run_/);
    expect(emu.ledger.turns(session.id)).toBe(1);
    await puffle.waitForIdle(session.id, { run });
  });

  it("the same rule holds for example runs", async () => {
    const session = await withSkeleton();
    emu.faults.inject({ operation: "generateExamples", kind: "dropAfter", times: 1 });
    const run = await puffle.generateExamples(session.id, { leads: leads() });
    expect(run.reconciled).toBe(true);
    expect(emu.ledger.exampleRuns(session.id)).toBe(1);
    await puffle.waitForIdle(session.id, { run });
  });

  it("a slow answer beyond the timeout: GET retried then APIConnectionTimeoutError; /turn reconciled", async () => {
    const session = await freshSession();
    emu.faults.inject({ operation: "get", kind: "delay", delayMs: 2_000, times: 5 });
    const error = await client({ timeout: 200, maxRetries: 1 })
      .getSession(session.id)
      .catch((e: unknown) => e);
    expect(error instanceof APIConnectionTimeoutError).toBe(true);
    emu.faults.clear();
    emu.faults.inject({ operation: "turn", kind: "delay", delayMs: 1_000, times: 1 });
    const run = await client({ timeout: 300 }).runTurn(session.id, { message: "Slow" });
    // The server acted after the SDK gave up on the answer; the SDK's one resend met the claim
    // (409) and knew the first attempt went through: reconciled, never sent twice.
    expect(run).toEqual({ runId: null, publicAccessToken: null, reconciled: true });
    expect(emu.ledger.turns(session.id)).toBe(1);
    await puffle.waitForIdle(session.id);
  });

  it("a malformed or non-JSON 2xx body is a ResponseValidationError", async () => {
    const session = await freshSession();
    emu.faults.inject({ operation: "get", kind: "malformedJson", times: 1 });
    await expect(puffle.getSession(session.id)).rejects.toBeInstanceOf(ResponseValidationError);
    emu.faults.inject({ operation: "get", kind: "nonJson", times: 1 });
    await expect(puffle.getSession(session.id)).rejects.toBeInstanceOf(ResponseValidationError);
  });

  it("an HTML 502 from a proxy: GET retried; exhausted, an InternalServerError with the page title", async () => {
    const session = await freshSession();
    emu.faults.inject({ operation: "get", kind: "html502", times: 1 });
    expect((await puffle.getSession(session.id)).id).toBe(session.id);
    emu.faults.inject({ operation: "get", kind: "html502", times: 5 });
    const error = await client({ maxRetries: 1 })
      .getSession(session.id)
      .catch((e: unknown) => e);
    expect(error instanceof InternalServerError).toBe(true);
    expect((error as Error).message).not.toContain("<html");
  });

  it("a dropped connection on GET is retried; on createSession it is not (fate unknown)", async () => {
    const session = await freshSession();
    emu.faults.inject({ operation: "get", kind: "dropBefore", times: 1 });
    expect((await puffle.getSession(session.id)).id).toBe(session.id);
    const before = emu.ledger.requests.create;
    emu.faults.inject({ operation: "create", kind: "dropBefore", times: 1 });
    const nodeId = emu.addNode(emu.demo.campaignId, { type: "ai" });
    const error = await puffle
      .createSession({ campaign_id: emu.demo.campaignId, node_id: nodeId })
      .catch((e: unknown) => e);
    expect(error instanceof APIConnectionError).toBe(true);
    expect(emu.ledger.requests.create - before).toBe(1);
  });
});

/**
 * Issue 9, cases 2 and 3: the dispatch rule (at most once) over real HTTP against the emulator.
 *
 * Case 2: a turn never sent must not be reported as sent because the session is busy with an
 * earlier turn. Case 3: a first POST held by a proxy past the client's timeout, then delivered
 * late, must not make a second paid turn.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/client";
import type { Session } from "../../src/core/types";
import { DispatchUnknownError } from "../../src/index";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";
import { forwardingProxy } from "./proxy";

let server: ListeningEmulator;
let emu: Emulator;

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 100, liveHoldMs: 1_000 }).listen();
  emu = server.emulator;
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  emu.faults.clear();
  await emu.finishTasks();
});

function client(baseURL = server.url, options: Record<string, unknown> = {}) {
  return new PuffleClient({
    apiKey: server.apiKey,
    baseURL,
    triggerBaseURL: server.url,
    logLevel: "off",
    ...options,
  });
}

async function freshSession(puffle: PuffleClient): Promise<Session> {
  const nodeId = emu.addNode(emu.demo.campaignId, { type: "ai" });
  // The setup is not under test: its own generous timeout, whatever the client's (some tests use
  // 300 ms, which a loaded CI machine can exceed through the proxy).
  return puffle.createSession(
    { campaign_id: emu.demo.campaignId, node_id: nodeId },
    { timeout: 30_000 },
  );
}

const dispatched = (sessionId: string, message: string) =>
  emu.ledger.dispatches.filter((d) => d.sessionId === sessionId && d.message === message).length;

describe("case 2: a turn never sent is not reported as sent", () => {
  for (const fault of [
    { kind: "dropBefore" as const },
    { kind: "html502" as const },
    { kind: "status" as const, status: 503 },
  ]) {
    it(`session busy with turn A, ${fault.kind}${fault.status ? ` ${fault.status}` : ""} on B: DispatchUnknownError, B dispatched 0 times`, async () => {
      const puffle = client();
      const session = await freshSession(puffle);
      // Turn A: 1.5 s, started by another caller (this client has not seen the session since).
      await client().runTurn(
        session.id,
        { message: "A" },
        { headers: { "x-emulator-task-duration-ms": "1500" } },
      );
      emu.faults.inject({ operation: "turn", ...fault });
      const error = await puffle
        .chat(session.id, { message: "B" }, { reconcileTimeout: 300 })
        .catch((e: unknown) => e);
      expect(error instanceof DispatchUnknownError).toBe(true);
      const unknown = error as DispatchUnknownError;
      expect(unknown.dispatch).toBe("unknown");
      expect(unknown.session?.messages?.some((m) => m.content === "B")).toBe(false);
      expect(dispatched(session.id, "B")).toBe(0);
      expect(dispatched(session.id, "A")).toBe(1);
    });
  }

  it('with onBusy: "wait" and onUnknown: "resend" (opt-in) B is sent exactly once and its reply returned', async () => {
    const puffle = client();
    const session = await freshSession(puffle);
    await client().runTurn(
      session.id,
      { message: "A" },
      { headers: { "x-emulator-task-duration-ms": "1500" } },
    );
    emu.faults.inject({ operation: "turn", kind: "dropBefore" });
    const turn = await puffle.chat(
      session.id,
      { message: "B" },
      { onBusy: "wait", onUnknown: "resend", reconcileTimeout: 300 },
    );
    expect(turn.reply).toEqual(expect.any(String));
    expect(dispatched(session.id, "B")).toBe(1);
  });

  it("without a fault the same call throws SessionBusyError (not sent), and onBusy: wait sends B once", async () => {
    const puffle = client();
    const session = await freshSession(puffle);
    await client().runTurn(
      session.id,
      { message: "A" },
      { headers: { "x-emulator-task-duration-ms": "800" } },
    );
    const error = await puffle.chat(session.id, { message: "B" }).catch((e: unknown) => e);
    expect((error as Error).name).toBe("SessionBusyError");
    expect((error as { dispatch?: string }).dispatch).toBe("not_sent");
    const turn = await puffle.chat(session.id, { message: "B" }, { onBusy: "wait" });
    expect(turn.reply).toEqual(expect.any(String));
    expect(dispatched(session.id, "B")).toBe(1);
  });
});

/** A proxy in front of the emulator that holds the first `POST …/turn` for `holdMs`, then forwards it even if the client left. */
function holdingProxy(target: string, holdMs: number) {
  let held = false;
  return forwardingProxy(target, {
    before: async (req) => {
      const hold = !held && req.method === "POST" && /\/turn$/.test(req.url ?? "");
      if (hold) held = true;
      if (hold) await new Promise((r) => setTimeout(r, holdMs));
    },
  });
}

describe("case 3: a first POST held past the timeout and delivered late is not sent twice", () => {
  it("held 1,200 ms, timeout 1,000 ms, task 100 ms: one dispatch; chat() reconciles it and returns its reply", async () => {
    const proxy = await holdingProxy(server.url, 1_200);
    try {
      const puffle = client(proxy.url, { timeout: 1_000, maxRetries: 2 });
      const session = await freshSession(puffle);
      await puffle.getSession(session.id);
      const turn = await puffle.chat(session.id, { message: "late" });
      expect(dispatched(session.id, "late")).toBe(1);
      expect(turn.run.reconciled).toBe(true);
      expect(turn.reply).toEqual(expect.any(String));
      // Nothing else arrives later either.
      await new Promise((r) => setTimeout(r, 500));
      expect(dispatched(session.id, "late")).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it("when the late arrival lands after the watch, the answer is DispatchUnknownError, never a second send", async () => {
    const proxy = await holdingProxy(server.url, 1_500);
    try {
      const puffle = client(proxy.url, { timeout: 300, maxRetries: 2 });
      const session = await freshSession(puffle);
      const error = await puffle
        .chat(session.id, { message: "later" }, { reconcileTimeout: 200 })
        .catch((e: unknown) => e);
      expect(error instanceof DispatchUnknownError).toBe(true);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(dispatched(session.id, "later")).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});

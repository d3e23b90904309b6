/**
 * A repeated `puffle_send_turn` never pays twice: an agent whose call answered `running` (or whose
 * client timed out) calls again with the same message while the turn runs, or just after it is
 * done, and gets that turn's outcome; concurrent calls and calls over other clients (one route,
 * one memory of dispatches) converge on one dispatch. Judged by the emulator's ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { McpRoute } from "../../src/mcp/index";
import { type Rig, startRig, textOf } from "./helpers";

let rig: Rig;
let route: McpRoute;

beforeAll(async () => {
  // Turns take 3 s; the tools wait at most 600 ms: every first call answers "running".
  rig = await startRig(3_000);
  route = rig.route({ maxWaitMs: 600, progressIntervalMs: 100 });
});
afterAll(async () => {
  await route?.close();
  await rig?.server.close();
  rig.expectNoSecrets();
});

async function freshSession(): Promise<string> {
  // A session of its own per test (the emulator allows several per node).
  const { campaignId, nodeId } = rig.server.emulator.demo;
  return (await rig.puffle.createSession({ campaign_id: campaignId, node_id: nodeId })).id;
}

describe("puffle_send_turn repeated with the same message", () => {
  it("answers running, then the repeat joins the running turn, then reports it done: one dispatch", async () => {
    const sessionId = await freshSession();
    const mcp = await rig.v2(route);
    try {
      const message = "Intro email for heads of RevOps";
      const first = await mcp.call("puffle_send_turn", { session_id: sessionId, message });
      expect(first.structuredContent).toMatchObject({ status: "running", repeated: false });
      expect(textOf(first)).toMatch(/puffle_wait_for_idle/);
      // Still queued or running at Puffle: the repeat joins it instead of dispatching.
      const repeat = await mcp.call("puffle_send_turn", { session_id: sessionId, message });
      expect(repeat.isError, textOf(repeat)).toBeFalsy();
      expect(repeat.structuredContent.repeated).toBe(true);
      expect(rig.server.emulator.ledger.turns(sessionId)).toBe(1);
      await rig.server.emulator.finishTasks();
      // Just done: the repeat reports that turn's reply.
      const done = await mcp.call("puffle_send_turn", { session_id: sessionId, message });
      expect(done.structuredContent).toMatchObject({ status: "done", repeated: true });
      expect(done.structuredContent.reply).toEqual(expect.any(String));
      expect(rig.server.emulator.ledger.turns(sessionId)).toBe(1);
      // A deliberate second send of the same text is a new turn.
      const deliberate = await mcp.call("puffle_send_turn", {
        session_id: sessionId,
        message,
        repeat: true,
      });
      expect(deliberate.structuredContent.repeated).toBe(false);
      expect(rig.server.emulator.ledger.turns(sessionId)).toBe(2);
      await rig.server.emulator.finishTasks();
    } finally {
      await mcp.close();
    }
  }, 60_000);

  it("concurrent calls from a v2 and a v1 client dispatch once", async () => {
    const sessionId = await freshSession();
    const [a, b] = await Promise.all([rig.v2(route, "auto"), rig.v1(route)]);
    try {
      const message = "Follow-up for people who opened twice";
      const answers = await Promise.all([
        a.call("puffle_send_turn", { session_id: sessionId, message }),
        b.call("puffle_send_turn", { session_id: sessionId, message }),
        a.call("puffle_send_turn", { session_id: sessionId, message }),
      ]);
      for (const answer of answers) expect(answer.isError, textOf(answer)).toBeFalsy();
      expect(answers.filter((x) => x.structuredContent.repeated === false)).toHaveLength(1);
      expect(rig.server.emulator.ledger.turns(sessionId)).toBe(1);
      // The agent then waits, as the answer told it to.
      await rig.server.emulator.finishTasks();
      const idle = await b.call("puffle_wait_for_idle", { session_id: sessionId });
      expect(idle.structuredContent).toMatchObject({ status: "done", task_status: null, message });
      expect(idle.structuredContent.reply).toEqual(expect.any(String));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);

  it("a lost dispatch answer is reconciled, and the agent's retry is not sent again", async () => {
    const sessionId = await freshSession();
    const mcp = await rig.v1(route);
    try {
      const message = "Intro email, answer lost on the way back";
      // Puffle dispatches the turn, then the connection drops before its answer arrives.
      rig.server.emulator.faults.inject({ operation: "turn", kind: "dropAfter" });
      const first = await mcp.call("puffle_send_turn", { session_id: sessionId, message });
      expect(first.isError, textOf(first)).toBeFalsy();
      expect(["running", "done"]).toContain(first.structuredContent.status);
      expect(rig.server.emulator.ledger.turns(sessionId)).toBe(1);
      const retry = await mcp.call("puffle_send_turn", { session_id: sessionId, message });
      expect(retry.structuredContent.repeated).toBe(true);
      await rig.server.emulator.finishTasks();
      expect(rig.server.emulator.ledger.turns(sessionId)).toBe(1);
    } finally {
      rig.server.emulator.faults.clear();
      await mcp.close();
    }
  }, 60_000);

  it("a dispatch whose fate stays unknown says so, and the retry sends it only because Puffle never got it", async () => {
    const sessionId = await freshSession();
    const mcp = await rig.v2(route, "auto");
    try {
      const message = "Intro email, connection dropped before Puffle saw it";
      rig.server.emulator.faults.inject({ operation: "turn", kind: "dropBefore" });
      // runTurn watches the session for reconcileTimeout (10 s) before it gives up on knowing.
      const first = await mcp.call("puffle_send_turn", { session_id: sessionId, message });
      expect(first.isError, textOf(first)).toBeFalsy();
      expect(first.structuredContent.status).toBe("unknown");
      expect(first.structuredContent.next).toMatch(/sent only if Puffle never got it/);
      expect(rig.server.emulator.ledger.turns(sessionId)).toBe(0);
      const retry = await mcp.call("puffle_send_turn", { session_id: sessionId, message });
      expect(retry.structuredContent.repeated).toBe(false);
      await rig.server.emulator.finishTasks();
      expect(rig.server.emulator.ledger.turns(sessionId)).toBe(1);
    } finally {
      rig.server.emulator.faults.clear();
      await mcp.close();
    }
  }, 90_000);

  it("a different message while a turn runs is refused as busy, with nothing sent", async () => {
    const sessionId = await freshSession();
    const mcp = await rig.v2(route);
    try {
      await mcp.call("puffle_send_turn", { session_id: sessionId, message: "First" });
      const requests = rig.server.emulator.ledger.requests.turn;
      const busy = await mcp.call("puffle_send_turn", { session_id: sessionId, message: "Second" });
      expect(busy.isError).toBe(true);
      expect(textOf(busy)).toMatch(/session_busy.*Nothing was sent.*puffle_wait_for_idle/s);
      expect(rig.server.emulator.ledger.requests.turn).toBe(requests);
      expect(rig.server.emulator.ledger.turns(sessionId)).toBe(1);
      await rig.server.emulator.finishTasks();
    } finally {
      await mcp.close();
    }
  }, 60_000);

  it("puffle_wait_for_idle is bounded: running again while the turn goes on, with progress", async () => {
    const sessionId = await freshSession();
    const mcp = await rig.v1(route);
    try {
      await mcp.call("puffle_send_turn", { session_id: sessionId, message: "Long one" });
      let progress = 0;
      const started = Date.now();
      const waiting = await mcp.call(
        "puffle_wait_for_idle",
        { session_id: sessionId },
        () => progress++,
      );
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(waiting.structuredContent.status).toBe("running");
      expect(progress).toBeGreaterThan(0);
      await rig.server.emulator.finishTasks();
      expect(rig.server.emulator.ledger.turns(sessionId)).toBe(1);
    } finally {
      await mcp.close();
    }
  }, 60_000);
});

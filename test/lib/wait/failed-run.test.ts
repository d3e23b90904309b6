/**
 * Issue 9, case 4: a failed run is never reported as a success, whatever its timing (a 0 ms
 * CRASHED task ends before the first read) and whichever path saw it (realtime, polling after a
 * fallback, a reconciled dispatch). Emulator over real HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PuffleClient, TaskFailedError } from "../../../src/index";
import { setup } from "./helpers";

type Ctx = Awaited<ReturnType<typeof setup>>;
let ctx: Ctx;

beforeAll(async () => {
  ctx = await setup({ taskDurationMs: 150, liveHoldMs: 1_000 });
});
afterAll(async () => {
  await ctx.server.close();
});
beforeEach(async () => {
  ctx.emu.faults.clear();
  await ctx.emu.finishTasks();
});

const duration = (ms: number) => ({ headers: { "x-emulator-task-duration-ms": String(ms) } });

describe("a failed run is never a success", () => {
  for (const ms of [0, 40, 400]) {
    it(`CRASHED after ${ms} ms: chat() throws TaskFailedError (dispatch "sent")`, async () => {
      ctx.emu.faults.inject({ operation: "turn", kind: "runFails", failureStatus: "CRASHED" });
      const error = await ctx.puffle
        .chat(ctx.session.id, { message: `crash ${ms} ${Math.random()}` }, duration(ms))
        .catch((e: unknown) => e);
      expect(error instanceof TaskFailedError).toBe(true);
      expect((error as TaskFailedError).dispatch).toBe("sent");
    });
  }

  it("CRASHED after 0 ms: waitForIdle with the run handle throws TaskFailedError naming the status", async () => {
    ctx.emu.faults.inject({ operation: "turn", kind: "runFails", failureStatus: "CRASHED" });
    const run = await ctx.puffle.runTurn(ctx.session.id, { message: "crash now" }, duration(0));
    await new Promise((r) => setTimeout(r, 100)); // the run is over before the wait starts
    const error = await ctx.puffle.waitForIdle(ctx.session.id, { run }).catch((e: unknown) => e);
    expect(error instanceof TaskFailedError).toBe(true);
    expect((error as TaskFailedError).runStatus).toBe("CRASHED");
  });

  it("after a fallback to polling (the feed answers 500): chat() throws TaskFailedError", async () => {
    ctx.emu.faults.inject({ operation: "turn", kind: "runFails", failureStatus: "CRASHED" });
    ctx.emu.faults.inject({
      operation: "runFeed",
      kind: "status",
      status: 500,
      times: Number.POSITIVE_INFINITY,
    });
    const error = await ctx.puffle
      .chat(ctx.session.id, { message: `fallback ${Math.random()}` }, duration(300))
      .catch((e: unknown) => e);
    expect(error instanceof TaskFailedError).toBe(true);
  });

  it("a reconciled dispatch (answer lost after the server acted) whose run fails: TaskFailedError", async () => {
    ctx.emu.faults.inject({ operation: "turn", kind: "runFails" });
    // The server acts, then the answer is lost on the way back (one fault per request on the
    // emulator side, so the loss is done by the client's fetch).
    const puffle = new PuffleClient({
      apiKey: ctx.server.apiKey,
      baseURL: ctx.server.url,
      triggerBaseURL: ctx.server.url,
      logLevel: "off",
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const url = input instanceof Request ? input.url : String(input);
        if (url.endsWith("/turn")) {
          await response.body?.cancel();
          throw new TypeError("fetch failed: the connection was reset");
        }
        return response;
      },
    });
    const error = await puffle
      .chat(ctx.session.id, { message: `reconciled ${Math.random()}` }, duration(300))
      .catch((e: unknown) => e);
    expect(error instanceof TaskFailedError).toBe(true);
    expect((error as TaskFailedError).runId).toMatch(/unknown/);
  });
});

import { ApiClient } from "@trigger.dev/core/v3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Harness, holdTasks, parseSse, readSse, startHarness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => h.emu.faults.clear());
afterAll(() => h.close());

const S = "/api/campaigns/ai-chat-sessions";

describe("faults on the Puffle API", () => {
  it("dispatch500: 500, the claim is released, an immediate retry works; the ledger shows one dispatch", async () => {
    const id = await h.createSession();
    h.emu.faults.inject({ operation: "turn", kind: "dispatch500" });
    const res = await h.json(`${S}/${id}/turn`, { body: { message: "Hello" } });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: expect.any(String) });
    expect(h.emu.getSession(id)?.task_status).toBeNull();
    expect(h.emu.ledger.turns(id)).toBe(0);
    await h.turn(id, "Hello");
    await h.waitIdle(id);
    expect(h.emu.ledger.turns(id)).toBe(1);
    expect(h.emu.getSession(id)?.messages).toHaveLength(2);
  });

  it("dispatch500 on generate-examples releases the generating_examples claim", async () => {
    const id = await h.createSession();
    await h.json(`${S}/${id}`, {
      method: "PATCH",
      body: { skeleton: { subject: "s", body: "b" } },
    });
    h.emu.faults.inject({ operation: "generateExamples", kind: "dispatch500" });
    expect(
      (await h.json(`${S}/${id}/generate-examples`, { body: { leads: [{ first_name: "A" }] } }))
        .status,
    ).toBe(500);
    expect(h.emu.getSession(id)?.task_status).toBeNull();
    expect(h.emu.ledger.exampleRuns(id)).toBe(0);
  });

  it("rateLimit: 429 with Retry-After in seconds, nothing done", async () => {
    const id = await h.createSession();
    h.emu.faults.inject({ operation: "turn", kind: "rateLimit", retryAfterSeconds: 3 });
    const res = await h.json(`${S}/${id}/turn`, { body: { message: "Hello" } });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(h.emu.getSession(id)?.task_status).toBeNull();
    expect(h.emu.ledger.turns(id)).toBe(0);
    expect(h.emu.ledger.requests.turn).toBeGreaterThan(0);
  });

  it("dropBefore: the connection drops and the server did nothing", async () => {
    const id = await h.createSession();
    h.emu.faults.inject({ operation: "turn", kind: "dropBefore" });
    await expect(h.api(`${S}/${id}/turn`, { body: { message: "Hello" } })).rejects.toThrow();
    expect(h.emu.getSession(id)?.task_status).toBeNull();
    expect(h.emu.ledger.turns(id)).toBe(0);
  });

  it("dropAfter: the connection drops but the turn was dispatched (claimed, message recorded)", async () => {
    const id = await h.createSession();
    h.emu.faults.inject({ operation: "turn", kind: "dropAfter" });
    const release = holdTasks(h.emu);
    await expect(h.api(`${S}/${id}/turn`, { body: { message: "Hello" } })).rejects.toThrow();
    expect(h.emu.getSession(id)?.task_status).toBe("chat_processing");
    expect(h.emu.ledger.turns(id)).toBe(1);
    expect(h.emu.ledger.dispatches.at(-1)).toMatchObject({
      operation: "turn",
      sessionId: id,
      message: "Hello",
    });
    await release();
    const s = await h.waitIdle(id);
    expect(s.messages).toHaveLength(2);
  });

  it("delay: the answer is held (a short client timeout gives up), then answers normally", async () => {
    const id = await h.createSession();
    h.emu.faults.inject({ operation: "get", kind: "delay", delayMs: 400 });
    await expect(
      fetch(`${h.url}${S}/${id}`, {
        headers: { authorization: `Bearer ${h.key}` },
        signal: AbortSignal.timeout(50),
      }),
    ).rejects.toThrow();
    h.emu.faults.inject({ operation: "get", kind: "delay", delayMs: 20 });
    expect((await h.json(`${S}/${id}`)).status).toBe(200);
  });

  it("malformedJson and nonJson: the server acted, the body is broken", async () => {
    h.emu.faults.inject({ operation: "create", kind: "malformedJson" });
    const before = (
      await h.json<{ sessions: unknown[] }>(`${S}?campaign_id=${h.emu.demo.campaignId}`)
    ).body.sessions.length;
    const res = await h.api(S, {
      body: { campaign_id: h.emu.demo.campaignId, node_id: h.emu.demo.nodeId },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
    const after = (
      await h.json<{ sessions: unknown[] }>(`${S}?campaign_id=${h.emu.demo.campaignId}`)
    ).body.sessions.length;
    expect(after).toBe(before + 1);

    h.emu.faults.inject({ operation: "list", kind: "nonJson" });
    const plain = await h.api(`${S}?campaign_id=${h.emu.demo.campaignId}`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toBe("text/plain");
    expect(await plain.text()).toBe("OK");
  });

  it("html502: an HTML page with status 502", async () => {
    h.emu.faults.inject({ operation: "list", kind: "html502" });
    const res = await h.api(`${S}?campaign_id=${h.emu.demo.campaignId}`);
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(await res.text()).toContain("<html>");
  });

  it("status: any status for the next N requests, then normal answers", async () => {
    const id = await h.createSession();
    h.emu.faults.inject({ operation: "get", kind: "status", status: 503, times: 2 });
    expect((await h.json(`${S}/${id}`)).status).toBe(503);
    expect((await h.json(`${S}/${id}`)).status).toBe(503);
    expect((await h.json(`${S}/${id}`)).status).toBe(200);
    expect(h.emu.faults.pending()).toEqual([]);
  });

  it("a fault for any operation ('*') hits the next request whatever it is", async () => {
    h.emu.faults.inject({ operation: "*", kind: "status", status: 500 });
    expect((await h.json(`${S}?campaign_id=${h.emu.demo.campaignId}`)).status).toBe(500);
    expect((await h.json(`${S}?campaign_id=${h.emu.demo.campaignId}`)).status).toBe(200);
  });
});

describe("faults on tasks and realtime", () => {
  it("expiredToken on turn: the minted token is already expired (401 on feed and stream)", async () => {
    const id = await h.createSession();
    h.emu.faults.inject({ operation: "turn", kind: "expiredToken" });
    const handle = await h.turn(id, "Hello");
    expect(
      (
        await fetch(`${h.url}/realtime/v1/runs/${handle.runId}?offset=-1`, {
          headers: { authorization: `Bearer ${handle.publicAccessToken}` },
        })
      ).status,
    ).toBe(401);
    expect(
      (await readSse(`${h.url}/realtime/v1/streams/${handle.runId}/chat`, handle.publicAccessToken))
        .status,
    ).toBe(401);
    await h.waitIdle(id);
  });

  it("the run feed answers 401 then 500 on demand; ApiClient sees the 401", async () => {
    const id = await h.createSession();
    const handle = await h.turn(id, "Hello");
    const url = `${h.url}/realtime/v1/runs/${handle.runId}?offset=-1`;
    const auth = { authorization: `Bearer ${handle.publicAccessToken}` };
    h.emu.faults.inject({ operation: "runFeed", kind: "status", status: 500 });
    expect((await fetch(url, { headers: auth })).status).toBe(500);
    h.emu.faults.inject({ operation: "runFeed", kind: "expiredToken" });
    expect((await fetch(url, { headers: auth })).status).toBe(401);
    expect((await fetch(url, { headers: auth })).status).toBe(200);

    h.emu.faults.inject({ operation: "runFeed", kind: "status", status: 401 });
    const abort = new AbortController();
    const errors: { status?: number }[] = [];
    const client = new ApiClient(h.url, handle.publicAccessToken);
    for await (const _ of client.subscribeToRun(handle.runId, {
      signal: abort.signal,
      onFetchError: (e) => {
        errors.push(e as { status?: number });
        abort.abort();
      },
    })) {
      // nothing arrives
    }
    expect(errors[0]?.status).toBe(401);
    await h.waitIdle(id);
  });

  it("mustRefetch: the feed answers 409 must-refetch with a new handle", async () => {
    const id = await h.createSession();
    const handle = await h.turn(id, "Hello");
    const auth = { authorization: `Bearer ${handle.publicAccessToken}` };
    const snap = await fetch(`${h.url}/realtime/v1/runs/${handle.runId}?offset=-1`, {
      headers: auth,
    });
    const oldHandle = snap.headers.get("electric-handle");
    await snap.text();
    h.emu.faults.inject({ operation: "runFeed", kind: "mustRefetch" });
    const res = await fetch(
      `${h.url}/realtime/v1/runs/${handle.runId}?handle=${oldHandle}&offset=0_0`,
      { headers: auth },
    );
    expect(res.status).toBe(409);
    expect(res.headers.get("electric-handle")).not.toBe(oldHandle);
    expect(await res.json()).toEqual([{ headers: { control: "must-refetch" } }]);
    await h.waitIdle(id);
  });

  for (const failureStatus of ["COMPLETED_WITH_ERRORS", "CRASHED"] as const) {
    it(`runFails (${failureStatus}): the run ends failed with an error; the claim is released`, async () => {
      const id = await h.createSession();
      h.emu.faults.inject({
        operation: "turn",
        kind: "runFails",
        failureStatus,
        errorMessage: "LLM exploded",
      });
      const handle = await h.turn(id, "Hello");
      const client = new ApiClient(h.url, handle.publicAccessToken);
      let last:
        | { status: string; isFailed: boolean; error?: { message?: string } | undefined }
        | undefined;
      for await (const run of client.subscribeToRun(handle.runId)) last = run as typeof last;
      const mapped = failureStatus === "CRASHED" ? "CRASHED" : "FAILED";
      expect(last?.status).toBe(mapped);
      expect(last?.isFailed).toBe(true);
      expect(last?.error?.message).toBe("LLM exploded");
      const chunks = parseSse(
        (
          await readSse(
            `${h.url}/realtime/v1/streams/${handle.runId}/chat`,
            handle.publicAccessToken,
          )
        ).text,
      ).map((e) => JSON.parse(e.data));
      expect(chunks.at(-1)).toMatchObject({
        type: "failed",
        status: mapped,
        error: { message: "LLM exploded" },
      });
      const s = await h.waitIdle(id);
      expect(s.task_status).toBeNull();
      expect(s.skeleton).toBeNull();
    });
  }

  it("stuckTaskStatus: the run completes but task_status never clears; PATCH task_status:null frees it", async () => {
    const id = await h.createSession();
    h.emu.faults.inject({ operation: "turn", kind: "stuckTaskStatus" });
    const handle = await h.turn(id, "Hello");
    await h.emu.settle();
    expect(h.emu.getRun(handle.runId)?.mappedStatus).toBe("COMPLETED");
    expect(
      (await h.json<{ session: { task_status: string } }>(`${S}/${id}`)).body.session.task_status,
    ).toBe("chat_processing");
    expect((await h.json(`${S}/${id}/turn`, { body: { message: "again" } })).status).toBe(409);
    await h.json(`${S}/${id}`, { method: "PATCH", body: { task_status: null } });
    await h.turn(id, "again");
    await h.waitIdle(id);
    expect(h.emu.ledger.turns(id)).toBe(2);
  });

  it("finishTasks() fast-forwards a long task", async () => {
    const id = await h.createSession();
    await h.turn(id, "Hello", {});
    h.emu.settings.taskDurationMs = 40;
    const res = await h.json<{ runId: string }>(`${S}/${id}`);
    expect(res.status).toBe(200);
    const long = await h.createSession();
    const handle = await h.json<{ runId: string }>(`${S}/${long}/turn`, {
      body: { message: "Hi" },
      headers: { "x-emulator-task-duration-ms": "600000" },
    });
    await h.emu.finishTasks();
    expect(h.emu.getRun(handle.body.runId)?.completed).toBe(true);
    expect(h.emu.getSession(long)?.task_status).toBeNull();
  });
});

import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator } from "../../src/testing";
import { startHeldRun } from "./held-run";
import { type Harness, parseSse, readSse, startHarness } from "./helpers";

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..", "..");

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ taskDurationMs: 40, liveHoldMs: 150, pingIntervalMs: 5 });
});
afterAll(() => h.close());

const ELECTRIC = {
  "x-trigger-electric-version": "1.0.0-beta.1",
  "x-trigger-api-version": "2025-07-16",
};

function feed(runId: string, token: string, query: string) {
  return fetch(`${h.url}/realtime/v1/runs/${runId}?${query}`, {
    headers: { authorization: `Bearer ${token}`, ...ELECTRIC },
  });
}

async function turnOn(message = "Intro email for VPs of Sales", durationMs?: number) {
  const id = await h.createSession();
  if (durationMs === undefined) return { id, ...(await h.turn(id, message)) };
  const res = await h.json<{ runId: string; publicAccessToken: string }>(
    `/api/campaigns/ai-chat-sessions/${id}/turn`,
    {
      body: { message },
      headers: { "x-emulator-task-duration-ms": String(durationMs) },
    },
  );
  return { id, ...res.body };
}

describe("run feed (Electric shape protocol)", () => {
  it("snapshot: offset=-1 gives the row, up-to-date and every required header", async () => {
    const { runId, publicAccessToken } = await turnOn("Intro email for VPs of Sales", 600_000);
    const res = await feed(runId, publicAccessToken, "log=full&offset=-1");
    expect(res.status).toBe(200);
    for (const header of ["electric-handle", "electric-offset", "electric-schema"])
      expect(res.headers.get(header)).toBeTruthy();
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const schema = JSON.parse(res.headers.get("electric-schema") ?? "{}");
    expect(schema).toMatchObject({
      isTest: { type: "bool" },
      number: { type: "int4" },
      runTags: { type: "text", dims: 1 },
      error: { type: "jsonb" },
      createdAt: { type: "timestamp" },
    });
    const body = (await res.json()) as {
      key?: string;
      value?: Record<string, string | null>;
      headers: Record<string, string>;
    }[];
    expect(body).toHaveLength(2);
    expect(body[0]?.headers).toEqual({ operation: "insert" });
    expect(body[1]).toEqual({ headers: { control: "up-to-date" } });
    const row = body[0]?.value ?? {};
    expect(row.friendlyId).toBe(runId);
    expect(row.taskIdentifier).toBe("framework-chat-turn");
    expect(row.status).toBe("PENDING");
    expect(row.isTest).toBe("f");
    expect(row.number).toMatch(/^\d+$/);
    expect(row.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(row.completedAt).toBeNull();
    expect(row.realtimeStreams).toBe('{"chat"}');
    expect(row.metadataType).toBe("application/json");
    expect(JSON.parse(row.metadata ?? "{}")).toMatchObject({ $$streams: ["chat"] });
    await h.emu.finishTasks();
  });

  it("live: held until the row changes, then only the changed columns, with electric-cursor", async () => {
    // EXECUTING comes after 10% of 5 s; completion is fast-forwarded once EXECUTING was seen
    const { runId, publicAccessToken } = await turnOn("Intro email for VPs of Sales", 5000);
    const snap = await feed(runId, publicAccessToken, "log=full&offset=-1");
    const handle = snap.headers.get("electric-handle") ?? "";
    let offset = snap.headers.get("electric-offset") ?? "";
    await snap.text();
    const seen: Record<string, string | null>[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await feed(
        runId,
        publicAccessToken,
        `cursor=&handle=${handle}&live=true&log=full&offset=${offset}`,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("electric-cursor")).toBeTruthy();
      expect(res.headers.get("electric-handle")).toBe(handle);
      offset = res.headers.get("electric-offset") ?? "";
      const body = (await res.json()) as {
        value?: Record<string, string | null>;
        headers: Record<string, string>;
      }[];
      expect(body.at(-1)).toEqual({ headers: { control: "up-to-date" } });
      for (const m of body)
        if (m.value) {
          expect(m.headers.operation).toBe("update");
          seen.push(m.value);
        }
      if (seen.some((v) => v.completedAt)) break;
      if (seen.some((v) => v.status === "EXECUTING")) void h.emu.finishTasks();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).not.toHaveProperty("friendlyId");
    expect(seen.some((v) => v.status === "EXECUTING")).toBe(true);
    const done = seen.find((v) => v.completedAt);
    expect(done).toMatchObject({
      status: "COMPLETED_SUCCESSFULLY",
      outputType: "application/json",
    });
    expect(done?.completedAt).not.toMatch(/Z$/);
    expect(JSON.parse(done?.output ?? "null")).toMatchObject({ kind: "turn" });

    // nothing changes any more: the hold ends after liveHoldMs with just up-to-date
    const idle = await feed(
      runId,
      publicAccessToken,
      `cursor=1&handle=${handle}&live=true&log=full&offset=${offset}`,
    );
    expect(await idle.json()).toEqual([{ headers: { control: "up-to-date" } }]);
    expect(idle.headers.get("electric-offset")).toBe(offset);
  });

  it("an unknown handle gets 409 must-refetch with the current handle", async () => {
    const { runId, publicAccessToken } = await turnOn();
    const res = await feed(
      runId,
      publicAccessToken,
      "handle=stale&live=true&log=full&offset=0_0&cursor=1",
    );
    expect(res.status).toBe(409);
    expect(res.headers.get("electric-handle")).toBeTruthy();
    expect(await res.json()).toEqual([{ headers: { control: "must-refetch" } }]);
    await h.emu.settle();
  });

  it("a token of another run, a missing token or an expired token gets 401 on feed and stream", async () => {
    const a = await turnOn();
    const b = await turnOn();
    expect((await feed(a.runId, b.publicAccessToken, "offset=-1")).status).toBe(401);
    expect((await fetch(`${h.url}/realtime/v1/runs/${a.runId}?offset=-1`)).status).toBe(401);
    expect(
      (await readSse(`${h.url}/realtime/v1/streams/${a.runId}/chat`, b.publicAccessToken)).status,
    ).toBe(401);
    const api = await feed(a.runId, h.key, "offset=-1");
    expect(api.status).toBe(401);
    await h.emu.settle();

    const short = createEmulator({ taskDurationMs: 20, tokenTtlMs: 1000 });
    const server = await short.listen();
    try {
      const created = await fetch(`${server.url}/api/campaigns/ai-chat-sessions`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ campaign_id: short.demo.campaignId, node_id: short.demo.nodeId }),
      }).then((r) => r.json() as Promise<{ session: { id: string } }>);
      const handle = await fetch(
        `${server.url}/api/campaigns/ai-chat-sessions/${created.session.id}/turn`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify({ message: "hello" }),
        },
      ).then((r) => r.json() as Promise<{ runId: string; publicAccessToken: string }>);
      const fresh = await fetch(`${server.url}/realtime/v1/runs/${handle.runId}?offset=-1`, {
        headers: { authorization: `Bearer ${handle.publicAccessToken}` },
      });
      expect(fresh.status).toBe(200);
      await fresh.text();
      await new Promise((r) => setTimeout(r, 1100));
      const expired = await fetch(`${server.url}/realtime/v1/runs/${handle.runId}?offset=-1`, {
        headers: { authorization: `Bearer ${handle.publicAccessToken}` },
      });
      expect(expired.status).toBe(401);
      expect(await expired.json()).toEqual({ error: expect.stringContaining("expired") });
      expect(JSON.stringify(await expired.headers.get("x-anything"))).not.toContain("tr_pat_");
      const stream = await fetch(`${server.url}/realtime/v1/streams/${handle.runId}/chat`, {
        headers: { authorization: `Bearer ${handle.publicAccessToken}` },
      });
      expect(stream.status).toBe(401);
      await stream.text();
    } finally {
      await server.close();
    }
  });
});

describe("chat stream (SSE)", () => {
  it("v1: id/data events in order, pings, ends when the run is finished and drained", async () => {
    const id = await h.createSession();
    await h.turn(id, "Intro email for VPs of Sales");
    await h.waitIdle(id);
    const { runId, publicAccessToken } = await h.turn(id, "Audience: sales leaders");
    const res = await readSse(`${h.url}/realtime/v1/streams/${runId}/chat`, publicAccessToken);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("x-stream-version")).toBe("v1");
    expect(res.text).toContain(": ping");
    const events = parseSse(res.text);
    for (const e of events) expect(e.id).toMatch(/^\d+-\d+$/);
    const chunks = events.map((e) => JSON.parse(e.data) as { type: string; status?: string });
    const types = chunks.map((c) => c.type);
    expect(types[0]).toBe("status");
    expect(chunks[0]?.status).toBe("QUEUED");
    expect(chunks[1]).toEqual({ type: "status", status: "EXECUTING" });
    expect(types.filter((t) => t === "delta").length).toBeGreaterThan(1);
    expect(types.indexOf("skeleton")).toBeGreaterThan(types.lastIndexOf("delta"));
    expect(types.indexOf("draft")).toBeGreaterThan(types.indexOf("skeleton"));
    expect(types.slice(-2)).toEqual(["status", "completed"]);
    expect(chunks.at(-1)).toMatchObject({
      type: "completed",
      output: { kind: "turn", skeleton_updated: true },
    });
    expect(chunks.find((c) => c.type === "skeleton")).toMatchObject({ framework_version: 1 });

    // resume after the third event: only what follows
    const third = events[2]?.id ?? "";
    const resumed = parseSse(
      (
        await readSse(`${h.url}/realtime/v1/streams/${runId}/chat`, publicAccessToken, {
          "last-event-id": third,
        })
      ).text,
    );
    expect(resumed.map((e) => e.id)).toEqual(events.slice(3).map((e) => e.id));
  });

  it("v2 (per emulator option): event: batch records with seq_num, de-dup ids, resume by seq_num", async () => {
    const v2 = createEmulator({ taskDurationMs: 30, streamVersion: "v2" });
    const server = await v2.listen();
    try {
      const auth = { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" };
      const created = (await (
        await fetch(`${server.url}/api/campaigns/ai-chat-sessions`, {
          method: "POST",
          headers: auth,
          body: JSON.stringify({ campaign_id: v2.demo.campaignId, node_id: v2.demo.nodeId }),
        })
      ).json()) as { session: { id: string } };
      const handle = (await (
        await fetch(`${server.url}/api/campaigns/ai-chat-sessions/${created.session.id}/turn`, {
          method: "POST",
          headers: auth,
          body: JSON.stringify({ message: "Hello there" }),
        })
      ).json()) as { runId: string; publicAccessToken: string };
      const res = await readSse(
        `${server.url}/realtime/v1/streams/${handle.runId}/chat`,
        handle.publicAccessToken,
      );
      expect(res.headers.get("x-stream-version")).toBe("v2");
      const events = parseSse(res.text);
      expect(events.every((e) => e.event === "batch")).toBe(true);
      const records = events.flatMap(
        (e) =>
          (
            JSON.parse(e.data) as {
              records: { seq_num: number; timestamp: number; headers: unknown[]; body: string }[];
            }
          ).records,
      );
      expect(records.map((r) => r.seq_num)).toEqual(records.map((_, i) => i + 1));
      const bodies = records.map(
        (r) => JSON.parse(r.body) as { id: string; data: { type: string } },
      );
      expect(new Set(bodies.map((b) => b.id)).size).toBe(bodies.length);
      expect(bodies.at(-1)?.data.type).toBe("completed");
      const resumed = parseSse(
        (
          await readSse(
            `${server.url}/realtime/v1/streams/${handle.runId}/chat`,
            handle.publicAccessToken,
            { "last-event-id": "3" },
          )
        ).text,
      );
      const again = resumed.flatMap((e) =>
        (JSON.parse(e.data) as { records: { seq_num: number }[] }).records.map((r) => r.seq_num),
      );
      expect(again[0]).toBe(4);
      expect(again.at(-1)).toBe(records.length);
    } finally {
      await server.close();
    }
  });

  it("an example run streams one example per lead", async () => {
    const id = await h.createSession();
    await h.json(`/api/campaigns/ai-chat-sessions/${id}`, {
      method: "PATCH",
      body: { skeleton: { subject: "Hi %first_name%", body: "Hello %first_name% &&x&&" } },
    });
    const gen = await h.json<{ runId: string; publicAccessToken: string }>(
      `/api/campaigns/ai-chat-sessions/${id}/generate-examples`,
      { body: { leads: h.emu.demo.leads.slice(0, 3) } },
    );
    const chunks = parseSse(
      (
        await readSse(
          `${h.url}/realtime/v1/streams/${gen.body.runId}/chat`,
          gen.body.publicAccessToken,
        )
      ).text,
    ).map(
      (e) => JSON.parse(e.data) as { type: string; example?: { lead_id: string; subject: string } },
    );
    const examples = chunks.filter((c) => c.type === "example");
    expect(examples.map((e) => e.example?.lead_id)).toEqual(
      h.emu.demo.leads.slice(0, 3).map((l) => l.id),
    );
    expect(examples[0]?.example?.subject).toBe(`Hi ${h.emu.demo.leads[0]?.first_name}`);
    expect(chunks.at(-1)).toMatchObject({
      type: "completed",
      output: { kind: "examples", count: 3 },
    });
  });
});

describe("close()", () => {
  it("ends held long-polls and open streams at once and never hangs", async () => {
    const { emu, server, handle, tokenAuth, feed, liveQuery } = await startHeldRun();
    const poll = fetch(`${feed}?${liveQuery}`, { headers: tokenAuth }).then(
      (r) => r.text(),
      (e: unknown) => e,
    );
    const stream = fetch(`${server.url}/realtime/v1/streams/${handle.runId}/chat`, {
      headers: tokenAuth,
    }).then(
      (r) => r.text(),
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(emu.runningTasks).toBe(1);
    await server.close();
    const [p, s] = await Promise.all([poll, stream]);
    expect(p).toBeDefined();
    expect(s).toBeDefined();
    await new Promise((r) => setTimeout(r, 10));
    expect(emu.runningTasks).toBe(0);
    await server.close(); // twice is fine
  });

  it.each([
    ["Node 24", join(ROOT, "node_modules", ".bin", "node")],
    ["the Node 22 floor", join(ROOT, "node_modules", "node-floor", "bin", "node")],
  ])(
    "holds 15 live polls at once with no MaxListenersExceededWarning and ends them all (%s)",
    async (_name, node) => {
      const { stdout } = await run(node, ["--import", "tsx", join(HERE, "held-polls.ts"), "15"], {
        cwd: ROOT,
        timeout: 120_000,
      });
      const report = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as {
        warnings: string[];
        settledBeforeClose: number;
        settled: number;
        outcomes: unknown[];
      };
      expect(report.warnings).toEqual([]);
      expect(report.settledBeforeClose, "the polls were held (nothing changed in the run)").toBe(0);
      expect(report.settled).toBe(15);
      expect(report.outcomes).toHaveLength(15);
    },
  );
});

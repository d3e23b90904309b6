/**
 * The chat route in a Cloudflare Worker (workerd through Miniflare), from the built package:
 * a refused request, a dispatched turn and a session read against the emulator.
 */

import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PuffleClient } from "../../src/index";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";
import { assertBuilt } from "../package/pack";
import { loadMiniflare, type MiniflareInstance } from "../support/runtime-tools";

let emu: ListeningEmulator;
let mf: MiniflareInstance;
let sessionId: string;

beforeAll(async () => {
  assertBuilt();
  emu = await createEmulator({ taskDurationMs: 100 }).listen();
  const client = new PuffleClient({ apiKey: emu.apiKey, baseURL: emu.url });
  const { campaignId, nodeId } = emu.emulator.demo;
  sessionId = (await client.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId })).id;
  const bundle = await build({
    entryPoints: ["test/server/fixtures/worker.ts"],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  const Miniflare = await loadMiniflare();
  mf = new Miniflare({
    // Listed by hand: the bundle keeps the optional peer's variable `import()` (never reached
    // here), which Miniflare's module walker refuses to follow.
    modules: [
      { type: "ESModule", path: "worker.mjs", contents: bundle.outputFiles[0]?.text ?? "" },
    ],
    compatibilityDate: "2025-01-01",
    bindings: { PUFFLE_API_KEY: emu.apiKey, PUFFLE_BASE_URL: emu.url },
  });
  await mf.ready;
}, 60_000);
afterAll(async () => {
  await mf?.dispose();
  await emu?.close();
});

it("refuses without authorization, dispatches a turn and reads the session, in workerd", async () => {
  const post = (headers: Record<string, string>) =>
    mf.dispatchFetch("http://worker.test/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ action: "turn", sessionId, message: "Hello from a Worker" }),
    });
  const refused = await post({});
  expect(refused.status).toBe(401);
  await refused.text();
  const sent = await post({ authorization: "Bearer worker-user" });
  const body = (await sent.json()) as { run: Record<string, unknown> };
  expect(sent.status).toBe(200);
  expect(Object.keys(body.run)).toEqual(["runId", "publicAccessToken", "triggerBaseURL"]);
  expect(emu.emulator.ledger.turns(sessionId)).toBe(1);
  await emu.emulator.finishTasks();
  const read = await mf.dispatchFetch(`http://worker.test/api/chat?sessionId=${sessionId}`, {
    headers: { authorization: "Bearer worker-user" },
  });
  expect(read.status).toBe(200);
  const { session } = (await read.json()) as { session: { messages: unknown[] } };
  expect(session.messages).toHaveLength(2);
  expect(JSON.stringify(session)).not.toContain(emu.apiKey);
});

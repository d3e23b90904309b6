/**
 * The same chat route mounted in Hono (Web-standard, as in Bun/Deno/Workers) and in Express
 * (through toNodeHandler, with and without express.json()), served over real HTTP on loopback.
 */

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/index";
import { createChatRoute, toNodeHandler } from "../../src/server/index";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";

let emu: ListeningEmulator;
let sessionId: string;
let handler: (request: Request) => Promise<Response>;
const servers: Server[] = [];

beforeAll(async () => {
  emu = await createEmulator({ taskDurationMs: 200, liveHoldMs: 200 }).listen();
  const client = new PuffleClient({
    apiKey: emu.apiKey,
    baseURL: emu.url,
    triggerBaseURL: emu.url,
  });
  const { campaignId, nodeId } = emu.emulator.demo;
  sessionId = (await client.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId })).id;
  handler = createChatRoute({
    client,
    onBusy: "wait",
    // The app's own auth: a bearer token of the signed-in user.
    authorize: (request) =>
      request.headers.get("authorization") === "Bearer user-1" ? true : { status: 401 },
  });
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  await emu?.close();
});

async function listen(listener: Parameters<typeof import("node:http").createServer>[1]) {
  const { createServer } = await import("node:http");
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function exercise(base: string) {
  const url = `${base}/api/chat`;
  const auth = { authorization: "Bearer user-1" };
  const read = await fetch(`${url}?sessionId=${sessionId}`, { headers: auth });
  expect(read.status).toBe(200);
  expect(((await read.json()) as { session: { id: string } }).session.id).toBe(sessionId);
  const before = emu.emulator.ledger.turns(sessionId);
  const sent = await fetch(url, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ action: "turn", sessionId, message: "Intro email for VPs" }),
  });
  expect(sent.status).toBe(200);
  const { run } = (await sent.json()) as { run: { runId: string } };
  expect(run.runId).toMatch(/^run_/);
  expect(emu.emulator.ledger.turns(sessionId)).toBe(before + 1);
  const anonymous = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ action: "turn", sessionId, message: "Hi" }),
  });
  expect(anonymous.status).toBe(401);
  expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  const form = await fetch(url, {
    method: "POST",
    headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
    body: "action=turn",
  });
  expect(form.status).toBe(415);
  const put = await fetch(url, { method: "PUT", headers: auth });
  expect(put.status).toBe(405);
  expect(put.headers.get("allow")).toBe("GET, POST");
  await emu.emulator.finishTasks();
}

describe("the chat route in frameworks", () => {
  it("Hono: app.all(path, (c) => handler(c.req.raw))", async () => {
    const app = new Hono();
    app.all("/api/chat", (c) => handler(c.req.raw));
    const { getRequestListener } = await honoNodeListener(app);
    await exercise(await listen(getRequestListener));
  });

  it("Express: toNodeHandler, streaming body", async () => {
    const app = express();
    app.all("/api/chat", toNodeHandler(handler));
    await exercise(await listen(app));
  });

  it("Express: toNodeHandler after express.json() (already parsed body)", async () => {
    const app = express();
    app.use(express.json());
    app.all("/api/chat", toNodeHandler(handler));
    await exercise(await listen(app));
  });
});

/** Hono has no node:http server of its own here: serve its fetch through toNodeHandler too. */
async function honoNodeListener(app: Hono) {
  return { getRequestListener: toNodeHandler((request) => Promise.resolve(app.fetch(request))) };
}

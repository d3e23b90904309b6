/**
 * A 2xx whose body stalls after the headers, over real HTTP (moved here from the msw suites:
 * msw's interceptor completes a mock socket after the SDK cancelled its body, and undici then
 * trips an internal assertion; real sockets do not). A read times out instead of hanging; a turn
 * whose server acted before stalling is reconciled with ONE POST.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/client";
import { APIConnectionTimeoutError } from "../../src/index";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";

let emulator: ListeningEmulator;
let emu: Emulator;
let proxy: Server;
let proxyURL = "";
/** Which requests the proxy answers with a stalled body after forwarding them. */
let stall: (method: string, url: string) => boolean = () => false;

beforeAll(async () => {
  emulator = await createEmulator({ taskDurationMs: 100 }).listen();
  emu = emulator.emulator;
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === "string" && !["host", "connection", "content-length"].includes(k))
          headers.set(k, v);
      }
      const answer = await fetch(`${emulator.url}${req.url}`, {
        method: req.method ?? "GET",
        headers,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      const text = await answer.text();
      if (stall(req.method ?? "GET", req.url ?? "")) {
        // The server acted; its answer starts, then never ends.
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.write(text.slice(0, 10));
        return;
      }
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "" });
      res.end(text);
    });
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  proxyURL = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((r) => proxy.close(() => r()));
  await emulator.close();
});

const client = (options: Record<string, unknown> = {}) =>
  new PuffleClient({ apiKey: emulator.apiKey, baseURL: proxyURL, logLevel: "off", ...options });

describe("a 2xx whose body stalls after the headers", () => {
  it("a read times out instead of hanging", async () => {
    const session = await client().createSession({
      campaign_id: emu.demo.campaignId,
      node_id: emu.addNode(emu.demo.campaignId, { type: "ai" }),
    });
    stall = (method) => method === "GET";
    try {
      const error = await client({ timeout: 300, maxRetries: 0 })
        .getSession(session.id)
        .catch((e: unknown) => e);
      expect(error instanceof APIConnectionTimeoutError).toBe(true);
    } finally {
      stall = () => false;
    }
  });

  it("a turn the server acted on is reconciled, ONE POST", async () => {
    const session = await client().createSession({
      campaign_id: emu.demo.campaignId,
      node_id: emu.addNode(emu.demo.campaignId, { type: "ai" }),
    });
    stall = (method, url) => method === "POST" && url.endsWith("/turn");
    try {
      const run = await client({ timeout: 300 }).runTurn(session.id, { message: "Stalled" });
      expect(run.reconciled).toBe(true);
      expect(emu.ledger.turns(session.id)).toBe(1);
    } finally {
      stall = () => false;
    }
  });
});

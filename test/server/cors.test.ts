/**
 * CORS of createChatRoute, on both protocols: no CORS header without `allowedOrigins` (no
 * wildcard default), a listed origin's preflight and answers, credentials only when asked, and an
 * unlisted origin refused with 403 before its body is read or `authorize` runs. A real browser's
 * view of the same rules is in test/examples/ai-sdk.test.ts.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PuffleClient } from "../../src/index";
import { type ChatRouteOptions, createChatRoute } from "../../src/server/index";
import type { ListeningEmulator } from "../../src/testing/index";
import { emulatedPuffle } from "./helpers";

let server: ListeningEmulator;
let client: PuffleClient;
let sessionId: string;
const asked: string[] = [];

beforeAll(async () => {
  ({ server, client, sessionId } = await emulatedPuffle({ taskDurationMs: 200, liveHoldMs: 100 }));
});
afterAll(async () => {
  await server?.close();
});

const APP = "https://app.example.com";
const route = (options: Partial<ChatRouteOptions> = {}) =>
  createChatRoute({
    client,
    authorize: (_request, { action }) => {
      asked.push(action);
      return true;
    },
    ...options,
  });
const read = (origin?: string) =>
  new Request(`http://api.test/api/chat?sessionId=${sessionId}`, {
    headers: origin ? { origin } : {},
  });
const preflight = (origin: string) =>
  new Request("http://api.test/api/chat", {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type, x-csrf-token",
    },
  });

describe.each(["json", "ai-sdk"] as const)("protocol %s", (protocol) => {
  it("sends no CORS header without allowedOrigins (no wildcard default)", async () => {
    const handler = route({ protocol });
    const answer = await handler(read(APP));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    const options = await handler(preflight(APP));
    expect(options.status).toBe(405);
    expect(options.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a listed origin's preflight and marks its answers readable", async () => {
    const handler = route({ protocol, allowedOrigins: [APP, "http://localhost:5173"] });
    const options = await handler(preflight(APP));
    expect(options.status).toBe(204);
    expect(options.headers.get("access-control-allow-origin")).toBe(APP);
    expect(options.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
    expect(options.headers.get("access-control-allow-headers")).toBe("content-type, x-csrf-token");
    expect(options.headers.get("access-control-allow-credentials")).toBeNull();
    expect(options.headers.get("vary")).toContain("Origin");
    const answer = await handler(read(APP));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("access-control-allow-origin")).toBe(APP);
    expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
    expect(((await answer.json()) as { session: { id: string } }).session.id).toBe(sessionId);
    // A refusal is readable too, so the page can show it.
    const refused = await handler(
      new Request("http://api.test/api/chat?sessionId=nope", { headers: { origin: APP } }),
    );
    expect(refused.status).toBe(400);
    expect(refused.headers.get("access-control-allow-origin")).toBe(APP);
  });

  it("allows credentials only when asked", async () => {
    const handler = route({ protocol, allowedOrigins: [APP], allowCredentials: true });
    const options = await handler(preflight(APP));
    expect(options.headers.get("access-control-allow-credentials")).toBe("true");
    const answer = await handler(read(APP));
    expect(answer.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("refuses an unlisted origin with 403 before the body is read or authorize runs", async () => {
    const handler = route({ protocol, allowedOrigins: [APP] });
    asked.length = 0;
    let pulled = false;
    // highWaterMark 0: pulled only when someone reads the body.
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const turns = server.emulator.ledger.turns(sessionId);
    const answer = await handler(
      new Request("http://api.test/api/chat", {
        method: "POST",
        headers: { origin: "https://evil.example", "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(answer.status).toBe(403);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
      "origin_not_allowed",
    );
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    expect(pulled).toBe(false);
    expect(asked).toEqual([]);
    expect(server.emulator.ledger.turns(sessionId)).toBe(turns);
    const options = await handler(preflight("https://evil.example"));
    expect(options.status).toBe(403);
    expect(options.headers.get("access-control-allow-origin")).toBeNull();
    // Same-origin and origin-less requests are not cross-origin: they pass.
    expect((await handler(read("http://api.test"))).status).toBe(200);
    expect((await handler(read())).status).toBe(200);
  });
});

describe("options", () => {
  it("refuses a wildcard, a malformed origin and credentials without origins", () => {
    expect(() => route({ allowedOrigins: ["*"] })).toThrow(/no wildcard/);
    expect(() => route({ allowedOrigins: ["https://app.example.com/"] })).toThrow(
      /not an origin.*no path or trailing slash/,
    );
    expect(() => route({ allowedOrigins: ["app.example.com"] })).toThrow(/not an origin/);
    // @ts-expect-error a single string is not a list
    expect(() => route({ allowedOrigins: APP })).toThrow(/list of origins/);
    expect(() => route({ allowCredentials: true })).toThrow(/needs allowedOrigins/);
    // @ts-expect-error a protocol that does not exist
    expect(() => route({ protocol: "sse" })).toThrow(/"json" or "ai-sdk"/);
  });
});

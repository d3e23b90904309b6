/**
 * Issue 20, item 3: the emulator's optional per-key rate limit and the per-minute counts of its
 * ledger, over real HTTP.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";
import { RateLimiter } from "../../src/testing/rate-limit";

let server: ListeningEmulator | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const read = (url: string, key: string, sessionList: string) =>
  fetch(`${url}/api/campaigns/ai-chat-sessions?campaign_id=${sessionList}`, {
    headers: { authorization: `Bearer ${key}` },
  });

describe("requestsPerMinute", () => {
  it("answers 429 with Retry-After past the limit, per key, before acting; the ledger counts", async () => {
    server = await createEmulator({ requestsPerMinute: 3 }).listen();
    const { demo, ledger } = server.emulator;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await read(server.url, demo.apiKey, demo.campaignId)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await read(server.url, demo.apiKey, demo.campaignId);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await refused.json()) as { error: string }).error).toMatch(/rate limit/);
    // Another key has its own window.
    const other = demo.otherUser;
    expect((await read(server.url, other.apiKey, other.campaignId)).status).toBe(200);
    expect(ledger.peakAcceptedPerMinute()).toBe(4);
    const minutes = ledger.requestsPerMinute();
    expect(minutes.reduce((n, m) => n + m.requests, 0)).toBe(7);
    expect(minutes.reduce((n, m) => n + m.limited, 0)).toBe(3);
    expect(ledger.requests.list).toBe(7);
  });

  it("is off by default and can be set at run time", async () => {
    server = await createEmulator().listen();
    const { demo, settings } = server.emulator;
    for (let i = 0; i < 5; i++) {
      expect((await read(server.url, demo.apiKey, demo.campaignId)).status).toBe(200);
    }
    // Set at run time, the limit counts the last minute's requests too.
    settings.requestsPerMinute = 6;
    expect((await read(server.url, demo.apiKey, demo.campaignId)).status).toBe(200);
    expect((await read(server.url, demo.apiKey, demo.campaignId)).status).toBe(429);
  });
});

describe("RateLimiter", () => {
  it("slides: a request is admitted again once the oldest leaves the 60 s window", () => {
    const limiter = new RateLimiter();
    expect(limiter.admit("k", 2, 0)).toBeUndefined();
    expect(limiter.admit("k", 2, 10_000)).toBeUndefined();
    expect(limiter.admit("k", 2, 30_000)).toEqual({ retryAfterSeconds: 30 });
    expect(limiter.admit("k", 2, 59_999)).toEqual({ retryAfterSeconds: 1 });
    expect(limiter.admit("k", 2, 60_000)).toBeUndefined();
    expect(limiter.admit("k", 2, 60_001)).toEqual({ retryAfterSeconds: 10 });
    expect(limiter.admit("k", null, 60_001)).toBeUndefined();
  });
});

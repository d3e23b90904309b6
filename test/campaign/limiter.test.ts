/**
 * The request limiter of draftCampaign (src/lib/limiter.ts): a sliding 60 s window shared by every
 * request of the call, and a 429's Retry-After holding every request after it. Fake timers: the
 * window is a minute long.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLimiter } from "../../src/lib/limiter";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A fetch that answers `status` (with `retryAfter`) and records when each request went out. */
function fakeFetch(status = 200, retryAfter?: string) {
  const sent: number[] = [];
  const fetch = async () => {
    sent.push(Date.now());
    return new Response("{}", { status, headers: retryAfter ? { "retry-after": retryAfter } : {} });
  };
  return { fetch: fetch as unknown as typeof globalThis.fetch, sent };
}

describe("createLimiter", () => {
  it("lets at most N requests out in any 60 s window; the rest wait their turn, in order", async () => {
    const limiter = createLimiter(3);
    const { fetch, sent } = fakeFetch();
    const limited = limiter.wrap(fetch);
    const start = Date.now();
    const all = Promise.all(Array.from({ length: 5 }, () => limited("http://x/api/a")));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(2_000);
    await all;
    expect(sent).toHaveLength(5);
    expect((sent[3] as number) - start).toBeGreaterThanOrEqual(60_000);
    expect(limiter.requests).toBe(5);
    expect(limiter.peakPerMinute).toBe(3);
  });

  it("a 429 with Retry-After holds every request of the call until it has passed", async () => {
    const limiter = createLimiter(undefined);
    const rate = fakeFetch(429, "5");
    await limiter.wrap(rate.fetch)("http://x/api/a");
    const ok = fakeFetch();
    const next = limiter.wrap(ok.fetch)("http://x/api/b");
    await vi.advanceTimersByTimeAsync(4_000);
    expect(ok.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_500);
    await next;
    expect(ok.sent).toHaveLength(1);
  });

  it("an aborted request stops waiting and lets the next one through", async () => {
    const limiter = createLimiter(1);
    const { fetch, sent } = fakeFetch();
    const limited = limiter.wrap(fetch);
    await limited("http://x/api/a");
    const controller = new AbortController();
    const aborted = limited("http://x/api/b", { signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    controller.abort(new Error("stop"));
    expect(await aborted).toMatchObject({ message: "stop" });
    expect(sent).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mapRunStatus, subscribeToRun } from "../../src/realtime/index";
import { type FeedServer, startFeedServer } from "./fixtures/feed-server";
import { runTransportConformance } from "./fixtures/run-conformance";

runTransportConformance("light (Electric)", subscribeToRun);

describe("subscribeToRun on the wire", () => {
  let feed: FeedServer;
  beforeAll(async () => {
    feed = await startFeedServer({ holdMs: 200 });
  });
  afterAll(async () => {
    await feed.close();
  });

  it("sends the bearer token and the Trigger.dev protocol headers, snapshot then live", async () => {
    const run = feed.createRun();
    const play = feed.playTurn(run, { words: ["a"], stepMs: 50 });
    let calls = 0;
    for await (const _ of subscribeToRun({
      runId: run.runId,
      publicAccessToken: run.token,
      triggerBaseURL: `${feed.url}/`,
      fetch: (input, init) => {
        calls += 1;
        return fetch(input, init);
      },
    })) {
      // drain
    }
    await play;
    const feedRequests = feed.requests.filter((r) =>
      r.path.startsWith(`/realtime/v1/runs/${run.runId}`),
    );
    // every request went through the given fetch (the last live poll may be aborted before it lands)
    expect(calls).toBeGreaterThanOrEqual(feedRequests.length);
    const first = feedRequests[0];
    expect(first?.path).toContain("offset=-1");
    expect(first?.path).toContain("log=full");
    for (const request of feedRequests) {
      expect(request.headers.authorization).toBe(`Bearer ${run.token}`);
      expect(request.headers["x-trigger-electric-version"]).toBe("1.0.0-beta.1");
      expect(request.headers["x-trigger-api-version"]).toBe("2025-07-16");
    }
    expect(feedRequests.some((r) => r.path.includes("live=true"))).toBe(true);
  });
});

describe("mapRunStatus", () => {
  it.each([
    ["PENDING", "QUEUED"],
    ["EXECUTING", "EXECUTING"],
    ["RETRYING_AFTER_FAILURE", "EXECUTING"],
    ["COMPLETED_SUCCESSFULLY", "COMPLETED"],
    ["COMPLETED_WITH_ERRORS", "FAILED"],
    ["INTERRUPTED", "FAILED"],
    ["PAUSED", "WAITING"],
    ["WAITING_TO_RESUME", "WAITING"],
    ["CANCELED", "CANCELED"],
    ["CRASHED", "CRASHED"],
    ["SYSTEM_FAILURE", "SYSTEM_FAILURE"],
    ["EXPIRED", "EXPIRED"],
    ["TIMED_OUT", "TIMED_OUT"],
    ["DELAYED", "DELAYED"],
    ["DEQUEUED", "DEQUEUED"],
    ["SOMETHING_NEW", "QUEUED"],
    ["", "QUEUED"],
  ])("%s → %s", (wire, mapped) => {
    expect(mapRunStatus(wire)).toBe(mapped);
  });
});

import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { redact, sanitizeCause } from "../../src/realtime/errors";
import {
  isPuffleError,
  isRealtimeError,
  PuffleError,
  RealtimeError,
  RealtimeMissingDependencyError,
  RealtimeNotFoundError,
  RealtimeProtocolError,
  RealtimeStalledError,
  RealtimeUnauthorizedError,
  RealtimeUnreachableError,
  streamsOf,
} from "../../src/realtime/index";
import { parseFeedDate, parsePacket, rowToRunUpdate } from "../../src/realtime/run-update";
import { fromOfficialRun } from "../../src/realtime/trigger-sdk";

const TOKEN = "tr_pat_0123456789abcdef0123456789abcdef";

describe("RealtimeError", () => {
  it("carries kind, status and runId; is recognised by isRealtimeError with and without kind", () => {
    const error = new RealtimeUnauthorizedError({ runId: "run_1", status: 401 });
    expect(error).toBeInstanceOf(RealtimeError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("RealtimeUnauthorizedError");
    expect(error.kind).toBe("unauthorized");
    expect(error.status).toBe(401);
    expect(error.runId).toBe("run_1");
    expect(isRealtimeError(error)).toBe(true);
    expect(isRealtimeError(error, "unauthorized")).toBe(true);
    expect(isRealtimeError(error, "forbidden")).toBe(false);
    expect(isRealtimeError(new Error("x"))).toBe(false);
    expect(isRealtimeError(null)).toBe(false);
    expect(isRealtimeError("unauthorized")).toBe(false);
  });

  it("is recognised across realms through the package's one error brand, as a PuffleError", () => {
    const foreign = runInNewContext(
      `(() => { const e = new Error("x"); Object.defineProperty(e, Symbol.for("puffle-chat.error.kinds"), { value: ["PuffleError", "RealtimeError"] }); e.kind = "stalled"; return e; })()`,
    );
    // instanceof reads the brand (PuffleError[Symbol.hasInstance]), so it works across realms too.
    expect(foreign instanceof RealtimeError).toBe(true);
    expect(foreign instanceof RealtimeNotFoundError).toBe(false);
    expect(isRealtimeError(foreign)).toBe(true);
    expect(isRealtimeError(foreign, "stalled")).toBe(true);
    expect(isPuffleError(foreign)).toBe(true);
    const local = new RealtimeStalledError({ runId: "run_1", stallTimeoutMs: 5 });
    expect(isPuffleError(local)).toBe(true);
    expect(local).toBeInstanceOf(PuffleError);
  });

  it("says what to do next in every kind", () => {
    const messages = [
      new RealtimeUnauthorizedError({ runId: "run_1" }).message,
      new RealtimeNotFoundError({ runId: "run_1" }).message,
      new RealtimeUnreachableError({ runId: "run_1", attempts: 3, last: "HTTP 503" }).message,
      new RealtimeStalledError({ runId: "run_1", stallTimeoutMs: 5 }).message,
      new RealtimeProtocolError({ runId: "run_1", status: 400, detail: "HTTP 400" }).message,
    ];
    for (const message of messages) {
      expect(message).toContain("run_1");
      expect(message).toMatch(/fall back to polling/);
    }
    expect(
      new RealtimeMissingDependencyError({ runId: "r", packageName: "@trigger.dev/sdk" }).message,
    ).toContain("npm install @trigger.dev/sdk");
  });

  it("serialises to a token-free plain object", () => {
    const cause = sanitizeCause(new Error(`fetch failed for Bearer ${TOKEN}`), TOKEN);
    const error = new RealtimeUnreachableError({ runId: "run_1", attempts: 2, last: "x", cause });
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toEqual({
      name: "RealtimeUnreachableError",
      kind: "unreachable",
      runId: "run_1",
      message: error.message,
    });
    expect(String((error.cause as Error).message)).not.toContain(TOKEN);
    expect(String((error.cause as Error).message)).toMatch(/\[redacted\]/i);
  });

  it("redacts the given secret and anything shaped like a token or key", () => {
    expect(redact(`a ${TOKEN} b`, TOKEN)).toBe("a [redacted] b");
    expect(redact("x tr_pat_abc.def y")).toBe("x tr_pat_[redacted] y");
    expect(redact(`k pk_live_${"a".repeat(64)}`)).toBe("k pk_live_[redacted]");
  });
});

describe("run row decoding", () => {
  const row = {
    id: "cm1",
    friendlyId: "run_abc",
    taskIdentifier: "framework-chat-turn",
    status: "COMPLETED_SUCCESSFULLY",
    createdAt: "2025-03-04T05:06:07.089",
    updatedAt: "2025-03-04T05:06:09.000",
    completedAt: "2025-03-04T05:06:09.000",
    startedAt: "2025-03-04T05:06:08.000",
    isTest: false,
    usageDurationMs: 1000,
    costInCents: 2,
    baseCostInCents: 0,
    output: '{"reply":"hi"}',
    outputType: "application/json",
    metadata: '{"$$streams":["chat"],"x":1}',
    metadataType: "application/json",
    runTags: ["a", "b"],
    realtimeStreams: [],
    error: null,
  };

  it("decodes timestamps as UTC, packets as JSON and derives the flags", () => {
    const update = rowToRunUpdate(row);
    if (typeof update === "string") throw new Error(update);
    expect(update.id).toBe("run_abc");
    expect(update.status).toBe("COMPLETED");
    expect(update.createdAt.toISOString()).toBe("2025-03-04T05:06:07.089Z");
    expect(update.finishedAt?.toISOString()).toBe("2025-03-04T05:06:09.000Z");
    expect(update.output).toEqual({ reply: "hi" });
    expect(update.metadata).toEqual({ $$streams: ["chat"], x: 1 });
    expect(update).toMatchObject({
      isCompleted: true,
      isSuccess: true,
      isFailed: false,
      isExecuting: false,
    });
    expect(streamsOf(update)).toEqual(["chat"]);
  });

  it("is not completed until completedAt is set, whatever the status", () => {
    const update = rowToRunUpdate({ ...row, completedAt: null });
    if (typeof update === "string") throw new Error(update);
    expect(update.status).toBe("COMPLETED");
    expect(update.isCompleted).toBe(false);
  });

  it("normalises run errors like the official client and rejects rows without friendlyId", () => {
    const failed = rowToRunUpdate({
      ...row,
      status: "CRASHED",
      error: { type: "STRING_ERROR", raw: "boom" },
    });
    if (typeof failed === "string") throw new Error(failed);
    expect(failed.error).toEqual({ message: "boom" });
    expect(failed.isFailed).toBe(true);
    expect(rowToRunUpdate({ status: "EXECUTING" })).toMatch(/friendlyId/);
  });

  it("decodes packets by type", () => {
    expect(parsePacket('{"a":1}', "application/json")).toEqual({ a: 1 });
    expect(parsePacket("not json", "application/json")).toBe("not json");
    expect(parsePacket('{"json":{"a":1},"meta":{}}', "application/super+json")).toEqual({ a: 1 });
    expect(parsePacket("hello", "text/plain")).toBe("hello");
    expect(parsePacket("s3://x", "application/store")).toBeUndefined();
    expect(parsePacket(null, "application/json")).toBeUndefined();
  });

  it("accepts feed dates with or without a zone", () => {
    expect(parseFeedDate("2025-01-01T00:00:00.000")?.toISOString()).toBe(
      "2025-01-01T00:00:00.000Z",
    );
    expect(parseFeedDate("2025-01-01T00:00:00.000Z")?.toISOString()).toBe(
      "2025-01-01T00:00:00.000Z",
    );
    expect(parseFeedDate("2025-01-01T02:00:00+02:00")?.toISOString()).toBe(
      "2025-01-01T00:00:00.000Z",
    );
    expect(parseFeedDate("nonsense")).toBeUndefined();
    expect(parseFeedDate(null)).toBeUndefined();
  });

  it("maps official run objects to the same RunUpdate", () => {
    const light = rowToRunUpdate(row);
    const official = fromOfficialRun({
      id: "run_abc",
      taskIdentifier: "framework-chat-turn",
      status: "COMPLETED",
      createdAt: new Date("2025-03-04T05:06:07.089Z"),
      updatedAt: new Date("2025-03-04T05:06:09.000Z"),
      startedAt: new Date("2025-03-04T05:06:08.000Z"),
      finishedAt: new Date("2025-03-04T05:06:09.000Z"),
      output: { reply: "hi" },
      metadata: { $$streams: ["chat"], x: 1 },
      tags: ["a", "b"],
      realtimeStreams: [],
      isTest: false,
      durationMs: 1000,
      costInCents: 2,
      baseCostInCents: 0,
      isCompleted: true,
    });
    expect(official).toEqual(light);
  });
});

import { describe, expect, it } from "vitest";
import { mapRunStatus, subscribeToRun } from "../../src/realtime/index";
import { runTransportConformance } from "./fixtures/run-conformance";

runTransportConformance("light (Electric)", subscribeToRun);

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

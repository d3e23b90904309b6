import { describe, expect, it } from "vitest";
import { isRealtimeError } from "../../src/realtime/index";
import {
  createTriggerSdkTransport,
  subscribeToRunWithTriggerSdk,
} from "../../src/realtime/trigger-sdk";
import { collectError, runTransportConformance } from "./fixtures/run-conformance";

runTransportConformance("trigger-sdk (official ApiClient)", subscribeToRunWithTriggerSdk);

describe("subscribeToRunWithTriggerSdk without the optional peer", () => {
  it("fails with a missing_dependency error naming @trigger.dev/sdk", async () => {
    const transport = createTriggerSdkTransport({
      importModule: () => import("@trigger.dev/does-not-exist" as string),
    });
    const error = await collectError(
      transport({
        runId: "run_1",
        publicAccessToken: "tr_pat_x",
        triggerBaseURL: "http://127.0.0.1:9",
      }),
    );
    expect(isRealtimeError(error, "missing_dependency")).toBe(true);
    expect((error as Error).message).toContain("npm install @trigger.dev/sdk");
  });
});

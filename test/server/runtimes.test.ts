/**
 * The built puffle-chat/server entry loads and answers under Bun and Deno (no Node module at run
 * time): a refused request (403 from authorize) and a dispatched turn against the emulator.
 */

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/index";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";
import { assertBuilt } from "../package/pack";
import { toolBin } from "../support/runtime-tools";

const run = promisify(execFile);
let emu: ListeningEmulator;
let env: Record<string, string>;

beforeAll(async () => {
  assertBuilt();
  emu = await createEmulator({ taskDurationMs: 100 }).listen();
  const client = new PuffleClient({ apiKey: emu.apiKey, baseURL: emu.url });
  const { campaignId, nodeId } = emu.emulator.demo;
  const session = await client.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId });
  env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    SMOKE_URL: emu.url,
    SMOKE_KEY: emu.apiKey,
    SMOKE_SESSION: session.id,
  };
});
afterAll(async () => {
  await emu?.close();
});

describe.each([
  ["Bun", toolBin("bun"), ["test/server/fixtures/runtime-smoke.mjs"]],
  [
    "Deno",
    toolBin("deno"),
    ["run", "--allow-env", "--allow-net", "--allow-read", "test/server/fixtures/runtime-smoke.mjs"],
  ],
])("puffle-chat/server under %s", (_name, command, args) => {
  it("refuses without authorization and dispatches with it", async () => {
    await emu.emulator.finishTasks();
    const { stdout } = await run(command, args, { env, timeout: 60_000 });
    expect(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}")).toEqual({
      refused: 403,
      sent: 200,
      run: ["runId", "publicAccessToken", "triggerBaseURL"],
    });
  }, 90_000);
});

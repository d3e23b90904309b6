import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ListeningEmulator } from "../../../src/testing/index";
import { createEmulator } from "../../../src/testing/index";

let server: ListeningEmulator;
beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 60_000, liveHoldMs: 20_000 }).listen();
});
afterAll(async () => {
  await server.close();
});

async function createSession(): Promise<string> {
  const res = await fetch(`${server.url}/api/campaigns/ai-chat-sessions`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      campaign_id: server.emulator.demo.campaignId,
      node_id: server.emulator.demo.nodeId,
    }),
  });
  const body = (await res.json()) as { session: { id: string } };
  return body.session.id;
}

it.each(["auto", "poll"])(
  "after an abort in %s mode, the Node process exits by itself (nothing left alive)",
  async (mode) => {
    const sessionId = await createSession();
    const child = spawn(
      "node_modules/.bin/tsx",
      ["test/lib/wait/fixtures/abort-child.ts", server.url, server.apiKey, sessionId, mode],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    // A hang guard, not a timing goal: a process kept alive by a timer or socket would sit here
    // for the whole 60 s task (and the 20 s feed hold); an exiting one is gone in about a second.
    const result = await new Promise<{ code: number | null; killed: boolean }>((resolve) => {
      const guard = setTimeout(() => {
        child.kill("SIGKILL");
        resolve({ code: null, killed: true });
      }, 15_000);
      child.on("exit", (code) => {
        clearTimeout(guard);
        resolve({ code, killed: false });
      });
    });
    expect(out).toContain("aborted");
    expect(result.killed).toBe(false);
    expect(result.code).toBe(0);
  },
  30_000,
);

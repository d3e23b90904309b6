import { afterEach, describe, expect, it } from "vitest";
import { type Child, startCli } from "./helpers";

let child: Child | undefined;
afterEach(() => {
  if (child && child.process.exitCode === null && child.process.signalCode === null) {
    child.process.kill("SIGKILL");
  }
  child = undefined;
});

describe("puffle-chat emulator", () => {
  it("prints URL, API key, campaign and ai node, serves them over HTTP, and stops on SIGTERM", async () => {
    child = startCli(["emulator", "--port", "0", "--task-duration", "50"]);
    const [, url] = await child.waitFor(/^URL: (http:\/\/127\.0\.0\.1:\d+)$/m);
    const [, key] = await child.waitFor(/^API key: (pk_live_[0-9a-f]{64})$/m);
    const [, campaign] = await child.waitFor(/^Campaign: ([0-9a-f-]{36})$/m);
    const [, node] = await child.waitFor(/^AI node: ([0-9a-f-]{36})$/m);
    await child.waitFor(/Press Ctrl-C to stop/);
    // The env lines point at the same server.
    expect(child.stdout()).toContain(
      `export PUFFLE_API_KEY=${key} PUFFLE_BASE_URL=${url} PUFFLE_TRIGGER_BASE_URL=${url}`,
    );
    expect(child.stdout()).toContain(
      `export PUFFLE_CAMPAIGN_ID=${campaign} PUFFLE_NODE_ID=${node}`,
    );
    // The demo campaign has three content nodes, and the command that drafts them is printed.
    expect(child.stdout()).toContain("Draft the demo campaign's 3 content nodes");
    expect(child.stdout()).toContain(`npx puffle-chat draft-campaign ${campaign} --brief`);
    const detail = (await (
      await fetch(`${url}/api/campaigns/${campaign}`, {
        headers: { authorization: `Bearer ${key}` },
      })
    ).json()) as { sequence_nodes: Array<{ type: string }> };
    expect(detail.sequence_nodes.map((n) => n.type)).toEqual([
      "ai",
      "email",
      "delay",
      "email",
      "end",
    ]);

    const sessions = `${url}/api/campaigns/ai-chat-sessions`;
    const created = await fetch(sessions, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ campaign_id: campaign, node_id: node }),
    });
    expect(created.status).toBe(201);
    const listed = await fetch(`${sessions}?campaign_id=${campaign}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { sessions: Array<{ node_id: string }> };
    expect(body.sessions.map((s) => s.node_id)).toEqual([node]);
    const refused = await fetch(`${sessions}?campaign_id=${campaign}`);
    expect(refused.status).toBe(401);

    child.process.kill("SIGTERM");
    expect(await child.exited).toBe(0);
    expect(child.stdout()).toContain("Emulator stopped.");
    await expect(fetch(sessions, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });

  it("stops on SIGINT too", async () => {
    child = startCli(["emulator", "--port", "0"]);
    await child.waitFor(/Press Ctrl-C to stop/);
    child.process.kill("SIGINT");
    expect(await child.exited).toBe(0);
    expect(child.stdout()).toContain("Emulator stopped.");
  });

  it("exits 1 with one line when the port is taken", async () => {
    child = startCli(["emulator", "--port", "0"]);
    const [, port] = await child.waitFor(/^URL: http:\/\/127\.0\.0\.1:(\d+)$/m);
    const second = startCli(["emulator", "--port", port ?? ""]);
    try {
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toBe(
        `Error: port ${port} on 127.0.0.1 is already in use: pass another with --port N, or --port 0 for any free port.\n`,
      );
    } finally {
      second.process.kill("SIGKILL");
      child.process.kill("SIGTERM");
      await child.exited;
    }
  });
});

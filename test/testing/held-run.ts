/**
 * One emulator with a turn that runs for a minute, its run feed's snapshot already read: the
 * start of the tests that hold live polls and streams open. Free of vitest, so the child-process
 * script `held-polls.ts` can use it too.
 */

import { createEmulator } from "../../src/testing/index";

export async function startHeldRun() {
  const emu = createEmulator({
    taskDurationMs: 60_000,
    liveHoldMs: 60_000,
    pingIntervalMs: 60_000,
  });
  const server = await emu.listen();
  const auth = { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" };
  const created = (await (
    await fetch(`${server.url}/api/campaigns/ai-chat-sessions`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ campaign_id: emu.demo.campaignId, node_id: emu.demo.nodeId }),
    })
  ).json()) as { session: { id: string } };
  const handle = (await (
    await fetch(`${server.url}/api/campaigns/ai-chat-sessions/${created.session.id}/turn`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ message: "Hello" }),
    })
  ).json()) as { runId: string; publicAccessToken: string };
  const tokenAuth = { authorization: `Bearer ${handle.publicAccessToken}` };
  const feed = `${server.url}/realtime/v1/runs/${handle.runId}`;
  const snap = await fetch(`${feed}?offset=-1&log=full`, { headers: tokenAuth });
  await snap.text();
  /** The live-poll query that continues from the snapshot. */
  const liveQuery = `cursor=&live=true&log=full&handle=${snap.headers.get("electric-handle")}&offset=${snap.headers.get("electric-offset")}`;
  return { emu, server, handle, tokenAuth, feed, liveQuery };
}

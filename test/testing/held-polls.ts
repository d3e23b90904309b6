/**
 * Run by realtime.test.ts in a child process under each Node the package supports (Node 22 warns
 * about listeners on an AbortSignal, Node 24 does not): hold `N` live polls of one run feed at
 * once over real HTTP, then close the server. Prints one JSON line: the MaxListenersExceeded
 * warnings seen, how many polls had settled before close() (0: they were held) and after.
 *
 * Usage: node --import tsx test/testing/held-polls.ts [N]
 */

import { createEmulator } from "../../src/testing/index";

const held = Number(process.argv[2] ?? 15);
const warnings: string[] = [];
process.on("warning", (w) => {
  if (w.name === "MaxListenersExceededWarning") warnings.push(w.message);
});

const emu = createEmulator({ taskDurationMs: 60_000, liveHoldMs: 60_000, pingIntervalMs: 60_000 });
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
const query = `handle=${snap.headers.get("electric-handle")}&offset=${snap.headers.get("electric-offset")}`;
await snap.text();

const before = emu.ledger.requests.runFeed;
let settled = 0;
const polls = Array.from({ length: held }, () =>
  fetch(`${feed}?cursor=&live=true&log=full&${query}`, { headers: tokenAuth })
    .then(
      async (r) => r.status,
      (e: unknown) => String(e),
    )
    .finally(() => {
      settled += 1;
    }),
);
// Wait on what the server saw (not on a clock) until every poll reached the feed handler.
while (emu.ledger.requests.runFeed < before + held) await new Promise((r) => setTimeout(r, 10));
await new Promise((r) => setImmediate(r)); // a process warning is emitted on the next tick
const settledBeforeClose = settled;
await server.close();
const outcomes = await Promise.all(polls);
await new Promise((r) => setImmediate(r));
console.log(JSON.stringify({ warnings, settledBeforeClose, settled, outcomes }));
process.exit(0);

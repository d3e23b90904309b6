/**
 * Run by realtime.test.ts in a child process under each Node the package supports (Node 22 warns
 * about listeners on an AbortSignal, Node 24 does not): hold `N` live polls of one run feed at
 * once over real HTTP, then close the server. Prints one JSON line: the MaxListenersExceeded
 * warnings seen, how many polls had settled before close() (0: they were held) and after.
 *
 * Usage: node --import tsx test/testing/held-polls.ts [N]
 */

import { startHeldRun } from "./held-run";

const held = Number(process.argv[2] ?? 15);
const warnings: string[] = [];
process.on("warning", (w) => {
  if (w.name === "MaxListenersExceededWarning") warnings.push(w.message);
});

const { emu, server, tokenAuth, feed, liveQuery } = await startHeldRun();

const before = emu.ledger.requests.runFeed;
let settled = 0;
const polls = Array.from({ length: held }, () =>
  fetch(`${feed}?${liveQuery}`, { headers: tokenAuth })
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

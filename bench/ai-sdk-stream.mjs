/**
 * The chat route with `protocol: "ai-sdk"` over node:http (toNodeHandler), against the emulator:
 * how long until the answer's headers (the dispatch), the first text token and `[DONE]`, measured
 * from the POST, and how many Puffle API and realtime requests the route makes per turn. The
 * emulator's turn writes its first token after 22.5 % of its duration (10 % queued, then the
 * first of four deltas), so "first token - that moment" is the route's own latency.
 *
 * Requests are counted with a custom `fetch` given to the client (Puffle API, paths under /api/)
 * and by wrapping `globalThis.fetch` (the route's realtime reads: run feed and chat stream).
 *
 *   node bench/ai-sdk-stream.mjs                 20 turns of 2 s
 *   BENCH_QUICK=1 node bench/ai-sdk-stream.mjs   5 turns of 1 s
 */

import { createServer } from "node:http";
import { PuffleClient } from "puffle-chat";
import { createChatRoute, toNodeHandler } from "puffle-chat/server";
import { createEmulator } from "puffle-chat/testing";
import { assertBuilt, emitResult, QUICK, quantile, round } from "./lib.mjs";

assertBuilt();
const TURNS = QUICK ? 5 : 20;
const DURATION_MS = QUICK ? 1_000 : 2_000;

const server = await createEmulator({ taskDurationMs: DURATION_MS }).listen();
const counts = { api: 0, realtime: 0 };
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (url.includes("/realtime/v1/")) counts.realtime++;
  return realFetch(input, init);
};
const client = new PuffleClient({
  apiKey: server.apiKey,
  baseURL: server.url,
  triggerBaseURL: server.url,
  fetch: (input, init) => {
    counts.api++;
    return realFetch(input, init);
  },
});
const { campaignId, nodeId } = server.emulator.demo;
const session = await client.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId });
const app = createServer(
  toNodeHandler(createChatRoute({ client, authorize: () => true, protocol: "ai-sdk" })),
);
await new Promise((resolve) => app.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${app.address().port}/api/chat`;

const rows = { headers: [], firstToken: [], lag: [], done: [], api: [], realtime: [] };
for (let i = 0; i < TURNS; i++) {
  counts.api = 0;
  counts.realtime = 0;
  const t0 = performance.now();
  const response = await realFetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      id: session.id,
      trigger: "submit-message",
      messages: [{ id: `m${i}`, role: "user", parts: [{ type: "text", text: `Turn ${i}` }] }],
    }),
  });
  rows.headers.push(performance.now() - t0);
  const decoder = new TextDecoder();
  let text = "";
  let first;
  for await (const chunk of response.body) {
    text += decoder.decode(chunk, { stream: true });
    if (first === undefined && text.includes('"text-delta"')) first = performance.now() - t0;
  }
  if (!text.endsWith("data: [DONE]\n\n") || !text.includes('"type":"finish"'))
    throw new Error(`turn ${i} did not finish: ${text.slice(-300)}`);
  rows.done.push(performance.now() - t0);
  rows.firstToken.push(first);
  rows.lag.push(first - 0.225 * DURATION_MS);
  rows.api.push(counts.api);
  rows.realtime.push(counts.realtime);
}
app.close();
await server.close();

const stat = (values) => ({
  p50: round(quantile(values, 0.5), 1),
  p95: round(quantile(values, 0.95), 1),
});
const result = {
  turns: TURNS,
  taskDurationMs: DURATION_MS,
  headersMs: stat(rows.headers),
  firstTokenMs: stat(rows.firstToken),
  firstTokenLagMs: stat(rows.lag),
  doneMs: stat(rows.done),
  apiRequestsPerTurn: stat(rows.api),
  realtimeRequestsPerTurn: stat(rows.realtime),
};
console.log(
  [
    `| figure (${TURNS} turns of ${DURATION_MS} ms) | p50 | p95 |`,
    "| --- | --- | --- |",
    ...Object.entries(result)
      .filter(([, v]) => typeof v === "object")
      .map(([k, v]) => `| ${k} | ${v.p50} | ${v.p95} |`),
  ].join("\n"),
);
emitResult("ai-sdk-stream", result);

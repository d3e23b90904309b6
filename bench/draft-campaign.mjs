/**
 * (f) A 5-node campaign (email, ai, email, ai, email between delays) drafted by `draftCampaign`
 * at concurrency 1, 2 and 4, beside a hand-written sequential `chat()` loop sending the same
 * messages, against the emulator with a fixed task duration. Reports wall time, Puffle requests
 * per node (every request to /api/, retries included; the realtime feed goes to Trigger.dev and is
 * counted apart) and the peak requests in any 60 s window. Each mode gets a fresh campaign; the
 * ledger checks every node was drafted and no message was dispatched twice.
 *
 *   node bench/draft-campaign.mjs                 1 s tasks
 *   BENCH_TASK_MS=3000 node bench/draft-campaign.mjs
 */

import { PuffleClient } from "puffle-chat";
import { lintDraft } from "puffle-chat/template";
import { createEmulator } from "puffle-chat/testing";
import { assertBuilt, emitResult, QUICK, round } from "./lib.mjs";

assertBuilt();
const TASK_MS = Number(process.env.BENCH_TASK_MS ?? (QUICK ? 500 : 1000));
const BRIEF = "Intro to VPs of Sales about our pipeline forecasting tool. Goal: a 20 minute call.";
const NODES = [
  { type: "email" },
  { type: "delay", delay_days: 2 },
  { type: "ai" },
  { type: "delay", delay_days: 2 },
  { type: "email" },
  { type: "ai" },
  { type: "email" },
];

const server = await createEmulator({ taskDurationMs: TASK_MS, liveHoldMs: 2_000 }).listen();
const emu = server.emulator;

/** A client whose every request is timestamped: Puffle's (/api/) and the realtime feed's. */
function countingClient() {
  const puffle = [];
  let realtime = 0;
  const fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url).pathname.startsWith("/api/")) puffle.push(Date.now());
    else realtime += 1;
    return globalThis.fetch(input, init);
  };
  const client = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    logLevel: "off",
    fetch,
  });
  return { client, puffle, realtime: () => realtime };
}

/** The most timestamps within any 60 s window. */
function peakPerMinute(times) {
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= 60_000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

/** The hand-written loop: one node after the other, chat() until the draft passes its lint rule. */
async function sequentialChat(client, campaignId) {
  const { sequence_nodes } = await client.getCampaign(campaignId);
  const prior = [];
  for (const [position, node] of sequence_nodes.entries()) {
    if (node.type !== "email" && node.type !== "ai") continue;
    const session = await client.getOrCreateSession({ campaign_id: campaignId, node_id: node.id });
    const where = `This is email ${position + 1} of ${sequence_nodes.length} in the sequence`;
    const messages = [
      `${BRIEF}\n\n(${where}; ${node.type === "ai" ? "an AI node: its personalised blocks are written per lead at launch" : "it goes out exactly as written"}.)`,
      node.type === "email"
        ? "Please go ahead on reasonable assumptions, state them in one line, and give me the final text, ready to send."
        : "Please go ahead on reasonable assumptions, state them in one line, and write the draft now.",
    ];
    let last;
    for (const message of messages) {
      const sequenceContext = { position, total_nodes: sequence_nodes.length, prior_nodes: prior };
      last = (await client.chat(session.id, { message, sequenceContext })).session;
      const instructions = node.type === "ai" ? "off" : "error";
      if (lintDraft({ subject: last.draft_subject, body: last.draft_body }, { instructions }).ok)
        break;
    }
    prior.push({ position, type: node.type, subject: last?.draft_subject, body: last?.draft_body });
  }
}

/** Run one mode on a fresh campaign; its figures and the ledger's verdict. */
async function measure(name, run) {
  const { campaignId, contentNodeIds } = emu.seedCampaign({ nodes: NODES });
  const counting = countingClient();
  const started = Date.now();
  await run(counting.client, campaignId);
  const wallMs = Date.now() - started;
  const sessions = await counting.client.listSessions(campaignId);
  let drafted = 0;
  let doubled = 0;
  for (const s of sessions) {
    const node = emu.getNodes(campaignId).find((n) => n.id === s.node_id);
    const instructions = node?.type === "ai" ? "off" : "error";
    if (
      s.draft_subject &&
      lintDraft({ subject: s.draft_subject, body: s.draft_body }, { instructions }).ok
    )
      drafted++;
    const sent = emu.ledger.dispatches.filter((d) => d.sessionId === s.id).map((d) => d.message);
    doubled += sent.length - new Set(sent).size;
  }
  const turns = emu.ledger.dispatches.filter((d) =>
    sessions.some((s) => s.id === d.sessionId),
  ).length;
  const requests = counting.puffle.length - 1; // the listSessions above is the check's, not the run's
  return {
    mode: name,
    wallMs,
    nodes: contentNodeIds.length,
    drafted,
    doubled,
    turns,
    puffleRequests: requests,
    requestsPerNode: round(requests / contentNodeIds.length, 1),
    peakPerMinute: peakPerMinute(counting.puffle.slice(0, requests)),
    realtimeRequests: counting.realtime(),
  };
}

const modes = [];
modes.push(await measure("sequential chat() loop", sequentialChat));
for (const concurrency of [1, 2, 4]) {
  modes.push(
    await measure(`draftCampaign concurrency ${concurrency}`, (client, campaignId) =>
      client.draftCampaign(campaignId, { brief: BRIEF, concurrency }),
    ),
  );
}
await server.close();
for (const m of modes) console.log(JSON.stringify(m));
emitResult("draft-campaign", {
  taskDurationMs: TASK_MS,
  modes,
  ok: modes.every((m) => m.drafted === m.nodes && m.doubled === 0),
});

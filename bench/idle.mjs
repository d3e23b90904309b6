/**
 * (d) Idle detection on the emulator: how long after the emulator cleared `task_status` does the
 * caller learn the session is idle, and how many Puffle API requests does a turn cost?
 *
 * Two phases per duration: "exact" (the task lasts exactly d) and "jittered" (d + U(0, 2000) ms,
 * so that a fixed 2 s poll is not lined up with task ends that are multiples of 2 s).
 *
 * Three strategies per task duration, each on its own sessions, all running concurrently:
 * - realtime: `runTurn` then `waitForIdleDetailed(id, { run })` (same code path as `waitForIdle`,
 *   plus the mode actually used, so a silent fallback to polling would show);
 * - sdk-poll: `runTurn` then `waitForIdleDetailed(id, { mode: "poll" })` (default schedule);
 * - fixed-2s: `runTurn` then a loop of `getSession` at once and every 2000 ms until idle.
 *
 * The moment the emulator cleared task_status is the idle session's `updated_at`: the emulator's
 * task writes `updated_at = now` in the same synchronous step that sets `task_status = null`
 * (src/testing/tasks.ts `release`), and the emulator runs in this process, so both clocks are one.
 * Delay = the moment the wait resolved minus that timestamp (ms resolution).
 *
 * Requests are counted with a custom `fetch` given to each client: Puffle API requests (paths
 * under /api/, the dispatch included) apart from Trigger.dev realtime requests (run feed, streams).
 *
 *   node bench/idle.mjs                    durations 2, 10, 30 s
 *   BENCH_QUICK=1 node bench/idle.mjs      durations 0.5, 1, 2 s
 *   BENCH_IDLE_DURATIONS=2000,10000 BENCH_IDLE_SESSIONS=5 BENCH_IDLE_TURNS=2 node bench/idle.mjs
 */

import { PuffleClient } from "puffle-chat";
import { createEmulator } from "puffle-chat/testing";
import { assertBuilt, emitResult, mean, QUICK, quantile, round } from "./lib.mjs";

assertBuilt();
const DURATIONS = (
  process.env.BENCH_IDLE_DURATIONS ?? (QUICK ? "500,1000,2000" : "2000,10000,30000")
)
  .split(",")
  .map(Number);
const SESSIONS = Number(process.env.BENCH_IDLE_SESSIONS ?? 5);
const TURNS = Number(process.env.BENCH_IDLE_TURNS ?? 2);
const STRATEGIES = ["realtime", "sdk-poll", "fixed-2s"];
const PHASES = ["exact", "jittered"];

const emulator = createEmulator();
const server = await emulator.listen();

function countingClient() {
  const counts = { puffle: 0, realtime: 0 };
  const fetchCounting = (input, init) => {
    const url = typeof input === "string" ? input : (input.url ?? String(input));
    if (new URL(url).pathname.startsWith("/api/")) counts.puffle++;
    else counts.realtime++;
    return globalThis.fetch(input, init);
  };
  const puffle = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    fetch: fetchCounting,
    logLevel: "off",
  });
  return { puffle, counts };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function oneTurn(strategy, puffle, id, message, taskMs) {
  const run = await puffle.runTurn(
    id,
    { message },
    { headers: { "x-emulator-task-duration-ms": String(taskMs) } },
  );
  let session;
  let mode = strategy;
  let fallbackReason;
  if (strategy === "realtime") {
    const r = await puffle.waitForIdleDetailed(id, { run, deadline: 120_000 });
    session = r.session;
    mode = r.mode;
    fallbackReason = r.fallbackReason;
  } else if (strategy === "sdk-poll") {
    const r = await puffle.waitForIdleDetailed(id, { mode: "poll", deadline: 120_000 });
    session = r.session;
    mode = r.mode;
  } else {
    for (;;) {
      session = await puffle.getSession(id);
      if (session.task_status === null) break;
      await sleep(2000);
    }
  }
  const resolvedAt = Date.now();
  return { delayMs: resolvedAt - Date.parse(session.updated_at), mode, fallbackReason };
}

async function worker(durationMs, strategy, phase, index) {
  const { campaignId, nodeId } = emulator.addCampaign({
    name: `${strategy}-${durationMs}-${phase}-${index}`,
  });
  const { puffle, counts } = countingClient();
  const session = await puffle.createSession({ campaign_id: campaignId, node_id: nodeId });
  const samples = [];
  for (let t = 0; t < TURNS; t++) {
    const before = { ...counts };
    // "jittered": the task lasts d + U(0, 2000) ms, so a fixed 2 s poll cannot line up with the
    // end of a task by construction (with "exact" durations that are multiples of 2 s it does).
    const taskMs = phase === "exact" ? durationMs : durationMs + Math.round(Math.random() * 2000);
    const r = await oneTurn(strategy, puffle, session.id, `turn ${t} of ${strategy}`, taskMs);
    samples.push({
      ...r,
      puffleRequests: counts.puffle - before.puffle,
      realtimeRequests: counts.realtime - before.realtime,
    });
  }
  return samples;
}

const started = Date.now();
const jobs = [];
for (const d of DURATIONS)
  for (const p of PHASES)
    for (const s of STRATEGIES)
      for (let i = 0; i < SESSIONS; i++)
        jobs.push(worker(d, s, p, i).then((samples) => ({ d, s, p, samples })));
const settled = await Promise.allSettled(jobs);
await server.close();
const failures = settled.filter((r) => r.status === "rejected").map((r) => String(r.reason));

const rows = [];
for (const d of DURATIONS) {
  for (const p of PHASES)
    for (const s of STRATEGIES) {
      const samples = settled
        .filter(
          (r) => r.status === "fulfilled" && r.value.d === d && r.value.s === s && r.value.p === p,
        )
        .flatMap((r) => r.value.samples);
      const delays = samples.map((x) => x.delayMs);
      rows.push({
        durationMs: d,
        phase: p,
        strategy: s,
        turns: samples.length,
        p50DelayMs: quantile(delays, 0.5),
        meanDelayMs: round(mean(delays), 1),
        maxDelayMs: Math.max(...delays),
        puffleRequestsPerTurn: round(mean(samples.map((x) => x.puffleRequests)), 2),
        realtimeRequestsPerTurn: round(mean(samples.map((x) => x.realtimeRequests)), 2),
        fallbacks: samples.filter((x) => x.mode !== s && s === "realtime").length,
        fallbackReasons: [...new Set(samples.map((x) => x.fallbackReason).filter(Boolean))],
      });
    }
}
for (const r of rows) {
  console.log(
    `${String(r.durationMs / 1000).padStart(4)} s ${r.phase.padEnd(8)} ${r.strategy.padEnd(9)} turns ${r.turns}: delay p50 ${r.p50DelayMs} ms, mean ${r.meanDelayMs} ms, max ${r.maxDelayMs} ms; ` +
      `Puffle requests/turn ${r.puffleRequestsPerTurn} (dispatch included), realtime requests/turn ${r.realtimeRequestsPerTurn}` +
      (r.strategy === "realtime" ? `; fell back to polling ${r.fallbacks}x` : ""),
  );
}
if (failures.length)
  console.log(`FAILED workers: ${failures.length}: ${failures.slice(0, 3).join(" | ")}`);
emitResult("idle", {
  durationsMs: DURATIONS,
  sessionsPerCell: SESSIONS,
  turnsPerSession: TURNS,
  wallSeconds: round((Date.now() - started) / 1000, 1),
  rows,
  failures,
});

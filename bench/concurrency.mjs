/**
 * (e) 1,000 concurrent `chat()` calls in one process against the emulator (1,000 sessions, one per
 * campaign, task duration ~1 s), for each realtime transport ("electric" and "trigger-sdk"), each
 * in a fresh client process. The emulator runs in a separate process (bench/emulator-process.mjs)
 * so the client's RSS is the SDK's. Checks that every call resolves, none is lost or doubled
 * (results counted, and the emulator's ledger: one dispatched turn per session, every session
 * idle with an assistant reply), and reports wall time and peak RSS (sampled every 20 ms).
 *
 *   node bench/concurrency.mjs                          both transports, 1000 calls
 *   BENCH_QUICK=1 node bench/concurrency.mjs            200 calls
 *   node bench/concurrency.mjs --transport electric     one transport (what the parent runs)
 */

import { fork, spawn } from "node:child_process";
import { join } from "node:path";
import { PuffleClient } from "puffle-chat";
import { assertBuilt, emitResult, QUICK, ROOT, round } from "./lib.mjs";

assertBuilt();
const CALLS = Number(process.env.BENCH_CALLS ?? (QUICK ? 200 : 1000));
const TASK_MS = Number(process.env.BENCH_TASK_MS ?? 1000);
const TRANSPORTS = ["electric", "trigger-sdk"];
const argIndex = process.argv.indexOf("--transport");
const only = argIndex > 0 ? process.argv[argIndex + 1] : undefined;

if (only === undefined) {
  // Parent: one fresh process per transport, one after the other.
  const results = [];
  for (const transport of TRANSPORTS) {
    const child = spawn(process.execPath, [process.argv[1], "--transport", transport], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
      env: process.env,
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    const line = out.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
    for (const l of out.split("\n")) if (l && !l.startsWith("BENCH_RESULT ")) console.log(l);
    results.push(
      line
        ? JSON.parse(line.slice("BENCH_RESULT ".length))
        : { transport, error: `exit ${code}, no result` },
    );
  }
  emitResult("concurrency", { calls: CALLS, taskDurationMs: TASK_MS, transports: results });
} else {
  await runOne(only);
}

async function runOne(transport) {
  const emu = fork(join(ROOT, "bench", "emulator-process.mjs"), [String(CALLS), String(TASK_MS)], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ask = (message, type) =>
    new Promise((resolve) => {
      const onMessage = (m) => {
        if (m.type === type) {
          emu.off("message", onMessage);
          resolve(m);
        }
      };
      emu.on("message", onMessage);
      if (message) emu.send(message);
    });
  try {
    const ready = await ask(undefined, "ready");
    const puffle = new PuffleClient({
      apiKey: ready.apiKey,
      baseURL: ready.url,
      triggerBaseURL: ready.url,
      logLevel: "off",
      realtime: { transport },
    });
    const sessions = await Promise.all(
      ready.campaigns.map((c) =>
        puffle.createSession({ campaign_id: c.campaignId, node_id: c.nodeId }),
      ),
    );
    globalThis.gc?.();
    const baselineRss = process.memoryUsage().rss;
    let peakRss = baselineRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    const t0 = performance.now();
    const settled = await Promise.allSettled(
      sessions.map((s, i) =>
        puffle.chat(s.id, { message: `Intro email number ${i}` }, { deadline: 300_000 }),
      ),
    );
    const wallMs = performance.now() - t0;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const ok = settled.filter((r) => r.status === "fulfilled").map((r) => r.value);
    const errors = settled.filter((r) => r.status === "rejected").map((r) => String(r.reason));
    const ledger = await ask({ type: "ledger", sessionIds: sessions.map((s) => s.id) }, "ledger");
    const modes = {};
    for (const r of ok) modes[r.wait.mode] = (modes[r.wait.mode] ?? 0) + 1;
    const fallbackReasons = [...new Set(ok.map((r) => r.wait.fallbackReason).filter(Boolean))];
    const result = {
      transport,
      calls: CALLS,
      fulfilled: ok.length,
      rejected: errors.length,
      firstErrors: [...new Set(errors)].slice(0, 3),
      withReply: ok.filter((r) => typeof r.reply === "string" && r.reply.length > 0).length,
      idle: ok.filter((r) => r.session.task_status === null).length,
      modes,
      fallbackReasons: fallbackReasons.slice(0, 3),
      puffleRequestsPerCall: round(ok.reduce((a, r) => a + r.wait.requests, 0) / ok.length, 2),
      chatElapsedMs: {
        p50: round(
          quantileOf(
            ok.map((r) => r.wait.elapsedMs),
            0.5,
          ),
          0,
        ),
        max: round(Math.max(...ok.map((r) => r.wait.elapsedMs)), 0),
      },
      wallMs: round(wallMs, 0),
      baselineRssMB: round(baselineRss / 2 ** 20, 1),
      peakRssMB: round(peakRss / 2 ** 20, 1),
      ledger: {
        dispatches: ledger.dispatches,
        turnRequests: ledger.turnRequests,
        sessionsWithOneTurn: ledger.sessionsWithOneTurn,
        sessionsIdle: ledger.sessionsIdle,
        sessionsWithReply: ledger.sessionsWithReply,
        runningTasks: ledger.runningTasks,
        runFeedRequests: ledger.requests.runFeed,
        streamRequests: ledger.requests.stream,
        emulatorRssMB: ledger.rssMB,
      },
    };
    result.noneLost =
      result.fulfilled === CALLS &&
      ledger.dispatches === CALLS &&
      ledger.sessionsWithOneTurn === CALLS &&
      ledger.sessionsIdle === CALLS &&
      ledger.sessionsWithReply === CALLS;
    console.log(
      `${CALLS} concurrent chat() [${transport}]: ${result.fulfilled} fulfilled, ${result.rejected} rejected; ` +
        `ledger ${ledger.dispatches} dispatches, ${ledger.sessionsWithOneTurn} sessions with exactly one turn, ` +
        `${ledger.sessionsIdle} idle, ${ledger.sessionsWithReply} with a reply; modes ${JSON.stringify(modes)}; ` +
        `wall ${result.wallMs} ms; client RSS baseline ${result.baselineRssMB} MB, peak ${result.peakRssMB} MB; ` +
        `none lost: ${result.noneLost ? "yes" : "NO"}`,
    );
    emitResult("concurrency-one", result);
  } finally {
    emu.send({ type: "close" });
    await new Promise((resolve) => emu.once("exit", resolve));
  }
}

function quantileOf(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

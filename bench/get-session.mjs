/**
 * (a) getSession through the SDK vs raw fetch + JSON.parse, against the emulator on loopback.
 * Interleaved in one process (SDK, raw, SDK, raw, ...) after a warm-up; p50/p95 of each and the
 * p50 ratio SDK/raw (target <= 1.5).
 *
 *   node bench/get-session.mjs            (BENCH_QUICK=1 for 500 iterations)
 */

import { performance } from "node:perf_hooks";
import { PuffleClient } from "puffle-chat";
import { createEmulator } from "puffle-chat/testing";
import { assertBuilt, emitResult, QUICK, quantile, round } from "./lib.mjs";

assertBuilt();
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? (QUICK ? 500 : 2000));
const WARMUP = QUICK ? 100 : 300;

const emulator = createEmulator();
const server = await emulator.listen();
try {
  const puffle = new PuffleClient({ apiKey: server.apiKey, baseURL: server.url, logLevel: "off" });
  const session = await puffle.getOrCreateSession({
    campaign_id: emulator.demo.campaignId,
    node_id: emulator.demo.nodeId,
  });
  const url = `${server.url}/api/campaigns/ai-chat-sessions/${session.id}`;
  const headers = { authorization: `Bearer ${server.apiKey}` };

  const sdk = () => puffle.getSession(session.id);
  const raw = async () => {
    const res = await fetch(url, { headers });
    if (!res.ok) throw new Error(`raw fetch: HTTP ${res.status}`);
    const body = JSON.parse(await res.text());
    if (!body.session) throw new Error("raw fetch: no session in the body");
    return body.session;
  };

  for (let i = 0; i < WARMUP; i++) {
    await sdk();
    await raw();
  }
  const times = { sdk: [], raw: [] };
  for (let i = 0; i < ITERATIONS; i++) {
    // Alternate which goes first so neither always follows the other.
    const order = i % 2 === 0 ? ["sdk", "raw"] : ["raw", "sdk"];
    for (const which of order) {
      const t0 = performance.now();
      const s = await (which === "sdk" ? sdk() : raw());
      times[which].push(performance.now() - t0);
      if (s.id !== session.id) throw new Error("wrong session read");
    }
  }
  const stat = (xs) => ({ p50: round(quantile(xs, 0.5), 3), p95: round(quantile(xs, 0.95), 3) });
  const result = {
    iterations: ITERATIONS,
    warmup: WARMUP,
    sdkMs: stat(times.sdk),
    rawMs: stat(times.raw),
  };
  result.p50Ratio = round(result.sdkMs.p50 / result.rawMs.p50, 3);
  result.target = "p50 ratio <= 1.5";
  result.met = result.p50Ratio <= 1.5;
  console.log(
    `getSession x${ITERATIONS} interleaved: SDK p50 ${result.sdkMs.p50} ms p95 ${result.sdkMs.p95} ms; ` +
      `raw fetch p50 ${result.rawMs.p50} ms p95 ${result.rawMs.p95} ms; p50 ratio ${result.p50Ratio} (target <= 1.5: ${result.met ? "met" : "MISSED"})`,
  );
  emitResult("getSession", result);
} finally {
  await server.close();
}

/**
 * Issue 23: what tracing costs on getSession, against the emulator on loopback. Four variants
 * interleaved in one process (after a warm-up), each iteration in a rotating order:
 *   raw       fetch + JSON.parse (the floor)
 *   before    the SDK built from BASELINE_REF (default ec9cb0d, the commit before the tracing
 *             channels): "today's" cost
 *   off       this build, nothing subscribed to the channels
 *   otel      this build with registerPuffleTelemetry (BasicTracerProvider + SimpleSpanProcessor
 *             into an InMemorySpanExporter, emptied as it goes)
 * Reports p50/p95 of each and the p50 ratios to raw fetch.
 *
 *   node bench/tracing.mjs            (BENCH_QUICK=1 for 500 iterations)
 *
 * The baseline is built once into $TMPDIR/puffle-chat-bench-baseline-<ref> (git archive + tsup).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { PuffleClient } from "puffle-chat";
import { registerPuffleTelemetry } from "puffle-chat/otel";
import { createEmulator } from "puffle-chat/testing";
import { assertBuilt, emitResult, QUICK, quantile, round } from "./lib.mjs";

assertBuilt();
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const REF = process.env.BASELINE_REF ?? "ec9cb0d";
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? (QUICK ? 500 : 2000));
const WARMUP = QUICK ? 100 : 300;

/** The SDK as it was at `ref`, built once. */
async function baselineClient() {
  // Outside the checkout: a second project tree inside it would confuse the linters.
  const dir = join(tmpdir(), `puffle-chat-bench-baseline-${REF}`);
  if (!existsSync(join(dir, "dist", "index.js"))) {
    mkdirSync(dir, { recursive: true });
    execFileSync("sh", ["-c", `git -C "${ROOT}" archive ${REF} | tar -x -C "${dir}"`]);
    if (!existsSync(join(dir, "node_modules"))) {
      symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    }
    execFileSync(join(ROOT, "node_modules", ".bin", "tsup"), ["--silent"], { cwd: dir });
  }
  return (await import(pathToFileURL(join(dir, "dist", "index.js")).href)).PuffleClient;
}

const emulator = createEmulator();
const server = await emulator.listen();
try {
  const options = { apiKey: server.apiKey, baseURL: server.url, logLevel: "off" };
  const Before = await baselineClient();
  const current = new PuffleClient(options);
  const before = new Before(options);
  const session = await current.getOrCreateSession({
    campaign_id: emulator.demo.campaignId,
    node_id: emulator.demo.nodeId,
  });
  const url = `${server.url}/api/campaigns/ai-chat-sessions/${session.id}`;
  const headers = { authorization: `Bearer ${server.apiKey}` };
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  let stop;
  const variants = {
    raw: async () => {
      const res = await fetch(url, { headers });
      return JSON.parse(await res.text()).session;
    },
    before: () => before.getSession(session.id),
    off: () => current.getSession(session.id),
    otel: () => current.getSession(session.id),
  };
  const setUp = (which) => {
    if (which === "otel") stop = registerPuffleTelemetry({ tracerProvider });
  };
  const tearDown = (which) => {
    if (which === "otel") stop?.();
    if (exporter.getFinishedSpans().length > 1000) exporter.reset();
  };
  const names = Object.keys(variants);
  for (let i = 0; i < WARMUP; i++) {
    for (const which of names) {
      setUp(which);
      await variants[which]();
      tearDown(which);
    }
  }
  exporter.reset();
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < ITERATIONS; i++) {
    const order = names.map((_, k) => names[(i + k) % names.length]);
    for (const which of order) {
      setUp(which);
      const t0 = performance.now();
      const s = await variants[which]();
      times[which].push(performance.now() - t0);
      tearDown(which);
      if (s.id !== session.id) throw new Error(`${which}: wrong session read`);
    }
  }
  const stat = (xs) => ({ p50: round(quantile(xs, 0.5), 3), p95: round(quantile(xs, 0.95), 3) });
  const result = { iterations: ITERATIONS, warmup: WARMUP, baselineRef: REF };
  for (const n of names) result[`${n}Ms`] = stat(times[n]);
  for (const n of ["before", "off", "otel"]) {
    result[`${n}Ratio`] = round(result[`${n}Ms`].p50 / result.rawMs.p50, 3);
  }
  console.log(
    `getSession x${ITERATIONS} interleaved, p50 (p95) ms: raw ${result.rawMs.p50} (${result.rawMs.p95}); ` +
      `before ${result.beforeMs.p50} (${result.beforeMs.p95}); off ${result.offMs.p50} (${result.offMs.p95}); ` +
      `otel ${result.otelMs.p50} (${result.otelMs.p95}). Ratios to raw: before ${result.beforeRatio}, ` +
      `off ${result.offRatio}, otel ${result.otelRatio}`,
  );
  emitResult("tracing", result);
} finally {
  await server.close();
}

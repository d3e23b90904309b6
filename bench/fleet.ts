/**
 * Issue 20: throughput of the pg-boss driver with 1, 2 and 4 worker processes against the same
 * Puffle rate limit (the emulator's per-key limit and the fleet's requestsPerMinute, equal), a
 * throwaway PostgreSQL on 127.0.0.1. For each fleet size: nodes drafted per minute, Puffle
 * requests per node, the peak requests in any 60 s (never above the limit), and requests the
 * emulator had to refuse (429).
 *
 *   node --import tsx bench/fleet.ts          (BENCH_QUICK=1: 2 campaigns per run)
 *
 * Prints a BENCH_RESULT line like the other benchmarks.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { PgBoss } from "pg-boss";
import { campaignDraftProgress, enqueueCampaignDraft } from "../src/pg-boss/index";
import { createEmulator } from "../src/testing/index";
import { startPostgres } from "../test/support/postgres";

const ROOT = join(import.meta.dirname, "..");
const CHILD = join(ROOT, "test", "pg-boss", "worker-child.ts");
const QUICK = process.env.BENCH_QUICK === "1";
const LIMIT = Number(process.env.BENCH_LIMIT ?? 180);
const CAMPAIGNS = QUICK ? 2 : 6;
const TASK_MS = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function peak(times: number[]): number {
  let best = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= 60_000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

async function run(workers: number) {
  const pg = await startPostgres();
  const server = await createEmulator({
    taskDurationMs: TASK_MS,
    liveHoldMs: 1_000,
    requestsPerMinute: LIMIT,
  }).listen();
  const emu = server.emulator;
  const boss = new PgBoss({ connectionString: pg.url });
  boss.on("error", () => {});
  await boss.start();
  const children: ChildProcess[] = [];
  try {
    const ready = Array.from({ length: workers }, () => {
      const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: pg.url,
          PUFFLE_API_KEY: server.apiKey,
          PUFFLE_BASE_URL: server.url,
          PUFFLE_TRIGGER_BASE_URL: server.url,
          REQUESTS_PER_MINUTE: String(LIMIT),
          CONCURRENCY: "3",
        },
        stdio: ["ignore", "pipe", "inherit"],
      });
      children.push(child);
      return new Promise<void>((resolve) =>
        child.stdout?.on("data", (d) => String(d).includes('"ready"') && resolve()),
      );
    });
    await Promise.all(ready);
    const ids: string[] = [];
    for (let i = 0; i < CAMPAIGNS; i++) {
      const { campaignId } = emu.seedCampaign({
        nodes: [{ type: "ai" }, { type: "email" }, { type: "email" }],
      });
      ids.push(campaignId);
    }
    const started = Date.now();
    for (const campaignId of ids) {
      await enqueueCampaignDraft(boss, { campaignId, brief: "Intro to VPs of Sales" });
    }
    for (;;) {
      const all = (
        await Promise.all(ids.map((id) => campaignDraftProgress(boss.getDb(), id)))
      ).flat();
      if (all.length === ids.length * 3 && all.every((n) => n.status === "drafted")) break;
      await sleep(500);
    }
    const minutes = (Date.now() - started) / 60_000;
    const nodes = ids.length * 3;
    const requests = emu.ledger.apiRequests;
    return {
      workers,
      nodes,
      wallSeconds: Math.round(minutes * 600) / 10,
      nodesPerMinute: Math.round((nodes / minutes) * 10) / 10,
      requestsPerNode: Math.round((requests.length / nodes) * 10) / 10,
      turnsPerNode: Math.round((emu.ledger.dispatches.length / nodes) * 10) / 10,
      peakPerMinute: peak(requests.map((r) => r.at)),
      refused: requests.filter((r) => r.limited).length,
    };
  } finally {
    for (const child of children) child.kill("SIGKILL");
    await boss.stop({ graceful: false });
    await server.close();
    pg.stop();
  }
}

const rows = [];
for (const workers of [1, 2, 4]) {
  const row = await run(workers);
  console.log(
    `${workers} worker(s): ${row.nodes} nodes in ${row.wallSeconds} s = ${row.nodesPerMinute} nodes/min; ` +
      `${row.requestsPerNode} requests and ${row.turnsPerNode} turns per node; peak ${row.peakPerMinute}/min (limit ${LIMIT}); refused ${row.refused}`,
  );
  rows.push(row);
}
process.stdout.write(
  `BENCH_RESULT ${JSON.stringify({ name: "fleet", limit: LIMIT, taskDurationMs: TASK_MS, campaigns: CAMPAIGNS, rows })}\n`,
);
process.exit(0);

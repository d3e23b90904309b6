/**
 * One worker process of the fleet test: pg-boss on DATABASE_URL, the draft workers against the
 * emulator at PUFFLE_BASE_URL, every event written to stdout as a JSON line. Runs until SIGTERM
 * (or until the test kills or stops it).
 */
import { PgBoss } from "pg-boss";
import { registerDraftWorkers } from "../../src/pg-boss/index";

const boss = new PgBoss({
  connectionString: process.env.DATABASE_URL ?? "",
  superviseIntervalSeconds: Number(process.env.SUPERVISE_SECONDS ?? 2),
  monitorIntervalSeconds: Number(process.env.SUPERVISE_SECONDS ?? 2),
});
boss.on("error", (error) => process.stderr.write(`pg-boss: ${String(error)}\n`));
await boss.start();
const workers = await registerDraftWorkers(boss, {
  clientOptions: { logLevel: "off", timeout: 10_000 },
  concurrency: Number(process.env.CONCURRENCY ?? 3),
  requestsPerMinute: Number(process.env.REQUESTS_PER_MINUTE),
  leaseSeconds: Number(process.env.LEASE_SECONDS ?? 300),
  turnWaitMs: 10_000,
  pollingIntervalSeconds: 0.5,
  onEvent: (event) => process.stdout.write(`${JSON.stringify({ pid: process.pid, ...event })}\n`),
});
process.stdout.write(`${JSON.stringify({ pid: process.pid, type: "ready" })}\n`);
process.on("SIGTERM", async () => {
  await workers.stop();
  await boss.stop({ graceful: false });
  process.exit(0);
});

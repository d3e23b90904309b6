/**
 * Issue 20's real test: draftCampaign's driver on pg-boss, with a real PostgreSQL (a throwaway
 * cluster on 127.0.0.1, test/support/postgres.ts), worker processes, and one emulator with its
 * per-key rate limit on. At least 10 campaigns of 3 content nodes; one worker killed with SIGKILL
 * mid-run, another stopped (SIGSTOP) for 15 s past its lease then resumed, a worker added
 * half-way. Then the ledger: every campaign drafted; per node exactly one session; the turns the
 * server dispatched for a session are exactly its transcript's user messages (each paid dispatch's
 * message there once); no request the emulator had to refuse (the fleet stayed under the limit);
 * no job left active. The same run again with the emulator's faults on.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/client";
import type { Session } from "../../src/core/types";
import { contentNodes, nodeMessages } from "../../src/lib/draft-plan";
import { campaignDraftProgress, DRAFT_QUEUES, enqueueCampaignDraft } from "../../src/pg-boss/index";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";
import { type Postgres, startPostgres } from "../support/postgres";

const ROOT = join(import.meta.dirname, "..", "..");
const CHILD = join(import.meta.dirname, "worker-child.ts");
const LIMIT = 240;
const CAMPAIGNS = 10;
const LEASE_SECONDS = 8;
const BRIEF = "Intro to VPs of Sales about our forecasting tool";

let pg: Postgres;
let server: ListeningEmulator;
let emu: Emulator;
let boss: PgBoss;
const children: ChildProcess[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  server = await createEmulator({
    taskDurationMs: 300,
    liveHoldMs: 1_000,
    requestsPerMinute: LIMIT,
  }).listen();
  emu = server.emulator;
  boss = new PgBoss({ connectionString: pg.url, superviseIntervalSeconds: 2 });
  boss.on("error", () => {});
  await boss.start();
}, 120_000);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGCONT");
      child.kill("SIGKILL");
    }
  }
  await boss?.stop({ graceful: false });
  await server?.close();
  pg?.stop();
}, 60_000);

interface Worker {
  child: ChildProcess;
  events: Array<{ type: string; detail?: string }>;
}

/** Start a worker process; resolves once it is registered. */
function startWorker(): Promise<Worker> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: pg.url,
      PUFFLE_API_KEY: server.apiKey,
      PUFFLE_BASE_URL: server.url,
      PUFFLE_TRIGGER_BASE_URL: server.url,
      REQUESTS_PER_MINUTE: String(LIMIT),
      LEASE_SECONDS: String(LEASE_SECONDS),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const worker: Worker = { child, events: [] };
  let buffer = "";
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d) => {
      buffer += d;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        const event = JSON.parse(line) as { type: string };
        worker.events.push(event);
        if (event.type === "ready") resolve(worker);
      }
    });
    child.on("exit", (code, signal) => {
      if (!worker.events.some((e) => e.type === "ready")) {
        reject(new Error(`worker exited (${code ?? signal}) before it was ready: ${stderr}`));
      }
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

/** Seed campaigns of an ai node and two email nodes; queue a draft of each. */
async function queueCampaigns(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { campaignId } = emu.seedCampaign({
      nodes: [{ type: "ai" }, { type: "email" }, { type: "email" }],
    });
    ids.push(campaignId);
    expect(await enqueueCampaignDraft(boss, { campaignId, brief: BRIEF })).not.toBeNull();
  }
  return ids;
}

const drafted = async (ids: string[]) => {
  for (const id of ids) {
    const nodes = await campaignDraftProgress(boss.getDb(), id);
    if (nodes.length !== 3 || nodes.some((n) => n.status !== "drafted")) return false;
  }
  return true;
};

/** The ledger checks of the issue, over every node of `ids` and the requests from `since`. */
async function checkLedger(ids: string[], since: number): Promise<void> {
  const reader = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    logLevel: "off",
  });
  emu.settings.requestsPerMinute = null; // the checks' own reads are not the fleet's
  for (const campaignId of ids) {
    const sessions = await reader.listSessions(campaignId);
    const contents = contentNodes((await reader.getCampaign(campaignId)).sequence_nodes);
    const byNode = new Map<string, Session[]>();
    for (const s of sessions) byNode.set(s.node_id, [...(byNode.get(s.node_id) ?? []), s]);
    expect(byNode.size).toBe(3);
    for (const [, list] of byNode) {
      expect(list.length).toBe(1);
      const session = await reader.getSession((list[0] as Session).id);
      const users = (session.messages ?? []).filter((m) => m.role === "user").map((m) => m.content);
      const paid = emu.ledger.dispatches
        .filter((d) => d.sessionId === session.id && d.operation === "turn")
        .map((d) => d.message);
      expect(paid).toEqual(users);
      // Each planned message at most once, in order: the transcript is a prefix of the plan (a
      // plan may repeat a message, e.g. asking again for the final text after a failed run).
      const content = contents.find((c) => c.node.id === session.node_id);
      const plan = content ? nodeMessages(content, { brief: BRIEF }, 4) : [];
      expect(users).toEqual(plan.slice(0, users.length));
      expect(session.draft_subject && session.draft_body).toBeTruthy();
    }
  }
  const during = emu.ledger.apiRequests.slice(since);
  expect(during.filter((r) => r.limited).length).toBe(0);
  expect(peakPerMinute(during.map((r) => r.at))).toBeLessThanOrEqual(LIMIT);
  // No job left active: a job held by the killed or stopped worker settles once its lease ends
  // (pg-boss runs it again; it finds the node drafted and completes). Counted in pg-boss's table.
  const active = async () => {
    const { rows } = await boss
      .getDb()
      .executeSql(
        "SELECT count(*)::int AS n FROM pgboss.job WHERE name = ANY($1) AND state = 'active'",
        [Object.values(DRAFT_QUEUES)],
      );
    return Number(rows[0]?.n ?? -1);
  };
  await waitFor(
    "no job left active",
    async () => (await active()) === 0,
    (LEASE_SECONDS + 30) * 1_000,
  );
}

/** The most requests within any 60 s of `times` (sorted). */
function peakPerMinute(times: number[]): number {
  let peak = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= 60_000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

/** Faults of every kind the driver must live through, one queued every 2 s. */
function faultsAsItRuns(): () => void {
  const specs = [
    { operation: "turn", kind: "dropAfter" },
    { operation: "turn", kind: "dropBefore" },
    { operation: "turn", kind: "dispatch500" },
    { operation: "turn", kind: "html502" },
    { operation: "turn", kind: "runFails" },
    { operation: "get", kind: "html502" },
    { operation: "get", kind: "dropAfter" },
    { operation: "list", kind: "status", status: 503 },
    { operation: "create", kind: "dropAfter" },
    { operation: "getCampaign", kind: "dropBefore" },
  ] as const;
  let i = 0;
  // One fault every 2 s, each kind in turn: about one request in eight faulted.
  const timer = setInterval(() => {
    emu.faults.inject(specs[i++ % specs.length] as never);
  }, 2_000);
  return () => {
    clearInterval(timer);
    emu.faults.clear();
  };
}

/** One fleet run: 3 workers, a SIGKILL, a SIGSTOP past the lease, a late worker; then the checks. */
async function fleetRun(withFaults: boolean): Promise<void> {
  emu.settings.requestsPerMinute = LIMIT;
  const since = emu.ledger.apiRequests.length;
  const started = Date.now();
  const first = await Promise.all([startWorker(), startWorker(), startWorker()]);
  const stopFaults = withFaults ? faultsAsItRuns() : () => {};
  try {
    const ids = await queueCampaigns(CAMPAIGNS);
    const sent = () => first.flatMap((w) => w.events).filter((e) => e.type === "turn_sent").length;
    await waitFor("the first turns", async () => sent() >= 6, 120_000);
    first[0]?.child.kill("SIGKILL");
    first[1]?.child.kill("SIGSTOP");
    await sleep(15_000);
    first[1]?.child.kill("SIGCONT");
    const late = await startWorker();
    await waitFor("every campaign drafted", () => drafted(ids), 480_000).catch(async (error) => {
      const rows = (
        await Promise.all(ids.map((id) => campaignDraftProgress(boss.getDb(), id)))
      ).flat();
      const stuck = rows.filter((n) => n.status !== "drafted");
      throw new Error(
        `${error.message}: ${JSON.stringify(stuck.map((n) => [n.status, n.turns, n.detail]))}`,
      );
    });
    stopFaults();
    await checkLedger(ids, since);
    const all = [...first, late].flatMap((w) => w.events);
    const count = (type: string) => all.filter((e) => e.type === type).length;
    console.info(
      `fleet run${withFaults ? " with faults" : ""}: ${CAMPAIGNS * 3} nodes drafted in ${Math.round((Date.now() - started) / 1000)} s; ` +
        `turns sent ${count("turn_sent")}, waits handed back ${count("waiting")}, lost ownership caught ${count("not_owner")}, ` +
        `duplicates reported ${count("duplicate")}; peak ${peakPerMinute(emu.ledger.apiRequests.slice(since).map((r) => r.at))} requests/min (limit ${LIMIT})`,
    );
  } finally {
    stopFaults();
    for (const w of first) w.child.kill("SIGCONT");
    for (const child of children.splice(0)) child.kill("SIGKILL");
  }
}

describe("the fleet", () => {
  it("drafts 10 campaigns through a SIGKILL, a SIGSTOP past the lease and a late worker", async () => {
    await fleetRun(false);
  }, 600_000);

  it("the same with the emulator's faults on", async () => {
    await fleetRun(true);
  }, 600_000);
});

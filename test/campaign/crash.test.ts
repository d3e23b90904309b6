/**
 * Issue 19's crash test: `draftCampaign` in child processes against one emulator (served here,
 * over real HTTP, with faults on every operation the driver uses), each child killed with SIGKILL
 * at a random point and run again until the campaign is drafted; at least 20 kills with the file
 * store and 20 without. Then the ledger: for every node exactly one session; the turns the server
 * dispatched for a session are exactly its transcript's user messages, in order (so every paid
 * dispatch's message is there once and no planned message was sent twice); every node drafted.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draftDone } from "../../src/campaign/index";
import { PuffleClient } from "../../src/client";
import type { DraftCampaignResult } from "../../src/core/draft-types";
import type { Session } from "../../src/core/types";
import { type ContentNode, contentNodes, nodeMessages } from "../../src/lib/draft-plan";
import {
  createEmulator,
  type Emulator,
  type FaultSpec,
  type ListeningEmulator,
} from "../../src/testing/index";

const ROOT = join(import.meta.dirname, "..", "..");
const CHILD = join(import.meta.dirname, "draft-child.ts");
const KILLS = 20;
/** The brief draft-child.ts sends. */
const BRIEF = "Intro to VPs of Sales about our forecasting tool";

let server: ListeningEmulator;
let emu: Emulator;
let dir: string;

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 150, liveHoldMs: 500 }).listen();
  emu = server.emulator;
  dir = mkdtempSync(join(tmpdir(), "puffle-crash-"));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A few faults of every kind the driver must live through, queued again before each child. */
function injectFaults(random: () => number): void {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;
  const specs: FaultSpec[] = [
    { operation: "turn", kind: pick(["dropAfter", "dropBefore", "dispatch500", "html502"]) },
    { operation: "turn", kind: "rateLimit", retryAfterSeconds: 1 },
    { operation: "turn", kind: "runFails" },
    { operation: "get", kind: pick(["html502", "dropAfter", "malformedJson"]) },
    { operation: "create", kind: "dropAfter" },
    { operation: "list", kind: "status", status: 503 },
    { operation: "getCampaign", kind: "dropBefore" },
  ];
  emu.faults.clear();
  for (const spec of specs) if (random() < 0.6) emu.faults.inject(spec);
}

interface ChildRun {
  code: number | null;
  killed: boolean;
  result: DraftCampaignResult | undefined;
  stderr: string;
}

/** Run the child once; kill it `killAfterMs` after it says ready (undefined: let it finish). */
function runChild(env: Record<string, string>, killAfterMs: number | undefined): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", CHILD], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killAfterMs !== undefined && timer === undefined && stdout.includes("ready\n")) {
        timer = setTimeout(() => {
          killed = child.kill("SIGKILL");
        }, killAfterMs);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Never hang: a child still running after 3 minutes is killed and reported.
    const guard = setTimeout(() => child.kill("SIGKILL"), 180_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      clearTimeout(guard);
      const last = stdout.trim().split("\n").at(-1) ?? "";
      const result = last.startsWith("{") ? (JSON.parse(last) as DraftCampaignResult) : undefined;
      // A kill that lands after the child printed its whole result (it was exiting) is a run that
      // finished: its exit code is the kill's, not the child's.
      const finished = killed && result !== undefined;
      resolve({ code: finished ? 0 : code, killed: killed && !finished, result, stderr });
    });
  });
}

/** A seeded generator, so a failing run can be replayed (the seed is in the failure message). */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draft campaigns, killing children, until `KILLS` kills happened and every campaign is drafted. */
async function crashRun(withStore: boolean, seed: number) {
  const random = mulberry32(seed);
  const campaigns: string[] = [];
  let kills = 0;
  let runs = 0;
  while (kills < KILLS) {
    const { campaignId } = emu.seedCampaign({
      nodes: [
        { type: "email" },
        { type: "ai" },
        { type: "delay", delay_days: 2 },
        { type: "email" },
      ],
    });
    campaigns.push(campaignId);
    const env: Record<string, string> = {
      CRASH_URL: server.url,
      CRASH_API_KEY: server.apiKey,
      CRASH_CAMPAIGN: campaignId,
      ...(withStore ? { CRASH_STORE: join(dir, `${campaignId}.json`) } : {}),
    };
    for (;;) {
      injectFaults(random);
      runs += 1;
      const killAt = kills < KILLS && random() < 0.85 ? Math.floor(random() * 1_500) : undefined;
      const run = await runChild(env, killAt);
      if (run.killed) {
        kills += 1;
        continue;
      }
      expect(run.code, `seed ${seed}: the child failed: ${run.stderr}`).toBe(0);
      const statuses = run.result?.nodes.map((n) => n.status);
      expect(statuses, `seed ${seed}: ${JSON.stringify(run.result?.nodes)}`).toEqual([
        "drafted",
        "drafted",
        "drafted",
      ]);
      break;
    }
  }
  emu.faults.clear();
  return { campaigns, kills, runs };
}

/** The ledger checks over every campaign the run drafted. */
async function checkLedger(campaigns: string[]) {
  const puffle = new PuffleClient({ apiKey: server.apiKey, baseURL: server.url, logLevel: "off" });
  let turns = 0;
  for (const campaignId of campaigns) {
    const detail = await puffle.getCampaign(campaignId);
    const sessions = await puffle.listSessions(campaignId);
    const content = detail.sequence_nodes.filter((n) => n.type === "email" || n.type === "ai");
    for (const node of content) {
      const mine = sessions.filter((s) => s.node_id === node.id);
      expect(mine, `node ${node.id}: exactly one session`).toHaveLength(1);
      const session = mine[0] as Session;
      const users = (session.messages ?? []).filter((m) => m.role === "user").map((m) => m.content);
      const dispatched = emu.ledger.dispatches
        .filter((d) => d.sessionId === session.id && d.operation === "turn")
        .map((d) => d.message);
      expect(dispatched, `session ${session.id}: dispatches = transcript`).toEqual(users);
      // Every user message is the plan's message for its position: none sent twice, none foreign.
      const planned = contentNodes(detail.sequence_nodes).find((c) => c.node.id === node.id);
      const plan = nodeMessages(planned as ContentNode, { brief: BRIEF }, 4);
      expect(users, "the transcript is a prefix of the plan").toEqual(plan.slice(0, users.length));
      const nodeType = node.type as "email" | "ai";
      expect(draftDone(session, { nodeType }), `node ${node.id} drafted`).toBe(true);
      turns += users.length;
    }
  }
  return turns;
}

describe("draftCampaign survives SIGKILL at any point (faults on)", () => {
  for (const withStore of [true, false]) {
    it(`${withStore ? "with" : "without"} the file store: ${KILLS}+ kills, then the ledger holds`, async () => {
      const seed = Date.now() % 1_000_000;
      const { campaigns, kills, runs } = await crashRun(withStore, seed);
      expect(kills).toBeGreaterThanOrEqual(KILLS);
      const turns = await checkLedger(campaigns);
      expect(turns).toBeGreaterThanOrEqual(campaigns.length * 3 * 2);
      console.log(
        `crash test ${withStore ? "with" : "without"} store (seed ${seed}): ${kills} kills over ${runs} runs, ${campaigns.length} campaigns, ${turns} turns`,
      );
    }, 900_000);
  }
});

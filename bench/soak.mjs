/**
 * The soak of issue 9: S sessions × K turns through `chat()`, with random faults of every kind on
 * every operation a turn uses (`turn`, `get`, `runFeed`), the emulator in another process
 * (bench/soak-emulator.mjs). Then the emulator's ledger is the judge:
 *
 * - no message dispatched twice (duplicates);
 * - every success dispatched exactly once (a success whose turn was never dispatched is a false
 *   success);
 * - every failure dispatched 0 or 1 times, and its `error.dispatch` says which: `"not_sent"` → 0,
 *   `"sent"` → 1, `"unknown"` → 0 or 1 (counted separately: honest, not a failure); an error with
 *   no label, or a label the ledger contradicts, is a failure;
 * - 0 hangs (each call has a watchdog at its deadline + 60 s), 0 unhandled rejections or uncaught
 *   exceptions;
 * - heap stable across two rounds (after a forced GC: round 2 adds less than 8 MB over round 1);
 * - the canary: no API key and no public access token (`tr_pat_…`) in `util.inspect`,
 *   `JSON.stringify` or `String` of any value a turn resolved or rejected with.
 *
 * The faults on `/turn` include "acts, then answers 500" (Puffle's JSON body, and a proxy's HTML
 * page): the server dispatched the turn, but the answer says 500 (issue 17, item 2).
 *
 * Usage: node --expose-gc bench/soak.mjs [--sessions 1000] [--turns 3] [--concurrency 100]
 *   [--rounds 2] [--fault-rate 0.5] [--seed 1] [--deadline 30000]
 * Needs dist/ (npx tsup). Exits 1 when any invariant fails. The last line is the JSON summary.
 */

import { fork } from "node:child_process";
import { join } from "node:path";
import { inspect } from "node:util";
import { DispatchUnknownError, PuffleClient, WaitTimeoutError } from "puffle-chat";
import { assertBuilt, ROOT } from "./lib.mjs";

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(" ")
    .split("--")
    .filter(Boolean)
    .map((part) => {
      const [key, value] = part.trim().split(/\s+/);
      return [key, value ?? "true"];
    }),
);
const SESSIONS = Number(args.sessions ?? 1000);
const TURNS = Number(args.turns ?? 3);
const CONCURRENCY = Number(args.concurrency ?? 100);
const ROUNDS = Number(args.rounds ?? 2);
const FAULT_RATE = Number(args["fault-rate"] ?? 0.5);
const DEADLINE_MS = Number(args.deadline ?? 30_000);
const WATCHDOG_MS = DEADLINE_MS + 60_000;
const HEAP_LIMIT_MB = 8;

assertBuilt();

// A small deterministic PRNG (mulberry32) so that a run can be replayed with --seed.
let seed = Number(args.seed ?? 1) >>> 0;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

/** Every fault kind on every operation a chat turn uses. */
const FAULTS = {
  turn: [
    () => ({ kind: "dispatch500" }),
    () => ({ kind: "rateLimit", retryAfterSeconds: pick([0, 1]) }),
    () => ({ kind: "dropBefore" }),
    () => ({ kind: "dropAfter" }),
    () => ({ kind: "delay", delayMs: pick([200, 1_200, 2_500]) }),
    () => ({ kind: "malformedJson" }),
    () => ({ kind: "nonJson" }),
    () => ({ kind: "html502" }),
    () => ({ kind: "status", status: pick([400, 401, 409, 500, 502, 503, 504]) }),
    () => ({ kind: "expiredToken" }),
    () => ({ kind: "runFails", failureStatus: pick(["CRASHED", "COMPLETED_WITH_ERRORS"]) }),
    () => ({ kind: "stuckTaskStatus" }),
    () => ({ kind: "body", status: 200, body: '{"not":"a handle"}' }),
    // Acts, then answers 500: a crash after the trigger or a failed write (Puffle's body), or a
    // proxy's page. The turn runs; sending it again would pay twice.
    () => ({
      kind: "body",
      status: 500,
      body: '{"error":"Internal server error"}',
      contentType: "application/json",
    }),
    () => ({
      kind: "body",
      status: 500,
      body: "<html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1><hr>nginx</body></html>",
      contentType: "text/html",
    }),
  ],
  get: [
    () => ({ kind: "rateLimit", retryAfterSeconds: pick([0, 1]) }),
    () => ({ kind: "dropBefore" }),
    () => ({ kind: "dropAfter" }),
    () => ({ kind: "delay", delayMs: pick([200, 2_500]) }),
    () => ({ kind: "malformedJson" }),
    () => ({ kind: "nonJson" }),
    () => ({ kind: "html502" }),
    () => ({ kind: "status", status: pick([401, 404, 500, 503]) }),
    () => ({ kind: "body", status: 200, body: "[[[[[[[[[[]]]]]]]]]]" }),
  ],
  runFeed: [
    () => ({ kind: "status", status: pick([401, 403, 404, 409, 500]) }),
    () => ({ kind: "body", status: 200, body: '{"not":"an array"}' }),
    () => ({ kind: "body", status: 409, body: "<html>conflict</html>", contentType: "text/html" }),
    () => ({ kind: "mustRefetch", times: pick([1, 10]) }),
    () => ({ kind: "expiredToken" }),
    () => ({ kind: "delay", delayMs: pick([200, 2_500]) }),
    () => ({ kind: "dropBefore" }),
    () => ({ kind: "dropAfter" }),
  ],
};

const unhandled = [];
process.on("unhandledRejection", (reason) => unhandled.push(String(reason?.stack ?? reason)));
process.on("uncaughtException", (error) => unhandled.push(String(error?.stack ?? error)));

const emulator = fork(join(ROOT, "bench", "soak-emulator.mjs"), ["100"], {
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const ready = await new Promise((resolve, reject) => {
  emulator.once("message", resolve);
  emulator.once("exit", (code) => reject(new Error(`the emulator exited (${code})`)));
});
let nextId = 0;
const pending = new Map();
emulator.on("message", (message) => {
  const waiter = pending.get(message?.id);
  if (waiter) {
    pending.delete(message.id);
    waiter(message.result);
  }
});
function ask(cmd, extra = {}) {
  const id = ++nextId;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    emulator.send({ id, cmd, ...extra });
  });
}

const puffle = new PuffleClient({
  apiKey: ready.apiKey,
  baseURL: ready.url,
  triggerBaseURL: ready.url,
  timeout: 1_500,
  maxRetries: 2,
  retryDelay: 100,
  retryMaxDelay: 500,
  maxRetryAfter: 1_000,
  logLevel: "off",
  realtime: { stallTimeoutMs: 10_000 },
});

/** A public access token as the emulator mints them (`tr_pat_` and 40 characters). */
const TOKEN = /tr_pat_[A-Za-z0-9]{20,}/;

/**
 * The canary: what of a secret each printed form of `value` shows (util.inspect with hidden
 * fields and the whole depth, JSON.stringify, String). One finding per form and secret.
 */
function leaks(value, where) {
  const forms = {
    "util.inspect": () => inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    "JSON.stringify": () => JSON.stringify(value) ?? "",
    "String()": () => String(value),
  };
  const found = [];
  for (const [form, print] of Object.entries(forms)) {
    let text;
    try {
      text = print();
    } catch (error) {
      text = `(${form} threw ${error?.name})`;
    }
    const name = value?.name ?? value?.constructor?.name ?? typeof value;
    if (text.includes(ready.apiKey)) found.push({ secret: "apiKey", form, where, name });
    if (TOKEN.test(text)) found.push({ secret: "token", form, where, name });
  }
  return found;
}

/** One chat turn with a watchdog; what happened, in a record. */
async function turn(sessionId, message) {
  if (random() < FAULT_RATE) {
    const operation = pick(["turn", "turn", "get", "runFeed"]);
    await ask("inject", { spec: { operation, ...pick(FAULTS[operation])() } });
  }
  const started = Date.now();
  let timer;
  const watchdog = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ hang: true }), WATCHDOG_MS);
  });
  const outcome = await Promise.race([
    puffle.chat(sessionId, { message }, { deadline: DEADLINE_MS, reconcileTimeout: 2_000 }).then(
      (result) => ({ ok: true, reply: result.reply, leaks: leaks(result, "result") }),
      (error) => ({ ok: false, error, leaks: leaks(error, "error") }),
    ),
    watchdog,
  ]);
  clearTimeout(timer);
  const record = { message, ms: Date.now() - started, ...outcome };
  if (!outcome.ok && !outcome.hang && outcome.error instanceof WaitTimeoutError) {
    // The documented way out of a stuck busy flag, so the session's next turns can run.
    await puffle.updateSession(sessionId, { task_status: null }).catch(() => {});
  }
  return record;
}

async function round(index) {
  const nodes = await ask("nodes", { n: SESSIONS });
  const records = [];
  let next = 0;
  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= SESSIONS) return;
      let session;
      // The setup is not under test (no fault is injected on it): its own generous timeout, as
      // the client's 1.5 s can pass on a loaded machine.
      for (let attempt = 0; attempt < 5 && !session; attempt++) {
        session = await puffle
          .createSession({ campaign_id: ready.campaignId, node_id: nodes[i] }, { timeout: 30_000 })
          .catch(() => undefined);
      }
      if (!session) {
        records.push({ setupFailed: true });
        continue;
      }
      for (let k = 0; k < TURNS; k++) records.push(await turn(session.id, `r${index}-s${i}-t${k}`));
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, SESSIONS) }, worker));
  return records;
}

/** Why an outcome stayed unknown, from the error's evidence (DispatchUnknownError) or its kind. */
function unknownWhy(error) {
  const evidence = error?.evidence ?? "";
  if (evidence.startsWith("the session could not be read")) return "the reconciling reads failed";
  if (evidence.includes("stayed idle")) return "idle without the turn through reconcileTimeout";
  if (evidence.includes("still busy")) return "busy without the turn through busyTimeout";
  return evidence ? "other evidence" : `${error?.name}: aborted while on its way`;
}

function judge(records, counts) {
  const summary = {
    turns: 0,
    successes: 0,
    failures: 0,
    duplicates: 0,
    falseSuccesses: 0,
    hangs: 0,
    unknownOutcomes: 0,
    unknownDispatchedAfterAll: 0,
    notSent: 0,
    sent: 0,
    unlabelled: 0,
    mislabelled: 0,
    setupFailed: 0,
    keyLeaks: 0,
    tokenLeaks: 0,
    leakForms: {},
    unknownWhy: {},
    errors: {},
    examples: [],
  };
  for (const r of records) {
    if (r.setupFailed) {
      summary.setupFailed++;
      continue;
    }
    summary.turns++;
    for (const leak of r.leaks ?? []) {
      summary[leak.secret === "apiKey" ? "keyLeaks" : "tokenLeaks"]++;
      const form = `${leak.secret} in ${leak.form} of ${leak.where} ${leak.name}`;
      summary.leakForms[form] = (summary.leakForms[form] ?? 0) + 1;
    }
    const count = counts[r.message] ?? 0;
    if (count > 1) summary.duplicates++;
    if (r.hang) {
      summary.hangs++;
      continue;
    }
    if (r.ok) {
      summary.successes++;
      if (count === 0) {
        summary.falseSuccesses++;
        summary.examples.push(`false success: ${r.message}`);
      }
      continue;
    }
    summary.failures++;
    const name = r.error?.name ?? typeof r.error;
    summary.errors[name] = (summary.errors[name] ?? 0) + 1;
    const label = r.error?.dispatch;
    if (label === "unknown") {
      summary.unknownOutcomes++;
      const why = unknownWhy(r.error);
      summary.unknownWhy[why] = (summary.unknownWhy[why] ?? 0) + 1;
      if (count === 1) {
        summary.unknownDispatchedAfterAll++;
        summary.examples.push(
          `unknown, dispatched after all: ${r.message} ${name} (${r.error?.evidence ?? r.error?.message}; cause ${r.error?.cause?.name})`,
        );
      }
    } else if (label === "not_sent") {
      summary.notSent++;
      if (count !== 0) {
        summary.mislabelled++;
        summary.examples.push(`said not_sent, dispatched ${count}: ${r.message} ${name}`);
      }
    } else if (label === "sent") {
      summary.sent++;
      if (count !== 1) {
        summary.mislabelled++;
        summary.examples.push(`said sent, dispatched ${count}: ${r.message} ${name}`);
      }
    } else {
      summary.unlabelled++;
      summary.examples.push(`no dispatch label: ${r.message} ${name}: ${r.error?.message}`);
    }
    if (r.error instanceof DispatchUnknownError && label !== "unknown") summary.mislabelled++;
  }
  summary.examples = summary.examples.slice(0, 10);
  return summary;
}

const started = Date.now();
const rounds = [];
for (let index = 0; index < ROUNDS; index++) {
  const t0 = Date.now();
  const records = await round(index);
  // Let late arrivals land and every task finish before the ledger is read.
  await new Promise((r) => setTimeout(r, 4_000));
  await ask("clear");
  const { counts } = await ask("ledger");
  const summary = judge(records, counts);
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  globalThis.gc?.();
  summary.heapMB = Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
  summary.seconds = Math.round((Date.now() - t0) / 100) / 10;
  rounds.push(summary);
  console.log(
    `round ${index + 1}: ${summary.turns} turns in ${summary.seconds} s: ${summary.successes} ok, ` +
      `${summary.failures} failed (${summary.notSent} not sent, ${summary.sent} sent, ` +
      `${summary.unknownOutcomes} unknown, of which ${summary.unknownDispatchedAfterAll} turned out dispatched); ` +
      `duplicates ${summary.duplicates}, false successes ${summary.falseSuccesses}, hangs ${summary.hangs}, ` +
      `unlabelled ${summary.unlabelled}, mislabelled ${summary.mislabelled}; ` +
      `leaks: key ${summary.keyLeaks}, token ${summary.tokenLeaks}; heap ${summary.heapMB} MB`,
  );
  if (summary.keyLeaks + summary.tokenLeaks > 0)
    console.log(`  leaks: ${JSON.stringify(summary.leakForms)}`);
  console.log(`  errors: ${JSON.stringify(summary.errors)}`);
  console.log(`  unknown, why: ${JSON.stringify(summary.unknownWhy)}`);
  for (const example of summary.examples) console.log(`  ${example}`);
}

emulator.send({ cmd: "close" });
const total = (key) => rounds.reduce((sum, r) => sum + r[key], 0);
const heapGrowthMB =
  rounds.length > 1
    ? Math.round(((rounds.at(-1)?.heapMB ?? 0) - (rounds[0]?.heapMB ?? 0)) * 10) / 10
    : 0;
const result = {
  sessions: SESSIONS,
  turnsPerSession: TURNS,
  rounds: ROUNDS,
  turns: total("turns"),
  successes: total("successes"),
  failures: total("failures"),
  duplicates: total("duplicates"),
  falseSuccesses: total("falseSuccesses"),
  hangs: total("hangs"),
  unhandled: unhandled.length,
  unknownOutcomes: total("unknownOutcomes"),
  unknownDispatchedAfterAll: total("unknownDispatchedAfterAll"),
  notSent: total("notSent"),
  sent: total("sent"),
  unlabelled: total("unlabelled"),
  mislabelled: total("mislabelled"),
  setupFailed: total("setupFailed"),
  keyLeaks: total("keyLeaks"),
  tokenLeaks: total("tokenLeaks"),
  leakForms: Object.fromEntries(
    [...new Set(rounds.flatMap((r) => Object.keys(r.leakForms)))].map((form) => [
      form,
      rounds.reduce((sum, r) => sum + (r.leakForms[form] ?? 0), 0),
    ]),
  ),
  heapMB: rounds.map((r) => r.heapMB),
  heapGrowthMB,
  gc: typeof globalThis.gc === "function",
  seconds: Math.round((Date.now() - started) / 100) / 10,
};
result.ok =
  result.duplicates === 0 &&
  result.falseSuccesses === 0 &&
  result.hangs === 0 &&
  result.unhandled === 0 &&
  result.unlabelled === 0 &&
  result.mislabelled === 0 &&
  result.setupFailed === 0 &&
  result.keyLeaks === 0 &&
  result.tokenLeaks === 0 &&
  heapGrowthMB < HEAP_LIMIT_MB;
for (const u of unhandled.slice(0, 5)) console.log(`unhandled: ${u}`);
console.log(JSON.stringify(result));
process.exitCode = result.ok ? 0 : 1;

/**
 * `puffle-chat draft-campaign` against an emulator served by the test (the way `puffle-chat
 * emulator`'s export lines point the CLI at one): the live view in a real pseudo-terminal
 * (tmux), Ctrl-C mid-run then the same command again to resume, and the plain and JSON output
 * when not on a terminal. Every tmux test saves its pane under test-results/cli/.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";
import { BIN_DIR, childEnv, ROOT, runCli, Tmux } from "./helpers";

let server: ListeningEmulator;
let emu: Emulator;
let dir: string;
let tmux: Tmux | undefined;
const BRIEF = "Intro to VPs of Sales about our forecasting tool";

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 700, liveHoldMs: 1_000 }).listen();
  emu = server.emulator;
  dir = mkdtempSync(join(tmpdir(), "puffle-draft-cli-"));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

const seed = () =>
  emu.seedCampaign({
    nodes: [{ type: "email" }, { type: "ai" }, { type: "delay", delay_days: 2 }, { type: "email" }],
  });

const env = () =>
  `PUFFLE_API_KEY=${server.apiKey} PUFFLE_BASE_URL=${server.url} PUFFLE_TRIGGER_BASE_URL=${server.url}`;

/** Start `puffle-chat draft-campaign <args>` in a tmux pane; the exit code is printed after it. */
function startDraft(args: string): Tmux {
  const t = new Tmux();
  const vars = `env -u CI PATH=${BIN_DIR}:$PATH TERM=xterm-256color NO_COLOR=1 ${env()}`;
  t.start(
    `cd ${ROOT} && trap true INT; ${vars} node --import tsx src/cli/index.ts draft-campaign ${args}; echo "EXIT CODE $?"; sleep 600`,
  );
  return t;
}

/** The turns the server dispatched for each session of `campaignId`, by session. */
function dispatchesBySession(campaignId: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of emu.ledger.dispatches) {
    const session = emu.getSession(d.sessionId);
    if (session?.campaign_id !== campaignId || d.operation !== "turn") continue;
    out.set(d.sessionId, [...(out.get(d.sessionId) ?? []), d.message ?? ""]);
  }
  return out;
}

describe("puffle-chat draft-campaign in a terminal", () => {
  it("the live view: one line per node with status, turns and elapsed time; exit 0", async () => {
    const { campaignId, contentNodeIds } = seed();
    tmux = startDraft(`${campaignId} --brief "${BRIEF}" --state ${join(dir, "live.json")}`);
    const t = tmux;
    // While it runs: the table shows every node, the first ones in progress.
    const running = await t.waitFor((s) => /turn sent|waiting/.test(s), "a node in progress");
    for (const id of contentNodeIds) expect(running).toContain(id.slice(0, 8));
    const pane = await t.waitFor((s) => s.includes("EXIT CODE"), "the end", 60_000);
    t.save("draft-campaign-live", pane);
    expect(pane).toContain("EXIT CODE 0");
    const rows = pane.split("\n").filter((l) => /^\s*\d\. (email|ai)\s+[0-9a-f]{8} /.test(l));
    // The table was redrawn in place: exactly one line per node, each drafted with its turns and time.
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/drafted\s+turns 2\s+\d+s/);
    expect(pane).toMatch(/6 turns sent/);
  }, 90_000);

  it("Ctrl-C stops sending, says what still runs and how to resume; the same command resumes", async () => {
    const { campaignId } = seed();
    const state = join(dir, "interrupted.json");
    const args = `${campaignId} --brief "${BRIEF}" --state ${state}`;
    tmux = startDraft(args);
    const t = tmux;
    await t.waitFor((s) => /turn sent|waiting/.test(s), "the first turn sent");
    t.send("C-c");
    const stopped = await t.waitFor((s) => s.includes("EXIT CODE"), "the stop", 30_000);
    t.save("draft-campaign-ctrl-c", stopped);
    expect(stopped).toContain("Stopped: nothing more is sent.");
    expect(stopped).toMatch(
      /Still running on Puffle's side \(it finishes on its own\):\n\s+node 1 \(email [0-9a-f-]{36}\): chat_processing on session [0-9a-f-]{36}/,
    );
    expect(stopped).toContain(
      `Resume: puffle-chat draft-campaign ${campaignId} --brief <the same brief> --state ${state}`,
    );
    expect(stopped).toContain("EXIT CODE 130");
    const before = [...dispatchesBySession(campaignId).values()].flat().length;
    await emu.settle();
    expect([...dispatchesBySession(campaignId).values()].flat()).toHaveLength(before); // nothing more sent
    t.kill();

    tmux = startDraft(args);
    const resumed = await tmux.waitFor((s) => s.includes("EXIT CODE"), "the resumed run", 60_000);
    tmux.save("draft-campaign-resumed", resumed);
    expect(resumed).toContain("EXIT CODE 0");
    const sessions = dispatchesBySession(campaignId);
    expect(sessions.size).toBe(3);
    for (const [id, messages] of sessions) {
      const users = (emu.getSession(id)?.messages ?? []).filter((m) => m.role === "user");
      expect(messages).toEqual(users.map((m) => m.content)); // no message sent twice
    }
  }, 120_000);
});

describe("puffle-chat draft-campaign without a terminal", () => {
  const vars = () =>
    childEnv({
      PUFFLE_API_KEY: server.apiKey,
      PUFFLE_BASE_URL: server.url,
      PUFFLE_TRIGGER_BASE_URL: server.url,
    });

  it("--json: one progress event per line, then the result", async () => {
    const { campaignId } = seed();
    const { code, stdout } = await runCli(
      ["draft-campaign", campaignId, "--brief", BRIEF, "--json"],
      {
        env: vars(),
        timeoutMs: 60_000,
      },
    );
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; type?: string });
    expect(events.filter((e) => e.event === "progress").map((e) => e.type)).toContain("turn_sent");
    expect(events.at(-1)).toMatchObject({ event: "result", turnsSent: 6 });
  }, 90_000);

  it("no brief, or no API key: a one-line error and exit 1, nothing sent", async () => {
    const { campaignId } = seed();
    const before = emu.ledger.requests.getCampaign;
    const noBrief = await runCli(["draft-campaign", campaignId], { env: vars() });
    expect(noBrief.code).toBe(1);
    expect(noBrief.stderr).toMatch(/--brief <text> or --brief-file <path>/);
    const noKey = await runCli(["draft-campaign", campaignId, "--brief", BRIEF]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/PUFFLE_API_KEY is not set/);
    expect(emu.ledger.requests.getCampaign).toBe(before);
  }, 60_000);
});

/**
 * `puffle-chat chat` in tmux, issue 18 item 4: resuming a session (and saying so), `--new`,
 * `--session`, `--help`, chat-command hints, `/edit` and `/set`, a reply cut by Ctrl-C, and the
 * line Ctrl-C at the prompt leaves. The chat talks to an emulator this test serves (as
 * `puffle-chat emulator` would), so sessions outlive one chat. Panes are saved under
 * test-results/cli/.
 */

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/client";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";
import { BIN_DIR, ROOT, Tmux } from "./helpers";

let server: ListeningEmulator;
let puffle: PuffleClient;
let dir: string;
let tmux: Tmux | undefined;

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 300 }).listen();
  puffle = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    logLevel: "off",
  });
  dir = mkdtempSync(join(tmpdir(), "puffle-chat-tty-"));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

const ACTIVE = "◆  You";
const DONE = "◇  You";
const count = (s: string, part: string) => s.split(part).length - 1;
/** At a fresh prompt after `answered` messages were submitted in this chat. */
const atPrompt = (answered: number) => (s: string) =>
  count(s, DONE) >= answered && s.lastIndexOf(ACTIVE) > s.lastIndexOf(DONE);
const exited = (s: string) => s.includes("EXIT CODE");
/** The chat wraps at the pane's width: compare prose with its whitespace folded. */
const flat = (s: string) => s.replace(/\s+/g, " ");

/** A node of `type` in a new draft campaign of the emulator: the CLI's environment for it. */
function node(type: "email" | "ai") {
  const emu = server.emulator;
  const { campaignId } = emu.addCampaign({ name: `tty-${Math.random()}` });
  const nodeId = emu.addNode(campaignId, { type });
  for (const lead of emu.demo.leads.slice(0, 3)) {
    const { id: _id, campaign_id: _c, ...person } = lead;
    emu.addLead(campaignId, person);
  }
  return { campaignId, nodeId };
}

/** `puffle-chat <args>` against the test's emulator, in a tmux pane that stays after the exit. */
function startChat(args: string, target: { campaignId: string; nodeId: string }, extra = "") {
  const t = new Tmux();
  const env = [
    `PATH=${BIN_DIR}:$PATH TERM=xterm-256color NO_COLOR=1`,
    `PUFFLE_API_KEY=${server.apiKey} PUFFLE_BASE_URL=${server.url} PUFFLE_TRIGGER_BASE_URL=${server.url}`,
    `PUFFLE_CAMPAIGN_ID=${target.campaignId} PUFFLE_NODE_ID=${target.nodeId}`,
    extra,
  ].join(" ");
  t.start(
    `cd ${ROOT} && trap true INT; env -u CI ${env} node --import tsx src/cli/index.ts ${args}; echo "EXIT CODE $?"; sleep 600`,
    120,
  );
  tmux = t;
  return t;
}

/** Chat `messages` into the node's session in-process (what an earlier chat left behind). */
async function earlierChat(target: { campaignId: string; nodeId: string }, messages: string[]) {
  const session = await puffle.getOrCreateSession({
    campaign_id: target.campaignId,
    node_id: target.nodeId,
  });
  for (const message of messages) await puffle.chat(session.id, { message });
  return puffle.getSession(session.id);
}

describe("puffle-chat chat: sessions, edits, hints, Ctrl-C", () => {
  it("resumes the node's session saying so, shows its draft, and Ctrl-C at the prompt prints how to come back", async () => {
    const target = node("email");
    const earlier = await earlierChat(target, [
      "Intro email to CROs about churn",
      "Readers are CROs",
    ]);
    const t = startChat("chat", target);
    const pane = await t.waitFor(atPrompt(0), "the first prompt");
    expect(flat(pane)).toContain(`Session: ${earlier.id}`);
    expect(flat(pane)).toContain("Resuming this node's session: 4 messages so far");
    expect(flat(pane)).toContain("pass --new to start another session");
    // Its draft and lint report are shown before the first prompt.
    const beforePrompt = pane.slice(0, pane.indexOf(ACTIVE));
    expect(beforePrompt).toMatch(/── Draft ─+\nSubject: /);
    expect(beforePrompt).toContain(earlier.draft_body?.split("\n")[0] ?? "(none)");
    expect(beforePrompt).toMatch(/── Lint report ─+\nNOT ok/);

    t.send("C-c");
    const end = await t.waitFor(exited, "the exit");
    t.save("chat-resume-and-ctrl-c-at-prompt", end);
    expect(flat(end)).toContain(
      `Session ${earlier.id} is kept. Come back to it with: puffle-chat chat --session ${earlier.id}`,
    );
    expect(flat(end)).toContain("EXIT CODE 0");
  }, 120_000);

  it("--session opens the named session; --new starts another and says how to find it again", async () => {
    const target = node("ai");
    const first = await earlierChat(target, ["Intro email to CROs"]);
    const t = startChat("chat --new", target);
    let pane = await t.waitFor(atPrompt(0), "the first prompt of --new");
    const id = /Session: ([0-9a-f-]{36})/.exec(pane)?.[1];
    expect(id).toBeDefined();
    expect(id).not.toBe(first.id);
    expect(flat(pane)).toContain(
      `A new session. Without flags the chat resumes the node's oldest session; come back to this one with --session ${id}.`,
    );
    t.type("/quit");
    await t.waitFor(exited, "the exit of --new");
    t.kill();

    const again = startChat(`chat --session ${first.id}`, target);
    pane = await again.waitFor(atPrompt(0), "the first prompt of --session");
    again.save("chat-session-flag", pane);
    expect(flat(pane)).toContain(`Session: ${first.id}`);
    expect(flat(pane)).toContain(`Opened session ${first.id}: 2 messages so far`);
    expect((await puffle.listSessions(target.campaignId)).map((s) => s.id)).toEqual([first.id, id]);
  }, 120_000);

  it("--help lists every chat command, /finish included", async () => {
    const t = startChat("chat --help", node("ai"));
    const pane = await t.waitFor(exited, "the help");
    t.save("chat-help", pane);
    for (const flag of ["--new", "--session <id>"]) expect(flat(pane)).toContain(flag);
    for (const command of [
      "/examples",
      "/transcript",
      "/edit",
      "/set",
      "/finish",
      "/help",
      "/quit",
    ])
      expect(pane).toMatch(new RegExp(`^ {2}${command} `, "m"));
  }, 60_000);

  it("/finish hints name chat commands; the final text then finishes an email node", async () => {
    const target = node("email");
    const t = startChat("chat", target);
    await t.waitFor(atPrompt(0), "the first prompt");
    t.type("Intro email to VPs of Sales about pipeline analytics");
    await t.waitFor(atPrompt(1), "the questions");
    t.type("Readers are VPs of Sales. Goal: a 20 minute call");
    await t.waitFor(atPrompt(2), "the framework");
    t.type("/finish");
    let pane = await t.waitFor(atPrompt(3), "the refused /finish");
    expect(flat(pane)).toContain(
      "Error: Cannot finish (draft-lint): the draft has lint errors (unfilled-instruction)",
    );
    expect(flat(pane)).toMatch(/Ask Puffle for "the final text", or fix it with \/edit or \/set/);
    expect(pane).not.toMatch(/generateExamplesAndWait|waitForIdle|finishSession\(/);

    t.type("Give me the final text");
    pane = await t.waitFor(atPrompt(4), "the final text");
    expect(pane).toMatch(/── Lint report ─+\nok/);
    t.type("/finish");
    pane = await t.waitFor(atPrompt(5), "the finish");
    t.save("chat-finish-email-node", pane);
    expect(pane).toMatch(/── Finish ─+/);
    expect(pane.slice(pane.lastIndexOf("── Finish"))).toMatch(/copy\s+done/);
  }, 120_000);

  it("an ai node's /finish without examples points to /examples", async () => {
    const target = node("ai");
    await earlierChat(target, ["Intro email to CROs", "Readers are CROs"]);
    const t = startChat("chat", target);
    await t.waitFor(atPrompt(0), "the first prompt");
    t.type("/finish");
    const pane = await t.waitFor(atPrompt(1), "the refused /finish");
    t.save("chat-finish-ai-hint", pane);
    expect(flat(pane)).toContain(
      "Error: Cannot finish (no-examples): an ai node is finished from its examples, and there are none yet: run /examples, then /finish.",
    );
    expect(pane).not.toContain("generateExamplesAndWait");
  }, 120_000);

  it("/edit opens $EDITOR on the draft and saves it; /set subject and /set body replace one field", async () => {
    const target = node("email");
    const earlier = await earlierChat(target, ["Intro email to CROs", "Readers are CROs"]);
    const editor = join(dir, "editor.sh");
    writeFileSync(
      editor,
      `#!/bin/sh\nsed -i 's/^Subject: .*/Subject: Edited in the editor/' "$1"\nprintf 'One more line.\\n' >> "$1"\n`,
    );
    chmodSync(editor, 0o755);
    const t = startChat("chat", target, `EDITOR=${editor}`);
    await t.waitFor(atPrompt(0), "the first prompt");
    t.type("/edit");
    let pane = await t.waitFor(atPrompt(1), "the prompt after /edit");
    expect(pane.slice(pane.lastIndexOf("── Draft"))).toMatch(
      /^── Draft ─+\nSubject: Edited in the editor\n/,
    );
    let saved = await puffle.getSession(earlier.id);
    expect(saved.draft_subject).toBe("Edited in the editor");
    expect(saved.draft_body).toBe(`${earlier.draft_body}\nOne more line.`);

    t.type("/set subject Quick question, %first_name%");
    await t.waitFor(atPrompt(2), "the prompt after /set subject");
    t.type("/set body Hi %first_name%,\\n\\nWorth a 20 minute call?\\n\\nBest,");
    pane = await t.waitFor(atPrompt(3), "the prompt after /set body");
    t.type("/set title x");
    pane = await t.waitFor(atPrompt(4), "the prompt after a bad /set");
    t.save("chat-edit-and-set", pane);
    expect(flat(pane)).toContain("Usage: /set subject <text> or /set body <text>");
    saved = await puffle.getSession(earlier.id);
    expect(saved.draft_subject).toBe("Quick question, %first_name%");
    expect(saved.draft_body).toBe("Hi %first_name%,\n\nWorth a 20 minute call?\n\nBest,");
    expect(pane.slice(pane.lastIndexOf("── Lint report"))).toMatch(/^── Lint report ─+\nok/);
  }, 120_000);

  it("a reply cut by Ctrl-C is marked (cut off); the embedded emulator's end line says there is no coming back", async () => {
    const t = new Tmux();
    tmux = t;
    t.start(
      `cd ${ROOT} && trap true INT; env -u PUFFLE_API_KEY -u CI PATH=${BIN_DIR}:$PATH TERM=xterm-256color NO_COLOR=1 node --import tsx src/cli/index.ts chat --task-duration 12000; echo "EXIT CODE $?"; sleep 600`,
      120,
    );
    await t.waitFor(atPrompt(0), "the first prompt");
    t.type("Intro email to VPs of Sales about pipeline analytics");
    await t.waitFor((s) => /Puffle: \S/.test(s), "the first streamed words", 40_000);
    t.send("C-c");
    let pane = await t.waitFor((s) => s.includes("cancelled") && atPrompt(1)(s), "cancelled");
    expect(pane).toMatch(/Puffle: [^\n]* \(cut off\)\n/);
    expect(flat(pane)).toContain("cancelled: the turn goes on running on Puffle's side");
    t.send("C-c");
    pane = await t.waitFor(exited, "the exit");
    t.save("chat-cut-off-and-emulator-end", pane);
    expect(flat(pane)).toMatch(
      /Session [0-9a-f-]{36} lived in the embedded emulator, which stops now: there is nothing to come back to/,
    );
    expect(flat(pane)).toContain("EXIT CODE 0");
  }, 120_000);
});

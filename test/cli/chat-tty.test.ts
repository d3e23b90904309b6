/**
 * `puffle-chat chat` in a real pseudo-terminal (tmux): clack prompt, spinner, streamed reply,
 * slash commands, Ctrl-C during a wait, text typed during a wait, wrapping, a busy port. Every
 * test saves what the pane showed under test-results/cli/.
 */

import { randomInt } from "node:crypto";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BIN_DIR, count, descendants, pgrep, ROOT, sleep, Tmux } from "./helpers";

let tmux: Tmux | undefined;
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

/**
 * Start the chat in a tmux pane. The task duration doubles as a unique marker for `pgrep -f`.
 * The wrapper prints the exit code and keeps the pane open so that it can be read.
 */
function startChat(taskDuration: number, width = 120): Tmux {
  return startCli(`chat --task-duration ${taskDuration}`, width);
}

/** Start `puffle-chat <args>` in a tmux pane (see {@link startChat}). */
function startCli(args: string, width = 120): Tmux {
  const t = new Tmux();
  const env = `env -u PUFFLE_API_KEY -u CI PATH=${BIN_DIR}:$PATH TERM=xterm-256color NO_COLOR=1`;
  t.start(
    `cd ${ROOT} && trap true INT; ${env} node --import tsx src/cli/index.ts ${args}; echo "EXIT CODE $?"; sleep 600`,
    width,
  );
  return t;
}

/** nanospinner's frames: none may be left on screen once a step is over. */
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

const PROMPT = "describe the email you want, or /help";
const ACTIVE = "◆  You"; // clack's symbol of the prompt being answered
const DONE = "◇  You"; // and of an answered one

/** At a fresh prompt after `answered` messages were submitted. */
const atPrompt = (answered: number) => (s: string) =>
  count(s, DONE) >= answered &&
  s.lastIndexOf(ACTIVE) > s.lastIndexOf(DONE) &&
  s.slice(s.lastIndexOf(ACTIVE)).includes(PROMPT);
/** Matches the tsx runner and the node process (not the wrapper shell, whose command goes on). */
const marker = (taskDuration: number) => `index\\.ts chat --task-duration ${taskDuration}$`;

describe("puffle-chat chat in a terminal", () => {
  it("two turns with the reply streamed, then /examples and /quit", async () => {
    const duration = 300 + randomInt(1000);
    tmux = startChat(duration);
    const t = tmux;
    await t.waitFor(atPrompt(0), "the first prompt");
    expect(t.capture()).toMatch(/Session: [0-9a-f-]{36}/);

    t.type("Intro email to VPs of Sales about pipeline analytics");
    let pane = await t.waitFor(atPrompt(1), "the second prompt");
    expect(pane).toMatch(/Puffle: Thanks for the brief[\s\S]*questions/);
    expect(pane).toMatch(/\(wait: (realtime|poll), \d+ requests, \d+\.\d\d s\)/);
    expect(pane).toContain("(no draft yet)");

    t.type("Book a demo, mention SOC 2");
    pane = await t.waitFor(atPrompt(2), "the third prompt");
    expect(pane).toMatch(/Puffle: Thanks for the answers\. Here is a framework/);
    expect(pane).toMatch(/I added the proof\s+point\s+"SOC\s+2"/);
    expect(pane).toMatch(/── Skeleton ─+\nSubject: /);
    expect(pane).toMatch(/── Draft ─+\nSubject: .*%company%/);
    // lintDraft's own severities: the instruction blocks are errors, with why they are there.
    expect(pane).toMatch(
      /── Lint report ─+\nNOT ok \(\d+ errors, 0 warnings\)\n {2}body:\d+:\d+ error unfilled-instruction: /,
    );
    expect(pane).toContain(
      "(Puffle fills &&instruction&& blocks per lead when it writes the examples.",
    );

    t.type("/examples");
    pane = await t.waitFor(atPrompt(3), "the prompt after /examples");
    expect(pane).toMatch(/── Examples ─+\n3 examples/);
    expect(pane).toContain("Example 1 for Ada Lovelace");
    expect(pane).toContain("Example 3 for Alan Turing");
    expect(pane).toMatch(/renderDraft for this lead:\n\s+Subject: .*Cobol Systems/);

    // /transcript reads the session: its indicator is gone once the transcript is shown.
    t.type("/transcript");
    pane = await t.waitFor(atPrompt(4), "the prompt after /transcript");
    expect(pane).toMatch(/── Transcript ─+\nYou: Intro email/);
    expect(pane).not.toMatch(SPINNER);
    expect(pane).not.toContain("Reading the session");

    expect(pgrep(marker(duration)).length).toBeGreaterThan(0);
    t.type("/quit");
    await t.waitFor((s) => s.includes("EXIT CODE"), "the exit");
    expect(t.capture()).toContain("EXIT CODE 0");
    expect(pgrep(marker(duration))).toEqual([]);
    // Nothing animates after /quit: no spinner frame, and the pane does not change.
    const after = t.capture();
    await sleep(400);
    expect(t.capture()).toBe(after);
    expect(after).not.toMatch(SPINNER);
    t.save("chat-turns-examples-transcript-quit", after);
  }, 120_000);

  it("Ctrl-C during a wait cancels it, returns to the prompt, and leaves no process behind", async () => {
    const duration = 5000 + randomInt(1000);
    tmux = startChat(duration);
    const t = tmux;
    await t.waitFor(atPrompt(0), "the first prompt");

    t.type("Intro email to VPs of Sales");
    await t.waitFor((s) => /Waiting for Puffle|Puffle: /.test(s), "the wait");
    const running = pgrep(marker(duration));
    expect(running.length).toBeGreaterThan(0);
    const tree = descendants(t.panePid()).map((p) => p.pid);
    for (const pid of running) expect(tree).toContain(pid);
    t.send("C-c");
    const pane = await t.waitFor(
      (s) => s.includes("cancelled") && atPrompt(1)(s),
      "cancelled and a new prompt",
    );
    expect(pane).not.toContain("EXIT CODE");
    // It says that the turn goes on on the server, and that the next message waits for it.
    expect(pane).toContain(
      "cancelled: the turn goes on running on Puffle's side; your next message waits for it to finish",
    );
    expect(pane.indexOf("cancelled")).toBeLessThan(pane.lastIndexOf(ACTIVE));
    expect(pane).not.toMatch(SPINNER);
    // Still the same program, back at the prompt.
    expect(pgrep(marker(duration))).toEqual(running);

    // The next turn first waits, visibly and counting, for the cancelled one to end, then runs.
    t.type("Book a demo");
    const waiting = await t.waitFor(
      (s) => /Waiting for the previous turn to finish… [1-9]\d* s/.test(s),
      "the visible wait for the previous turn",
      40_000,
    );
    t.save("chat-ctrl-c-waiting-for-previous", waiting);
    await t.waitFor(atPrompt(2), "the prompt after the next turn", 40_000);
    expect(t.capture()).toMatch(/Puffle: Thanks for the answers\. Here is a framework/);
    expect(t.capture()).not.toContain("Waiting for the previous turn");
    t.save("chat-ctrl-c-next-turn");

    // Ctrl-C at the prompt leaves.
    t.send("C-c");
    await t.waitFor((s) => s.includes("EXIT CODE"), "the exit");
    expect(t.capture()).toContain("EXIT CODE 0");
    await sleep(200);
    expect(pgrep(marker(duration))).toEqual([]);
    for (const pid of running) expect(() => process.kill(pid, 0)).toThrow();
    // Under the pane's shell only the wrapper's `sleep` is left: no node, no esbuild service.
    expect(descendants(t.panePid()).map((p) => p.command)).toEqual(["sleep"]);
  }, 120_000);

  it("text typed during a wait is not echoed over the indicator and is kept for the next prompt", async () => {
    const duration = 4000 + randomInt(1000);
    tmux = startChat(duration);
    const t = tmux;
    await t.waitFor(atPrompt(0), "the first prompt");
    t.type("Intro email to VPs of Sales");
    await t.waitFor((s) => /Waiting for Puffle|Puffle: /.test(s), "the wait");
    // Typed while Puffle works, Enter included: kept, not sent, not lost.
    t.send("-l", "Make it shorter");
    t.send("Enter");
    const pane = await t.waitFor(
      (s) =>
        count(s, DONE) >= 1 &&
        s.lastIndexOf(ACTIVE) > s.lastIndexOf(DONE) &&
        s.slice(s.lastIndexOf(ACTIVE)).includes("Make it shorter"),
      "the second prompt, holding the text typed during the wait",
      40_000,
    );
    t.save("chat-typed-during-wait", pane);
    const active = pane.slice(pane.lastIndexOf(ACTIVE));
    expect(active).toMatch(/│ {2}Make it shorter/);
    // Nothing was echoed onto the reply or the indicator.
    expect(pane.slice(0, pane.lastIndexOf(ACTIVE))).not.toContain("Make it shorter");
    // Enter at the prompt sends it.
    t.send("Enter");
    const sent = await t.waitFor(atPrompt(2), "the third prompt", 40_000);
    expect(sent).toMatch(/◇ {2}You\n│ {2}Make it shorter/);
    t.save("chat-typed-during-wait-sent", sent);
    t.send("C-c");
    await t.waitFor((s) => s.includes("EXIT CODE"), "the exit");
  }, 120_000);

  it("wraps the streamed reply on word boundaries at the terminal width", async () => {
    const width = 60;
    tmux = startChat(300 + randomInt(500), width);
    const t = tmux;
    await t.waitFor(atPrompt(0), "the first prompt");
    t.type("Intro email to VPs of Sales about our pipeline analytics platform");
    await t.waitFor(atPrompt(1), "the second prompt", 40_000);
    // -J joins what tmux wrapped itself: a line longer than the pane was not wrapped by the chat.
    const pane = t.save("chat-wrapped-at-60-columns");
    const reply = pane.slice(pane.indexOf("Puffle: "), pane.indexOf("(wait: "));
    const lines = reply.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
    // Whole words on each line: joined back with spaces, the sentence reads as Puffle wrote it.
    expect(lines.join(" ")).toContain(
      "Before I build a framework, a few questions: 1) Who exactly reads this email, and what is their role?",
    );
    t.send("C-c");
    await t.waitFor((s) => s.includes("EXIT CODE"), "the exit");
  }, 120_000);
});

describe("puffle-chat emulator in a terminal", () => {
  it("a busy --port gets one line that says what to do", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      tmux = startCli(`emulator --port ${port}`);
      const pane = await tmux.waitFor((s) => s.includes("EXIT CODE"), "the exit");
      tmux.save("emulator-busy-port", pane);
      expect(pane.trim().split("\n")).toEqual([
        `Error: port ${port} on 127.0.0.1 is already in use: pass another with --port N, or --port 0 for any free port.`,
        "EXIT CODE 1",
      ]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);
});

/**
 * `puffle-chat chat` in a real pseudo-terminal (tmux): clack prompt, spinner, streamed reply,
 * slash commands, Ctrl-C during a wait.
 */

import { randomInt } from "node:crypto";
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
function startChat(taskDuration: number): Tmux {
  const t = new Tmux();
  const env = `env -u PUFFLE_API_KEY -u CI PATH=${BIN_DIR}:$PATH TERM=xterm-256color NO_COLOR=1`;
  t.start(
    `cd ${ROOT} && trap true INT; ${env} node --import tsx src/cli/index.ts chat --task-duration ${taskDuration}; echo "EXIT CODE $?"; sleep 600`,
  );
  return t;
}

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
    expect(pane).toMatch(/Puffle: Here is a framework[^\n]*SOC 2/);
    expect(pane).toMatch(/── Skeleton ─+\nSubject: /);
    expect(pane).toMatch(/── Draft ─+\nSubject: .*%company%/);
    expect(pane).toMatch(/── Lint report ─+\nok \(0 errors/);

    t.type("/examples");
    pane = await t.waitFor(atPrompt(3), "the prompt after /examples");
    expect(pane).toMatch(/── Examples ─+\n3 examples/);
    expect(pane).toContain("Example 1 for Ada Lovelace");
    expect(pane).toContain("Example 3 for Alan Turing");
    expect(pane).toMatch(/renderDraft for this lead:\n\s+Subject: .*Cobol Systems/);

    expect(pgrep(marker(duration)).length).toBeGreaterThan(0);
    t.type("/quit");
    await t.waitFor((s) => s.includes("EXIT CODE"), "the exit");
    expect(t.capture()).toContain("EXIT CODE 0");
    expect(pgrep(marker(duration))).toEqual([]);
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
    expect(pane.indexOf("cancelled")).toBeLessThan(pane.lastIndexOf(ACTIVE));
    // Still the same program, back at the prompt.
    expect(pgrep(marker(duration))).toEqual(running);

    // The next turn waits for the cancelled one to end on the server, then runs.
    t.type("Book a demo");
    await t.waitFor(atPrompt(2), "the prompt after the next turn", 40_000);
    expect(t.capture()).toMatch(/Puffle: Here is a framework/);

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
});

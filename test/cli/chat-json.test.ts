import { describe, expect, it } from "vitest";
import { SAMPLE_VAR_NAMES } from "../../src/cli/samples";
import { lintDraft } from "../../src/template/index";
import { childEnv, runCli, startCli } from "./helpers";

type Event = { type: string; [key: string]: unknown };

/** Every line of stdout parsed as JSON (throws on a line that is not); `waiting` events dropped. */
function parseLines(stdout: string, keepWaiting = false): Event[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Event)
    .filter((e) => keepWaiting || e.type !== "waiting");
}

describe("puffle-chat chat --json", () => {
  it("reads messages from stdin and writes one JSON event per line", async () => {
    const input = [
      "Intro email to VPs of Sales about our pipeline analytics platform",
      "They should book a demo. Mention SOC 2",
      "/examples",
      "/transcript",
      "/quit",
      "this line is never read",
    ].join("\n");
    const { code, stdout, stderr } = await runCli(["chat", "--json", "--task-duration", "50"], {
      input: `${input}\n`,
    });
    expect(stderr).toBe("");
    const events = parseLines(stdout);
    expect(code).toBe(0);
    expect(events.map((e) => e.type)).toEqual([
      "session",
      "reply", // turn 1: clarifying questions, no draft yet
      "reply",
      "skeleton",
      "draft",
      "lint",
      "examples",
      "transcript",
    ]);
    const [session, reply1, reply2, , draft, lint, examples, transcript] = events;
    expect(session).toMatchObject({ target: "emulator", id: expect.any(String) });
    expect(reply1).toMatchObject({
      message: "Intro email to VPs of Sales about our pipeline analytics platform",
      reply: expect.stringContaining("questions"),
      wait: { mode: expect.stringMatching(/^(realtime|poll)$/), requests: expect.any(Number) },
    });
    expect(reply2?.reply).toEqual(expect.stringContaining("SOC 2"));
    expect(draft).toMatchObject({
      subject: expect.stringContaining("%company%"),
      body: expect.stringContaining("%first_name%"),
    });
    // The report is lintDraft's own (same severities), with the CLI's variables checked.
    const { subject, body } = draft as unknown as { subject: string; body: string };
    expect(lint).toEqual({
      type: "lint",
      ...lintDraft({ subject, body }, { availableVarNames: SAMPLE_VAR_NAMES }),
    });
    expect(lint?.issues).toContainEqual(
      expect.objectContaining({ code: "unfilled-instruction", severity: "error" }),
    );
    const list = examples?.examples as Array<{
      lead: { first_name: string };
      subject: string;
      rendered: { subject: string; body: string };
    }>;
    expect(list.map((e) => e.lead.first_name)).toEqual(["Ada", "Grace", "Alan"]);
    expect(list[0]?.subject).toContain("Analytical Engines");
    expect(list[0]?.rendered.subject).toContain("Analytical Engines");
    expect(list[0]?.rendered.body).toContain("Hi Ada,");
    const messages = transcript?.messages as Array<{ role: string }>;
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
  });

  it("reports failures as error events and exits 1", async () => {
    const { code, stdout } = await runCli(["chat", "--json", "--task-duration", "50"], {
      input: "/examples\n/nope\n",
    });
    const events = parseLines(stdout);
    expect(events.map((e) => e.type)).toEqual(["session", "error", "error"]);
    expect(events[1]?.message).toMatch(/skeleton/i);
    expect(events[2]?.message).toContain("/nope");
    expect(code).toBe(1);
  });

  it("on SIGINT during a wait, prints cancelled and exits 130", async () => {
    const child = startCli(["chat", "--json", "--task-duration", "5000"]);
    try {
      await child.waitFor(/"type":"session"/);
      child.process.stdin?.write("Intro email to VPs of Sales\n");
      await child.waitFor(/"type":"waiting"/); // the turn takes 5 s
      child.process.kill("SIGINT");
      expect(await child.exited).toBe(130);
      const types = parseLines(child.stdout(), true).map((e) => e.type);
      expect(types).toEqual(["session", "waiting", "cancelled"]);
    } finally {
      child.process.kill("SIGKILL");
    }
  });

  it("plain mode without a terminal prints lines, no spinner, and ends at EOF", async () => {
    const { code, stdout } = await runCli(["chat", "--task-duration", "50"], {
      input: "Intro email to VPs of Sales\nBook a demo\n",
    });
    expect(code).toBe(0);
    expect(stdout).toContain("You: Intro email to VPs of Sales");
    expect(stdout).toMatch(/Puffle: .*questions/);
    expect(stdout).toContain("── Draft ");
    expect(stdout).toContain("── Lint report ");
    expect(stdout).toMatch(/… Waiting for Puffle\n/);
    expect(stdout).not.toContain("\u001b[");
  });

  it("with PUFFLE_API_KEY but no node, fails with one line naming it (stderr; an error event with --json)", async () => {
    const env = childEnv({ PUFFLE_API_KEY: `pk_live_${"ef".repeat(32)}`, PUFFLE_CAMPAIGN_ID: "x" });
    const plain = await runCli(["chat"], { env });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^Error: .*PUFFLE_NODE_ID \(or --node\).*\n$/);
    expect(plain.stderr).not.toContain("PUFFLE_CAMPAIGN_ID (or");
    const json = await runCli(["chat", "--json"], { env });
    expect(json.code).toBe(1);
    expect(parseLines(json.stdout)).toEqual([
      { type: "error", message: expect.stringContaining("PUFFLE_NODE_ID") },
    ]);
    expect(plain.stderr + json.stdout).not.toContain("ef".repeat(32));
  });
});

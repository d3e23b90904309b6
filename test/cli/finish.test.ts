// The end of the flow in the CLI: the demo ends with finishSession and shows the resolved
// messages for its leads; `puffle-chat chat` has `/finish`.
import { describe, expect, it } from "vitest";
import { runDemo } from "../../src/cli/commands/demo";
import { memoryIo, runCli } from "./helpers";

type Event = { type: string; [key: string]: unknown };

describe("finishing in the CLI", () => {
  it("the demo ends with finishSession: its steps, and one resolved draft per lead", async () => {
    const io = memoryIo();
    const code = await runDemo({ taskDuration: 40 }, io);
    const out = io.out.text();
    expect(io.err.text()).toBe("");
    expect(code).toBe(0);
    const finish = out.slice(out.indexOf("── Finish "));
    expect(finish).toMatch(/read-session\s+done/);
    expect(finish).toMatch(/copy\s+skipped\s+ai node/);
    expect(finish).toMatch(/resolve\s+done\s+3 draft messages/);
    for (const name of ["Ada Lovelace", "Grace Hopper", "Alan Turing"]) {
      expect(finish).toMatch(new RegExp(`• ${name}: .+\\n\\s+Hi ${name.split(" ")[0]},`));
    }
    expect(out).toMatch(/Done: 3 turns, 3 examples\. 3 draft messages resolved for launch\./);
  });

  it("chat --json: /finish before examples is refused (an error event); after /examples it resolves", async () => {
    const input = [
      "Intro email to VPs of Sales about our pipeline analytics platform",
      "They should book a demo. Mention SOC 2",
      "/finish",
      "/examples",
      "/finish",
      "/quit",
    ].join("\n");
    const { stdout } = await runCli(["chat", "--json", "--task-duration", "40"], {
      input: `${input}\n`,
    });
    const events = stdout
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as Event)
      .filter((e) => e.type === "error" || e.type === "finished");
    expect(events.map((e) => e.type)).toEqual(["error", "finished"]);
    expect(events[0]?.message).toMatch(/no-examples/);
    const finished = events[1] as Event & { messages: { subject: string }[]; copied: boolean };
    expect(finished.copied).toBe(false);
    expect(finished.messages).toHaveLength(3);
    expect(finished.messages[0]?.subject).toContain("Analytical Engines");
  });

  it("plain chat (no terminal): /finish prints the Finish section with the steps and one draft per lead", async () => {
    const input = [
      "Intro email to VPs of Sales about our pipeline analytics platform",
      "They should book a demo. Mention SOC 2",
      "/examples",
      "/finish",
    ].join("\n");
    const { code, stdout } = await runCli(["chat", "--task-duration", "40"], {
      input: `${input}\n`,
    });
    expect(code).toBe(0);
    const finish = stdout.slice(stdout.indexOf("── Finish "));
    expect(finish).toMatch(/resolve\s+done\s+3 draft messages/);
    expect(finish).toMatch(/• Ada Lovelace: /);
  });
});

import { describe, expect, it } from "vitest";
import { cancelledText, humanView, jsonView } from "../../src/cli/chat-view";
import { collector } from "./helpers";

describe("what the chat says after Ctrl-C", () => {
  it("a dispatched turn or example run goes on on the server; a read or /finish does not claim so", () => {
    expect(cancelledText("reply")).toMatch(/turn goes on running on Puffle's side/);
    expect(cancelledText("examples")).toMatch(/example run goes on running/);
    expect(cancelledText("previous")).toMatch(/previous turn still runs/);
    expect(cancelledText("session")).toBe("cancelled");
    expect(cancelledText("finish")).toMatch(/may have been applied/);
  });

  it("--json says whether a task continues", () => {
    const out = collector();
    const view = jsonView({ stdout: out, stderr: collector(), stdin: process.stdin, env: {} });
    view.cancelled("reply");
    view.cancelled("session");
    expect(
      out
        .text()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { type: "cancelled", for: "reply", task_continues: true },
      { type: "cancelled", for: "session", task_continues: false },
    ]);
  });

  it("the human view wraps what it says at the terminal width", () => {
    const out = Object.assign(collector(true), { columns: 30 });
    const view = humanView({ stdout: out, stderr: collector(), stdin: process.stdin, env: {} });
    view.cancelled("reply");
    const lines = out.text().trim().split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
    expect(lines.join(" ")).toContain("the turn goes on running on Puffle's side");
  });
});

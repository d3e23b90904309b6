import { describe, expect, it } from "vitest";
import { runDemo } from "../../src/cli/commands/demo";
import { memoryIo, runCli } from "./helpers";

/** The demo key of the emulator (deterministic), to check it is never printed in full. */
async function demoKey(): Promise<string> {
  const { createEmulator } = await import("../../src/testing/index");
  return createEmulator().demo.apiKey;
}

describe("puffle-chat demo", () => {
  it("runs the whole flow in-process and prints transcript, skeleton, draft, lint, examples and waits", async () => {
    const io = memoryIo();
    const code = await runDemo({ taskDuration: 50 }, io);
    const out = io.out.text();
    expect(io.err.text()).toBe("");
    expect(code).toBe(0);
    for (const title of [
      "Turn 1",
      "Turn 2",
      "Turn 3",
      "Transcript",
      "Skeleton",
      "Draft",
      "Lint report",
      "Examples",
    ]) {
      expect(out).toContain(`── ${title} `);
    }
    // Turn 1 asks clarifying questions, later turns write a skeleton and a draft.
    expect(out).toMatch(/Turn 1 ─+\n[\s\S]*?Puffle: [^\n]*questions/);
    expect(out).toMatch(/── Draft ─+\nSubject: .*%company%/);
    // lintDraft's severities: the &&instruction&& blocks Puffle fills per lead are errors, with why.
    expect(out).toContain(
      "(Puffle fills &&instruction&& blocks per lead when it writes the examples.",
    );
    expect(out).toMatch(
      /── Lint report ─+\nNOT ok \(\d+ errors, 0 warnings\)\n {2}body:\d+:\d+ error unfilled-instruction: /,
    );
    // Three examples, each with the draft rendered locally for its lead.
    for (const [name, company] of [
      ["Ada Lovelace", "Analytical Engines"],
      ["Grace Hopper", "Cobol Systems"],
      ["Alan Turing", "Enigma Labs"],
    ]) {
      expect(out).toMatch(new RegExp(`Example \\d for ${name}, [^\\n]* at ${company}`));
      expect(out).toMatch(new RegExp(`renderDraft for this lead:\\n\\s+Subject: .* at ${company}`));
    }
    expect(out.match(/Draft rendered with renderDraft/g)).toHaveLength(3);
    // Every wait: mode, requests, duration (three turns and the examples).
    expect(out.match(/Wait: (realtime|poll), \d+ requests?, \d+\.\d\d s/g)).toHaveLength(4);
    // The key is shown masked only.
    const key = await demoKey();
    expect(out).not.toContain(key);
    expect(out).toMatch(/API key: pk_live_[0-9a-f]{8}… \(masked\)/);
  });

  it("runs as a child process (tsx src/cli/index.ts demo) and exits 0", async () => {
    const { code, stdout, stderr } = await runCli(["demo", "--task-duration", "50"], {
      runner: "tsx",
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("── Draft ");
    expect(stdout).toContain("── Lint report ");
    expect(stdout).toMatch(/Example 3 for Alan Turing/);
    expect(stdout).toMatch(/Done: 3 turns, 3 examples\./);
    expect(stdout).not.toContain(await demoKey());
  });

  it("with PUFFLE_API_KEY but no campaign or node, exits 1 with one line naming what is missing", async () => {
    const io = memoryIo({ PUFFLE_API_KEY: `pk_live_${"ab".repeat(32)}` });
    const code = await runDemo({}, io);
    expect(code).toBe(1);
    const err = io.err.text();
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toContain("PUFFLE_CAMPAIGN_ID (or --campaign)");
    expect(err).toContain("PUFFLE_NODE_ID (or --node)");
    expect(err + io.out.text()).not.toContain("ab".repeat(32));
  });

  it("against an API that refuses the key, exits 1 with a one-line error and never prints the key", async () => {
    const { createEmulator } = await import("../../src/testing/index");
    const emu = createEmulator({ taskDurationMs: 20 });
    const server = await emu.listen();
    try {
      const wrongKey = `pk_live_${"cd".repeat(32)}`;
      const io = memoryIo({
        PUFFLE_API_KEY: wrongKey,
        PUFFLE_BASE_URL: server.url,
        PUFFLE_TRIGGER_BASE_URL: server.url,
        PUFFLE_CAMPAIGN_ID: emu.demo.campaignId,
        PUFFLE_NODE_ID: emu.demo.nodeId,
      });
      const code = await runDemo({}, io);
      expect(code).toBe(1);
      expect(io.err.text()).toMatch(/^Error: .+\n$/);
      expect(io.err.text() + io.out.text()).not.toContain(wrongKey);
      expect(io.out.text()).toContain(`Campaign: ${emu.demo.campaignId}`);
    } finally {
      await server.close();
    }
  });

  it("with PUFFLE_API_KEY, PUFFLE_CAMPAIGN_ID and PUFFLE_NODE_ID runs the same flow against that API", async () => {
    const { createEmulator } = await import("../../src/testing/index");
    const emu = createEmulator({ taskDurationMs: 20 });
    const server = await emu.listen();
    try {
      const io = memoryIo({
        PUFFLE_API_KEY: server.apiKey,
        PUFFLE_BASE_URL: server.url,
        PUFFLE_TRIGGER_BASE_URL: server.url,
        PUFFLE_CAMPAIGN_ID: emu.demo.campaignId,
        PUFFLE_NODE_ID: emu.demo.nodeId,
      });
      expect(await runDemo({}, io)).toBe(0);
      const out = io.out.text();
      expect(out).toContain("against the Puffle API");
      expect(out).toContain(`URL: ${server.url}`);
      expect(out).toMatch(/Done: 3 turns, 3 examples\./);
      expect(out).not.toContain(server.apiKey);
      // The API saw three turns on that node's session, and its draft is the one printed.
      const sessionId = out.match(/^Session: ([0-9a-f-]{36})$/m)?.[1] ?? "";
      expect(emu.ledger.turns(sessionId)).toBe(3);
      const row = emu.getSession(sessionId);
      expect(row?.node_id).toBe(emu.demo.nodeId);
      expect(out).toContain(`Subject: ${row?.draft_subject}`);
    } finally {
      await server.close();
    }
  });
});

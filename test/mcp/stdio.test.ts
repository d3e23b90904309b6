/**
 * `puffle-chat mcp` as an MCP client runs it: the built bin (dist/cli.js) spawned over stdio by
 * the v2 and the v1 SDK's stdio clients, and by the MCP Inspector CLI (list the tools with its
 * portability check, call one, a refusal exits 5), against the emulator over real HTTP. The key
 * and hosts reach it as PUFFLE_API_KEY, PUFFLE_BASE_URL and PUFFLE_TRIGGER_BASE_URL; stdout is
 * the protocol only, and nothing it writes holds the key.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as V1StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";
import { NODE, ROOT } from "../package/pack";

const CLI = join(ROOT, "dist", "cli.js");
const INSPECTOR = join(
  ROOT,
  "node_modules",
  "@modelcontextprotocol",
  "inspector",
  "clients",
  "launcher",
  "build",
  "index.js",
);

let server: ListeningEmulator;
let home: string;
const outputs: string[] = [];

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error("dist/cli.js is missing: run `npx tsup` first (npm test builds it).");
  server = await createEmulator({ taskDurationMs: 300, liveHoldMs: 200 }).listen();
  // The Inspector keeps a catalog and secrets under HOME: a temp one, removed after.
  home = mkdtempSync(join(tmpdir(), "puffle-mcp-inspector-"));
});
afterAll(async () => {
  await server?.close();
  const everything = outputs.join("\n");
  expect(outputs.length).toBeGreaterThan(3);
  expect(everything).not.toContain(server.apiKey.slice(24));
  if (home) rmSync(home, { recursive: true, force: true });
});

const env = () => ({
  PATH: process.env.PATH ?? "",
  HOME: home,
  MCP_INSPECTOR_SECRET_STORE: "memory",
  PUFFLE_API_KEY: server.apiKey,
  PUFFLE_BASE_URL: server.url,
  PUFFLE_TRIGGER_BASE_URL: server.url,
});

describe("the bin over stdio", () => {
  it("serves a v2 client (2026-07-28): tools, a call, the whole turn; stderr one line, no key", async () => {
    const transport = new StdioClientTransport({
      command: NODE,
      args: [CLI, "mcp"],
      env: env(),
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const client = new Client(
      { name: "stdio-v2", version: "1.0.0" },
      { versionNegotiation: { mode: "auto" } },
    );
    await client.connect(transport);
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toContain("puffle_send_turn");
      const { campaignId, nodeId } = server.emulator.demo;
      const started = await client.callTool({
        name: "puffle_start_session",
        arguments: { campaign_id: campaignId, node_id: nodeId },
      });
      const sessionId = (started.structuredContent as { session_id: string }).session_id;
      const turn = await client.callTool(
        {
          name: "puffle_send_turn",
          arguments: { session_id: sessionId, message: "Intro email over stdio" },
        },
        { timeout: 90_000 },
      );
      outputs.push(JSON.stringify([tools, started, turn]));
      expect(turn.isError, JSON.stringify(turn)).toBeFalsy();
      expect(turn.structuredContent).toMatchObject({ status: "done", repeated: false });
      expect(server.emulator.ledger.turns(sessionId)).toBe(1);
    } finally {
      await client.close();
    }
    outputs.push(stderr);
    expect(stderr).toMatch(/^puffle-chat mcp: serving http:\/\/127\.0\.0\.1:\d+ over stdio\n$/);
  }, 90_000);

  it("serves a v1 client, --read-only listing no write tool; SDK logs (PUFFLE_LOG=debug) go to stderr", async () => {
    const transport = new V1StdioClientTransport({
      command: NODE,
      args: [CLI, "mcp", "--read-only"],
      env: { ...env(), PUFFLE_LOG: "debug" },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const client = new V1Client({ name: "stdio-v1", version: "1.0.0" });
    await client.connect(transport);
    try {
      const tools = await client.listTools();
      outputs.push(JSON.stringify(tools));
      expect(tools.tools.map((t) => t.name)).toEqual([
        "puffle_get_campaign",
        "puffle_wait_for_idle",
        "puffle_get_draft",
      ]);
      const campaign = await client.callTool({
        name: "puffle_get_campaign",
        arguments: { campaign_id: server.emulator.demo.campaignId },
      });
      outputs.push(JSON.stringify(campaign));
      expect(campaign.isError).toBeFalsy();
    } finally {
      await client.close();
    }
    outputs.push(stderr);
    expect(stderr).toMatch(/\[puffle-chat\] /);
  }, 90_000);

  it("refuses to start without a key, or with an unknown tool, in one line on stderr", async () => {
    const noKey = await run(NODE, [CLI, "mcp"], { PATH: process.env.PATH ?? "", HOME: home });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/No Puffle API key.*PUFFLE_API_KEY/);
    expect(noKey.stdout).toBe("");
    const badTool = await run(NODE, [CLI, "mcp", "--tools", "puffle_send_turn,puffle_nope"], env());
    expect(badTool.code).toBe(1);
    expect(badTool.stderr).toMatch(/--tools: unknown tool\(s\) puffle_nope/);
    outputs.push(noKey.stderr, badTool.stderr);
  }, 60_000);
});

describe("the MCP Inspector CLI", () => {
  const inspect = (...args: string[]) =>
    run(
      NODE,
      [
        INSPECTOR,
        "--cli",
        "-e",
        `PUFFLE_API_KEY=${server.apiKey}`,
        "-e",
        `PUFFLE_BASE_URL=${server.url}`,
        "-e",
        `PUFFLE_TRIGGER_BASE_URL=${server.url}`,
        NODE,
        CLI,
        "mcp",
        ...args,
      ],
      { PATH: process.env.PATH ?? "", HOME: home },
    );

  it("lists the tools with no portability error (--strict)", async () => {
    const listed = await inspect("--method", "tools/list", "--strict");
    outputs.push(listed.stdout, listed.stderr);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).toMatch(/\b0 errors\b/);
    const names = (JSON.parse(listed.stdout) as { tools: { name: string }[] }).tools.map(
      (t) => t.name,
    );
    expect(names).toHaveLength(8);
  }, 90_000);

  it("calls a tool, and a refusal exits 5", async () => {
    const called = await inspect(
      "--method",
      "tools/call",
      "--tool-name",
      "puffle_get_campaign",
      "--tool-arg",
      `campaign_id=${server.emulator.demo.campaignId}`,
    );
    outputs.push(called.stdout, called.stderr);
    expect(called.code, called.stderr).toBe(0);
    expect(JSON.parse(called.stdout).structuredContent.campaign.id).toBe(
      server.emulator.demo.campaignId,
    );
    const refused = await inspect(
      "--method",
      "tools/call",
      "--tool-name",
      "puffle_get_draft",
      "--tool-arg",
      "session_id=nope",
    );
    outputs.push(refused.stdout, refused.stderr);
    expect(refused.code).toBe(5);
    expect(refused.stdout).toMatch(/invalid_arguments.*session_id must be a UUID/);
    // The key was handed over as -e, kept in memory (MCP_INSPECTOR_SECRET_STORE): nothing on disk.
    expect(JSON.stringify(readdirSync(home, { recursive: true }))).not.toMatch(/secrets/);
  }, 90_000);
});

function run(
  command: string,
  args: string[],
  childEnv: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: home, env: childEnv, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

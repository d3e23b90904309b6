/**
 * The guide's Claude Desktop / Cursor configuration (a JSON block, which the snippet test does
 * not run) is the configuration a client reads: parsed from docs/guides/mcp.md, pointed at the
 * built bin and an emulator (the `npx -y puffle-chat` prefix replaced, the placeholder campaign
 * and key replaced), and given to the MCP Inspector as its `--config`, which starts the server
 * from it and calls a tool.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";
import { NODE, ROOT } from "../package/pack";

const GUIDE = join(ROOT, "docs", "guides", "mcp.md");
const CLI = join(ROOT, "dist", "cli.js");
const INSPECTOR = join(
  ROOT,
  "node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js",
);

interface ServerConfig {
  command: string;
  args: string[];
  env: Record<string, string>;
}

let server: ListeningEmulator;
let home: string;

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 200 }).listen();
  home = mkdtempSync(join(tmpdir(), "puffle-mcp-guide-"));
});
afterAll(async () => {
  await server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

function configBlock(): { mcpServers: Record<string, ServerConfig> } {
  const blocks = [...readFileSync(GUIDE, "utf8").matchAll(/```json\n([\s\S]*?)```/g)];
  expect(blocks).toHaveLength(1);
  return JSON.parse(blocks[0]?.[1] ?? "");
}

describe("the guide's client configuration", () => {
  it("is the mcpServers shape, runs `npx -y puffle-chat mcp` with real flags and the client's variables", () => {
    const puffle = configBlock().mcpServers.puffle as ServerConfig;
    expect(puffle.command).toBe("npx");
    expect(puffle.args.slice(0, 3)).toEqual(["-y", "puffle-chat", "mcp"]);
    for (const flag of puffle.args.filter((a) => a.startsWith("--")))
      expect(["--read-only", "--campaign", "--tools", "--max-wait"]).toContain(flag);
    for (const name of Object.keys(puffle.env))
      expect(["PUFFLE_API_KEY", "PUFFLE_BASE_URL", "PUFFLE_TRIGGER_BASE_URL"]).toContain(name);
  });

  it("starts the server from an MCP client's --config and serves the pinned campaign", async () => {
    const puffle = configBlock().mcpServers.puffle as ServerConfig;
    const args = puffle.args
      .slice(2)
      .map((a, i, all) => (all[i - 1] === "--campaign" ? server.emulator.demo.campaignId : a));
    const file = join(home, "mcp.json");
    writeFileSync(
      file,
      JSON.stringify({
        mcpServers: {
          puffle: {
            command: NODE,
            args: [CLI, ...args],
            env: {
              ...puffle.env,
              PUFFLE_API_KEY: server.apiKey,
              PUFFLE_BASE_URL: server.url,
              PUFFLE_TRIGGER_BASE_URL: server.url,
            },
          },
        },
      }),
    );
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) => {
        execFile(
          NODE,
          [
            INSPECTOR,
            "--cli",
            "--config",
            file,
            "--server",
            "puffle",
            "--method",
            "tools/call",
            "--tool-name",
            "puffle_get_campaign",
          ],
          {
            cwd: home,
            env: { PATH: process.env.PATH ?? "", HOME: home, MCP_INSPECTOR_SECRET_STORE: "memory" },
            timeout: 60_000,
          },
          (error, stdout, stderr) =>
            resolve({
              code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
              stdout,
              stderr,
            }),
        );
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).structuredContent.campaign.id).toBe(
      server.emulator.demo.campaignId,
    );
    expect(result.stdout + result.stderr).not.toContain(server.apiKey.slice(24));
  }, 90_000);
});

/**
 * `createMcpRoute` served on 127.0.0.1 over a real socket (`toNodeHandler` from
 * puffle-chat/server, as the guide mounts it), reached by the v1 and v2 SDK clients and by the
 * MCP Inspector CLI (`--transport http` with an authorization header; without it, the route's
 * 401 is the Inspector's "auth required", exit 3).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as V1HTTPTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/index";
import { createMcpRoute, type McpRoute } from "../../src/mcp/index";
import { toNodeHandler } from "../../src/server/index";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";
import { NODE, ROOT } from "../package/pack";

const INSPECTOR = join(
  ROOT,
  "node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js",
);
const TOKEN = "Bearer agent-token";

let emulator: ListeningEmulator;
let route: McpRoute;
let http: Server;
let url: string;
let home: string;

beforeAll(async () => {
  emulator = await createEmulator({ taskDurationMs: 200 }).listen();
  const client = new PuffleClient({
    apiKey: emulator.apiKey,
    baseURL: emulator.url,
    triggerBaseURL: emulator.url,
  });
  route = createMcpRoute({
    client,
    authorize: (request) =>
      request.headers.get("authorization") === TOKEN ? true : { status: 401 },
  });
  http = createServer(toNodeHandler(route));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as { port: number }).port}/mcp`;
  home = mkdtempSync(join(tmpdir(), "puffle-mcp-http-"));
});
afterAll(async () => {
  await route?.close();
  await new Promise((resolve) => http?.close(resolve));
  await emulator?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("the route on 127.0.0.1", () => {
  it("serves the v2 client (2026-07-28) and the v1 client", async () => {
    const headers = { authorization: TOKEN };
    const v2 = new Client(
      { name: "http-v2", version: "1.0.0" },
      { versionNegotiation: { mode: "auto" } },
    );
    await v2.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
    const v1 = new V1Client({ name: "http-v1", version: "1.0.0" });
    await v1.connect(new V1HTTPTransport(new URL(url), { requestInit: { headers } }));
    try {
      const campaign_id = emulator.emulator.demo.campaignId;
      for (const client of [v2, v1]) {
        expect((await client.listTools()).tools).toHaveLength(8);
        const answer = await client.callTool({
          name: "puffle_get_campaign",
          arguments: { campaign_id },
        });
        expect((answer.structuredContent as { campaign: { id: string } }).campaign.id).toBe(
          campaign_id,
        );
      }
    } finally {
      await v2.close();
      await v1.close();
    }
  });

  const inspect = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        NODE,
        [INSPECTOR, "--cli", url, "--transport", "http", ...args],
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
    });

  it("the Inspector CLI lists and calls over HTTP with the header, and gets 'auth required' without", async () => {
    const listed = await inspect("--header", `authorization: ${TOKEN}`, "--method", "tools/list");
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).tools).toHaveLength(8);
    const called = await inspect(
      "--header",
      `authorization: ${TOKEN}`,
      "--method",
      "tools/call",
      "--tool-name",
      "puffle_get_campaign",
      "--tool-arg",
      `campaign_id=${emulator.emulator.demo.campaignId}`,
    );
    expect(called.code, called.stderr).toBe(0);
    const refused = await inspect("--method", "tools/list");
    expect(refused.code, `${refused.stdout}\n${refused.stderr}`).toBe(3);
  }, 120_000);
});

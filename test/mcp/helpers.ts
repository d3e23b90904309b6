/**
 * Helpers of the MCP tests: an emulator over real HTTP, the route served in-process, clients of
 * both SDK lines (v2 `@modelcontextprotocol/client`, v1 `@modelcontextprotocol/sdk`), and a record
 * of everything a client or a log was shown, for the secret canary.
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as V1HTTPTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect } from "vitest";
import { PuffleClient } from "../../src/index";
import { createMcpRoute, type McpRoute, type McpRouteOptions } from "../../src/mcp/index";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";

/** A tool call's answer, as both client lines give it. */
export interface CallAnswer {
  isError?: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: structured content, checked field by field
  structuredContent?: any;
  content: { type: string; text?: string }[];
}

/** The text of an answer. */
export const textOf = (answer: CallAnswer): string =>
  answer.content.map((c) => c.text ?? "").join("\n");

/** A client of either line, reduced to what the tests use. */
export interface TestClient {
  listTools(): Promise<{ tools: { name: string; [key: string]: unknown }[] }>;
  call(name: string, args: Record<string, unknown>, onProgress?: () => void): Promise<CallAnswer>;
  close(): Promise<void>;
}

/** One emulator, one client, what they were shown. */
export interface Rig {
  server: ListeningEmulator;
  puffle: PuffleClient;
  /** Every answer, text and structured content, and every log line, as JSON. */
  seen: string[];
  logged: string[];
  route(overrides?: Partial<McpRouteOptions>): McpRoute;
  /** A v2 client over `route` (mode "legacy": the 2025 handshake; "auto": 2026-07-28). */
  v2(
    route: McpRoute,
    mode?: "legacy" | "auto",
    headers?: Record<string, string>,
  ): Promise<TestClient>;
  /** A v1 client over `route`. */
  v1(route: McpRoute, headers?: Record<string, string>): Promise<TestClient>;
  /** Assert nothing seen or logged holds the API key or a public token (after `minimum` answers). */
  expectNoSecrets(minimum?: number): void;
}

export async function startRig(taskDurationMs = 300): Promise<Rig> {
  const server = await createEmulator({ taskDurationMs, liveHoldMs: 200 }).listen();
  const puffle = new PuffleClient({
    apiKey: server.apiKey,
    baseURL: server.url,
    triggerBaseURL: server.url,
    maxRetries: 0,
  });
  const seen: string[] = [];
  const logged: string[] = [];
  const record = (answer: CallAnswer) => {
    seen.push(JSON.stringify(answer));
    return answer;
  };
  const fetchOf =
    (route: McpRoute, headers: Record<string, string> = {}) =>
    async (url: string | URL, init?: RequestInit) => {
      const request = new Request(url, init);
      for (const [k, v] of Object.entries(headers)) request.headers.set(k, v);
      const response = await route(request);
      return response;
    };
  return {
    server,
    puffle,
    seen,
    logged,
    route: (overrides = {}) =>
      createMcpRoute({
        client: puffle,
        authorize: () => true,
        onError: (error) =>
          logged.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
        ...overrides,
      }),
    async v2(route, mode = "legacy", headers = {}) {
      const client = new Client(
        { name: "test-v2", version: "1.0.0" },
        { versionNegotiation: { mode } },
      );
      await client.connect(
        new StreamableHTTPClientTransport(new URL("http://app.test/mcp"), {
          fetch: fetchOf(route, headers),
        }),
      );
      return {
        listTools: async () => {
          const list = await client.listTools();
          seen.push(JSON.stringify(list));
          return list as never;
        },
        call: async (name, args, onProgress) =>
          record(
            (await client.callTool(
              { name, arguments: args },
              onProgress ? { onprogress: onProgress, timeout: 90_000 } : { timeout: 90_000 },
            )) as CallAnswer,
          ),
        close: () => client.close(),
      };
    },
    async v1(route, headers = {}) {
      const client = new V1Client({ name: "test-v1", version: "1.0.0" });
      await client.connect(
        new V1HTTPTransport(new URL("http://app.test/mcp"), { fetch: fetchOf(route, headers) }),
      );
      return {
        listTools: async () => {
          const list = await client.listTools();
          seen.push(JSON.stringify(list));
          return list as never;
        },
        call: async (name, args, onProgress) =>
          record(
            (await client.callTool(
              { name, arguments: args },
              undefined,
              onProgress ? { onprogress: onProgress, timeout: 90_000 } : { timeout: 90_000 },
            )) as CallAnswer,
          ),
        close: () => client.close(),
      };
    },
    expectNoSecrets(minimum = 5) {
      const everything = [...seen, ...logged].join("\n");
      expect(seen.length).toBeGreaterThanOrEqual(minimum);
      expect(everything).not.toContain(server.apiKey);
      expect(everything).not.toContain(server.apiKey.slice(24));
      expect(everything).not.toMatch(/tr_(pat|prod|dev|stg)_[A-Za-z0-9]{6,}/);
      expect(everything).not.toMatch(/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\./);
      expect(everything).not.toMatch(/\bat .*\.(ts|js):\d+/);
    },
  };
}

/** Leads for an example run, from the emulator's demo. */
export function demoLeads(rig: Rig) {
  return rig.server.emulator.demo.leads.slice(0, 3).map((l) => ({
    first_name: l.first_name ?? undefined,
    last_name: l.last_name ?? undefined,
    company: l.company ?? undefined,
  }));
}

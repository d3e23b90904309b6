/**
 * (g) The MCP server's costs, against the emulator: what `tools/list` weighs (the model reads it
 * on every conversation), the time a tool call adds over the SDK call it wraps (in-process HTTP,
 * v2 client, `puffle_get_draft` vs `getSession`), the size of the answers (a draft with long
 * texts stays bounded), and the cold start of `puffle-chat mcp` over stdio (spawn to the first
 * `tools/list` answer).
 *
 *   node bench/mcp.mjs              200 calls
 *   BENCH_QUICK=1 node bench/mcp.mjs
 */

import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { PuffleClient } from "puffle-chat";
import { createMcpRoute } from "puffle-chat/mcp";
import { createEmulator } from "puffle-chat/testing";
import { assertBuilt, emitResult, median, QUICK, quantile, ROOT, round } from "./lib.mjs";

assertBuilt();
const CALLS = QUICK ? 40 : 200;
const server = await createEmulator({ taskDurationMs: 200 }).listen();
const puffle = new PuffleClient({
  apiKey: server.apiKey,
  baseURL: server.url,
  triggerBaseURL: server.url,
});
const { campaignId, nodeId } = server.emulator.demo;
const session = await puffle.createSession({ campaign_id: campaignId, node_id: nodeId });
const LONG = "Hi %first_name%, ".repeat(2_000);
await puffle.updateSession(session.id, {
  draft_subject: "Quick question, %first_name%",
  draft_body: LONG,
  messages: Array.from({ length: 40 }, (_, i) => ({
    role: i % 2 ? "assistant" : "user",
    content: LONG,
  })),
  generated_examples: Array.from({ length: 10 }, (_, i) => ({
    lead_id: `l${i}`,
    subject: "S",
    body: LONG,
  })),
});

const route = createMcpRoute({ client: puffle, authorize: () => true });
const client = new Client(
  { name: "bench", version: "1.0.0" },
  { versionNegotiation: { mode: "auto" } },
);
await client.connect(
  new StreamableHTTPClientTransport(new URL("http://bench.local/mcp"), {
    fetch: (url, init) => route(new Request(url, init)),
  }),
);

const list = await client.listTools();
const listBytes = JSON.stringify(list.tools).length;
const perTool = Object.fromEntries(list.tools.map((t) => [t.name, JSON.stringify(t).length]));

async function timed(fn) {
  const out = [];
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}
const direct = await timed(() => puffle.getSession(session.id));
const viaMcp = await timed(() =>
  client.callTool({ name: "puffle_get_draft", arguments: { session_id: session.id } }),
);
const draft = await client.callTool({
  name: "puffle_get_draft",
  arguments: { session_id: session.id },
});
const rawBytes = JSON.stringify(await puffle.getSession(session.id)).length;
const answerBytes = JSON.stringify(draft).length;
await client.close();
await route.close();

const startStdio = performance.now();
const stdio = new Client({ name: "bench-stdio", version: "1.0.0" });
await stdio.connect(
  new StdioClientTransport({
    command: process.execPath,
    args: [join(ROOT, "dist", "cli.js"), "mcp"],
    env: {
      PATH: process.env.PATH ?? "",
      PUFFLE_API_KEY: server.apiKey,
      PUFFLE_BASE_URL: server.url,
    },
  }),
);
await stdio.listTools();
const coldStartMs = performance.now() - startStdio;
await stdio.close();
await server.close();

const ms = (v) => `${round(v, 2)} ms`;
console.log(`tools/list: ${list.tools.length} tools, ${listBytes} bytes of JSON`);
for (const [name, bytes] of Object.entries(perTool)) console.log(`  ${name}: ${bytes} bytes`);
console.log(
  `getSession direct: median ${ms(median(direct))}, p95 ${ms(quantile(direct, 0.95))}; puffle_get_draft over MCP (in-process HTTP, v2 client): median ${ms(median(viaMcp))}, p95 ${ms(quantile(viaMcp, 0.95))} (${CALLS} calls each)`,
);
console.log(
  `a session of ${rawBytes} bytes read through puffle_get_draft: ${answerBytes} bytes of answer`,
);
console.log(`puffle-chat mcp over stdio: spawn to the first tools/list answer ${ms(coldStartMs)}`);
emitResult("mcp", {
  tools: list.tools.length,
  listBytes,
  directMedianMs: round(median(direct)),
  mcpMedianMs: round(median(viaMcp)),
  mcpP95Ms: round(quantile(viaMcp, 0.95)),
  sessionBytes: rawBytes,
  answerBytes,
  coldStartMs: round(coldStartMs),
});

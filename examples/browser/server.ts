// The server side of the browser example. It holds the API key, dispatches turns with the
// client, and hands the browser only { runId, publicAccessToken, triggerBaseURL }.
// By default it runs against an embedded emulator; with PUFFLE_API_KEY, PUFFLE_CAMPAIGN_ID and
// PUFFLE_NODE_ID set it talks to Puffle.
//
//   npx tsx examples/browser/server.ts     then open the URL it prints
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { isPuffleError, PuffleClient } from "../../src/index";
import { createEmulator, type ListeningEmulator } from "../../src/testing/index";

const here = fileURLToPath(new URL(".", import.meta.url));

/** A running example: its URL and how to stop it. */
export interface ExampleServer {
  url: string;
  close(): Promise<void>;
}

/** Start the example on 127.0.0.1 (a free port unless `port` is given). */
export async function startExample(
  options: { port?: number; taskDurationMs?: number } = {},
): Promise<ExampleServer> {
  let emulator: ListeningEmulator | undefined;
  let puffle: PuffleClient;
  let campaignId: string;
  let nodeId: string;
  if (process.env.PUFFLE_API_KEY) {
    campaignId = requireEnv("PUFFLE_CAMPAIGN_ID");
    nodeId = requireEnv("PUFFLE_NODE_ID");
    puffle = new PuffleClient();
  } else {
    emulator = await createEmulator({ taskDurationMs: options.taskDurationMs ?? 3_000 }).listen();
    campaignId = emulator.emulator.demo.campaignId;
    nodeId = emulator.emulator.demo.nodeId;
    puffle = new PuffleClient({
      apiKey: emulator.apiKey,
      baseURL: emulator.url,
      triggerBaseURL: emulator.url,
    });
  }
  const session = await puffle.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId });
  const bundle = await build({
    entryPoints: [`${here}page.ts`],
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  const pageJs = bundle.outputFiles[0]?.text ?? "";
  const html = await readFile(`${here}index.html`, "utf8");

  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "POST" && path === "/api/turn") {
      let raw = "";
      for await (const chunk of req) raw += chunk;
      try {
        const { message } = JSON.parse(raw) as { message: string };
        // Wait for the previous turn, if any, then dispatch this one.
        const run = await puffle.runTurn(session.id, { message }, { onBusy: "wait" });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ...run, triggerBaseURL: puffle.triggerBaseURL }));
      } catch (error) {
        res.writeHead(isPuffleError(error) ? 502 : 400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
      }
      return;
    }
    if (path === "/page.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(pageJs);
      return;
    }
    res.writeHead(200, { "content-type": "text/html" });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator?.close();
    },
  };
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`Set ${name} (with PUFFLE_API_KEY) to run the example against Puffle.`);
  return value;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const example = await startExample({ port: Number(process.env.PORT ?? 5173) });
  console.log(`Open ${example.url} (Ctrl-C to stop)`);
  process.once("SIGINT", () => void example.close().then(() => process.exit(0)));
}

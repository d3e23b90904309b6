// The server side of the browser example: the chat route (createChatRoute) holds the API key and
// hands the browser only run ids and their public tokens; the page is bundled with esbuild.
// By default it runs against an embedded emulator; with PUFFLE_API_KEY, PUFFLE_CAMPAIGN_ID and
// PUFFLE_NODE_ID set it talks to Puffle.
//
//   npm run example:browser           then open http://127.0.0.1:5173
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { PuffleClient } from "puffle-chat";
import { createChatRoute, toNodeHandler } from "puffle-chat/server";
import { createEmulator, type Emulator, type ListeningEmulator } from "puffle-chat/testing";

const here = fileURLToPath(new URL(".", import.meta.url));

/** A running example: its URL and how to stop it. */
export interface ExampleServer {
  url: string;
  /** The embedded emulator (absent when talking to Puffle). */
  emulator: Emulator | undefined;
  sessionId: string;
  close(): Promise<void>;
}

/** Start the example on 127.0.0.1 (a free port unless `port` is given). */
export async function startExample(
  options: { port?: number; taskDurationMs?: number } = {},
): Promise<ExampleServer> {
  let emulator: ListeningEmulator | undefined;
  let client: PuffleClient;
  let campaignId: string;
  let nodeId: string;
  if (process.env.PUFFLE_API_KEY) {
    campaignId = requireEnv("PUFFLE_CAMPAIGN_ID");
    nodeId = requireEnv("PUFFLE_NODE_ID");
    client = new PuffleClient();
  } else {
    emulator = await createEmulator({ taskDurationMs: options.taskDurationMs ?? 3_000 }).listen();
    ({ campaignId, nodeId } = emulator.emulator.demo);
    client = new PuffleClient({
      apiKey: emulator.apiKey,
      baseURL: emulator.url,
      triggerBaseURL: emulator.url,
    });
  }
  const session = await client.getOrCreateSession({ campaign_id: campaignId, node_id: nodeId });
  const api = toNodeHandler(
    createChatRoute({
      client,
      // A real app checks its own sign-in here; this demo has one session and lets the page use it.
      authorize: (_request, { sessionId }) => sessionId === session.id,
      onBusy: "wait",
    }),
  );
  const bundle = await build({
    entryPoints: [`${here}page.ts`],
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  const pageJs = bundle.outputFiles[0]?.text ?? "";
  const html = (await readFile(`${here}index.html`, "utf8")).replace(
    "%PUFFLE_SESSION_ID%",
    session.id,
  );

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/api/chat") return api(req, res);
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
    emulator: emulator?.emulator,
    sessionId: session.id,
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

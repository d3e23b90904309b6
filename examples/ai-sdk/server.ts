// The server side of the AI SDK example: one node:http server that serves the page (built with
// Vite) and the chat route with `protocol: "ai-sdk"`, so the page's stock `useChat` talks to
// Puffle. The route holds the API key, lets only the signed-in demo user use the demo session,
// and streams each turn as the AI SDK's UI message stream.
//
// Run it (from the repository root; it builds the package first):
//
//   npm run example:ai-sdk            then open http://127.0.0.1:5174
//
// By default it runs against an embedded emulator (puffle-chat/testing). With PUFFLE_API_KEY,
// PUFFLE_CAMPAIGN_ID and PUFFLE_NODE_ID set, it talks to Puffle.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { PuffleClient } from "puffle-chat";
import { createChatRoute, toNodeHandler } from "puffle-chat/server";
import { createEmulator, type ListeningEmulator } from "puffle-chat/testing";
import { buildPage, cookie, type ExampleServer, servePage } from "../react/server";

const here = fileURLToPath(new URL(".", import.meta.url));

/** Start the example on 127.0.0.1 (a free port unless `port` is given). */
export async function startExample(
  options: { port?: number; taskDurationMs?: number } = {},
): Promise<ExampleServer> {
  let emulator: ListeningEmulator | undefined;
  let client: PuffleClient;
  let campaign: { campaign_id: string; node_id: string };
  if (process.env.PUFFLE_API_KEY) {
    const [campaignId, nodeId] = [process.env.PUFFLE_CAMPAIGN_ID, process.env.PUFFLE_NODE_ID];
    if (!campaignId || !nodeId)
      throw new Error("Set PUFFLE_CAMPAIGN_ID and PUFFLE_NODE_ID (with PUFFLE_API_KEY).");
    campaign = { campaign_id: campaignId, node_id: nodeId };
    client = new PuffleClient(); // PUFFLE_API_KEY (and PUFFLE_BASE_URL) from the environment
  } else {
    emulator = await createEmulator({ taskDurationMs: options.taskDurationMs ?? 3_000 }).listen();
    const { campaignId, nodeId } = emulator.emulator.demo;
    campaign = { campaign_id: campaignId, node_id: nodeId };
    client = new PuffleClient({
      apiKey: emulator.apiKey,
      baseURL: emulator.url,
      triggerBaseURL: emulator.url,
    });
  }
  const session = await client.getOrCreateSession(campaign);

  // The app's own sign-in, reduced to one demo user: the page's first load sets this cookie.
  const userToken = randomBytes(16).toString("hex");
  const api = toNodeHandler(
    createChatRoute({
      client,
      protocol: "ai-sdk",
      authorize: (request, { sessionId }) => {
        if (cookie(request.headers.get("cookie"), "demo_user") !== userToken)
          return { status: 401, message: "You are signed out: reload the page to sign in again." };
        return sessionId === session.id;
      },
      // A second submit while a turn runs is refused (409), never a second paid turn.
      onBusy: "throw",
      availableVarNames: ["first_name", "last_name", "company", "position"],
    }),
  );

  const page = servePage(await buildPage(here), session.id, userToken);
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    // The route's two paths: POST/GET /api/chat, and the resume GET /api/chat/{id}/stream.
    if (path === "/api/chat" || path.startsWith("/api/chat/")) return api(req, res);
    page(req, res);
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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const example = await startExample({ port: Number(process.env.PORT ?? 5174) });
  console.log(`Open ${example.url} (Ctrl-C to stop)`);
  process.once("SIGINT", () => void example.close().then(() => process.exit(0)));
}

// The server side of the React example: one small node:http server that serves the page (built
// with Vite) and the chat route. The route (createChatRoute) holds the API key, lets only the
// signed-in demo user use the demo session, and hands the browser nothing but run ids and their
// public tokens.
//
// Run it (from the repository root; it builds the package first):
//
//   npm run example:react             then open http://127.0.0.1:5173
//
// By default it runs against an embedded emulator (puffle-chat/testing). With PUFFLE_API_KEY,
// PUFFLE_CAMPAIGN_ID and PUFFLE_NODE_ID set, it talks to Puffle.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { FinishSessionError, PuffleClient } from "puffle-chat";
import { createChatRoute, toNodeHandler } from "puffle-chat/server";
import { createEmulator, type Emulator, type ListeningEmulator } from "puffle-chat/testing";
import { build, type Rollup } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

/** A running example. */
export interface ExampleServer {
  url: string;
  /** The embedded emulator (absent when talking to Puffle). */
  emulator: Emulator | undefined;
  /** The session the page chats on. */
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
    client = new PuffleClient(); // PUFFLE_API_KEY (and PUFFLE_BASE_URL) from the environment
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
  // The leads examples are written for (your app would take them from the campaign): the
  // campaign's own prospects, which finishSession's resolve matches the examples to by name.
  const leads = [
    {
      first_name: "Ada",
      last_name: "Lovelace",
      company: "Analytical Engines",
      position: "VP of Sales",
    },
    {
      first_name: "Grace",
      last_name: "Hopper",
      company: "Cobol Systems",
      position: "Head of Revenue",
    },
    { first_name: "Alan", last_name: "Turing", company: "Enigma Labs", position: "Sales Director" },
  ];
  // The node's type tells the page whether &&instruction&& blocks are expected (ai) or not.
  const { sequence_nodes } = await client.getCampaign(campaignId);
  const nodeType = sequence_nodes.find((n) => n.id === nodeId)?.type ?? "";

  // The app's own sign-in, reduced to one demo user: the page's first load sets this cookie.
  const userToken = randomBytes(16).toString("hex");
  const chatRoute = createChatRoute({
    client,
    authorize: (request, { sessionId }) => {
      if (cookie(request.headers.get("cookie"), "demo_user") !== userToken)
        return { status: 401, message: "You are signed out: reload the page to sign in again." };
      return sessionId === session.id;
    },
    // After a Stop, the task may still run: the next Send waits for it instead of failing.
    onBusy: "wait",
    availableVarNames: ["first_name", "last_name", "company", "position"],
    leads: () => leads,
  });
  const api = toNodeHandler(chatRoute);

  const signedIn = (req: { headers: { cookie?: string | undefined } }) =>
    cookie(req.headers.cookie ?? null, "demo_user") === userToken;
  const page = servePage(await buildPage(), session.id, userToken, {
    "%PUFFLE_NODE_TYPE%": nodeType,
    "%PUFFLE_LEADS%": leads.map((l) => `${l.first_name} ${l.last_name} (${l.company})`).join("|"),
  });
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/api/chat") return api(req, res);
    // createChatRoute has no finish action: this example adds its own small endpoint.
    if (path === "/api/finish" && req.method === "POST") {
      if (!signedIn(req))
        return sendJson(res, 401, { error: { message: "You are signed out: reload the page." } });
      return void finish(client, session.id).then(({ status, body }) =>
        sendJson(res, status, body),
      );
    }
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

/**
 * Serve the built page: its assets, and index.html for any other path with the session id (and
 * the `fill` placeholders, HTML-escaped) put in and, on a first visit, the demo user's sign-in
 * cookie set.
 */
export function servePage(
  assets: Map<string, { type: string; body: string | Uint8Array }>,
  sessionId: string,
  userToken: string,
  fill: Record<string, string> = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const asset = assets.get(path);
    if (asset && path !== "/index.html") {
      res.writeHead(200, { "content-type": asset.type, "cache-control": "no-store" });
      res.end(asset.body);
      return;
    }
    let html = String(assets.get("/index.html")?.body ?? "").replace(
      "%PUFFLE_SESSION_ID%",
      sessionId,
    );
    for (const [placeholder, value] of Object.entries(fill)) {
      html = html.replace(placeholder, escapeHtml(value));
    }
    const headers: Record<string, string> = { "content-type": "text/html; charset=utf-8" };
    if (cookie(req.headers.cookie ?? null, "demo_user") !== userToken)
      headers["set-cookie"] = `demo_user=${userToken}; Path=/; HttpOnly; SameSite=Strict`;
    res.writeHead(200, headers);
    res.end(html);
  };
}

/**
 * finishSession for the page's session: 200 with how many messages are ready, 409 with the
 * refusal's own message (what to do next), 500 with a generic line (details stay in the log).
 */
async function finish(
  client: PuffleClient,
  sessionId: string,
): Promise<{ status: number; body: unknown }> {
  try {
    const result = await client.finishSession(sessionId);
    return { status: 200, body: { copied: result.copied, messages: result.nodeMessages.length } };
  } catch (error) {
    if (error instanceof FinishSessionError)
      return { status: 409, body: { error: { code: error.reason, message: error.message } } };
    console.error("[example] finish failed:", error instanceof Error ? error.name : "error");
    return { status: 500, body: { error: { message: "Finishing failed; try again." } } };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function escapeHtml(text: string): string {
  return text.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Build the page in `root` (default: this folder) with Vite into memory: path → content. */
export async function buildPage(
  root = here,
): Promise<Map<string, { type: string; body: string | Uint8Array }>> {
  const output = (await build({
    root,
    configFile: false,
    logLevel: "silent",
    plugins: [react()],
    build: { write: false, outDir: "dist", emptyOutDir: false },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const files = new Map<string, { type: string; body: string | Uint8Array }>();
  for (const out of Array.isArray(output) ? output : [output]) {
    for (const item of out.output) {
      const body = item.type === "chunk" ? item.code : item.source;
      files.set(`/${item.fileName}`, { type: contentType(item.fileName), body });
    }
  }
  return files;
}

function contentType(file: string): string {
  if (file.endsWith(".js")) return "text/javascript; charset=utf-8";
  if (file.endsWith(".css")) return "text/css; charset=utf-8";
  if (file.endsWith(".html")) return "text/html; charset=utf-8";
  return "application/octet-stream";
}

/** The value of cookie `name` in a `cookie` header. */
export function cookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
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

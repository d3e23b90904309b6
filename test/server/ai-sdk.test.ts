/**
 * protocol "ai-sdk": the stock `Chat` + `DefaultChatTransport` of each AI SDK line (`ai` 5 with
 * `@ai-sdk/react` 2, `ai` 6 with 3, `ai` 7 with 4) drive the route, its fetch wired to the handler
 * (no socket), against the emulator over real HTTP. The client's own schema checks every chunk;
 * on top, every chunk is held to `ai` 5.0.0's chunk types and fields (the strict patches refuse an
 * unknown top-level field, and the installed 5.x patch is not one of them).
 */

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { PuffleClient } from "../../src/index";
import { createChatRoute } from "../../src/server/index";
import type { ListeningEmulator } from "../../src/testing/index";
import { type ChatLike, LINES } from "./ai-sdk-lines";
import { emulatedPuffle } from "./helpers";

/** `ai` 5.0.0's chunk types and the top-level fields each may carry. */
const FIELDS_5_0_0: Record<string, readonly string[]> = {
  start: ["type", "messageId", "messageMetadata"],
  "start-step": ["type"],
  "finish-step": ["type"],
  // (5.0.0 also allows providerMetadata on text chunks; the route never sends it.)
  "text-start": ["type", "id"],
  "text-delta": ["type", "id", "delta"],
  "text-end": ["type", "id"],
  error: ["type", "errorText"],
  finish: ["type", "messageMetadata"],
  data: ["type", "id", "data", "transient"],
};

/** Every chunk of every answer, checked against {@link FIELDS_5_0_0} as it is read. */
const chunks: Record<string, unknown>[] = [];
const reading: Promise<void>[] = [];
/** Every answer read to its end (the recorder reads its copy beside the client). */
const recorded = () => Promise.all(reading);
async function recordChunks(response: Response): Promise<Response> {
  if (!response.headers.get("content-type")?.startsWith("text/event-stream")) return response;
  const [mine, theirs] = (response.body as ReadableStream<Uint8Array>).tee();
  reading.push(
    (async () => {
      const text = await new Response(mine).text();
      for (const event of text.split("\n\n").filter(Boolean)) {
        expect(event.startsWith("data: ")).toBe(true);
        const payload = event.slice(6);
        if (payload === "[DONE]") continue;
        chunks.push(JSON.parse(payload));
      }
    })(),
  );
  return new Response(theirs, { status: response.status, headers: response.headers });
}

function checkStrict(chunk: Record<string, unknown>): void {
  const type = String(chunk.type);
  const fields = FIELDS_5_0_0[type.startsWith("data-") ? "data" : type];
  expect(fields, `chunk type ${type} exists in ai 5.0.0`).toBeDefined();
  for (const key of Object.keys(chunk)) expect(fields, `${type}.${key}`).toContain(key);
}

type Part = { type: string; text?: string; id?: string; data?: Record<string, unknown> };

describe.each(LINES)("stock Chat + DefaultChatTransport of $line", ({ chat: chatOf }) => {
  let server: ListeningEmulator;
  let client: PuffleClient;
  let sessionId: string;
  let handler: (request: Request) => Promise<Response>;
  const errors: unknown[] = [];

  beforeAll(async () => {
    ({ server, client, sessionId } = await emulatedPuffle({
      taskDurationMs: 400,
      liveHoldMs: 200,
    }));
    handler = createChatRoute({
      client,
      authorize: () => true,
      protocol: "ai-sdk",
      onError: (error) => errors.push(error),
    });
  });
  afterAll(async () => {
    await recorded();
    await server?.close();
    for (const chunk of chunks) checkStrict(chunk);
    expect(JSON.stringify(chunks)).not.toContain(server.apiKey.slice(24));
    // The route follows the run itself: no run token ever reaches the browser on this protocol.
    expect(JSON.stringify(chunks)).not.toMatch(/tr_pat_/);
  });
  afterEach(() => server.emulator.faults.clear());

  const newChat = () =>
    chatOf(sessionId, async (url, init) => recordChunks(await handler(new Request(url, init))));

  const assistantParts = (chat: ChatLike): Part[] => {
    const last = chat.messages.at(-1);
    expect(last?.role).toBe("assistant");
    return (last?.parts ?? []) as Part[];
  };
  const textOf = (parts: Part[]) =>
    parts
      .filter((p) => p.type === "text")
      .map((p) => p.text)
      .join("");
  const dataOf = (parts: Part[], type: string) => {
    const found = parts.filter((p) => p.type === type);
    expect(found, `one ${type} part (same id: updated in place)`).toHaveLength(1);
    return found[0]?.data as Record<string, unknown>;
  };

  it("streams a turn: the text is the session's reply, data parts hold the run and the draft", async () => {
    const chat = newChat();
    await chat.sendMessage({ text: "We sell a SOC 2 compliance tool to CTOs." });
    expect(chat.error).toBeUndefined();
    expect(chat.status).toBe("ready");
    let session = await client.getSession(sessionId);
    let parts = assistantParts(chat);
    expect(textOf(parts)).toBe(session.messages?.at(-1)?.content);
    expect(dataOf(parts, "data-run")).toMatchObject({ sessionId, status: "idle", kind: "turn" });

    await chat.sendMessage({ text: "Mention the audit deadline, and keep it short." });
    expect(chat.status).toBe("ready");
    session = await client.getSession(sessionId);
    parts = assistantParts(chat);
    expect(textOf(parts)).toBe(session.messages?.at(-1)?.content);
    const run = dataOf(parts, "data-run");
    expect(run).toMatchObject({ status: "idle", onStop: "continues", via: "realtime" });
    expect(String(run.runId)).toMatch(/^run_/);
    const metadata = chat.messages.at(-1)?.metadata as Record<string, unknown>;
    expect(metadata).toMatchObject({ sessionId, runId: run.runId, status: "idle" });
    const draft = dataOf(parts, "data-draft");
    expect(session.draft_body).toBeTruthy();
    expect(draft).toMatchObject({ subject: session.draft_subject, body: session.draft_body });
    expect(draft.lint).toMatchObject({ ok: expect.any(Boolean), issues: expect.any(Array) });
    expect(server.emulator.ledger.turns(sessionId)).toBe(2);
    await recorded();
    // The run part went queued → running → idle, in place (one part, three or more updates).
    const statuses = chunks
      .filter((c) => c.type === "data-run" && (c.data as { runId: unknown }).runId === run.runId)
      .map((c) => (c.data as { status: string }).status);
    expect(statuses[0]).toBe("queued");
    expect(statuses).toContain("running");
    expect(statuses.at(-1)).toBe("idle");
  });

  it("runs examples (body { action: 'examples' }): the data part holds the session's examples", async () => {
    const chat = newChat();
    const leads = [
      { first_name: "Ada", company: "Initech" },
      { first_name: "Grace", company: "Hooli" },
    ];
    await chat.sendMessage({ text: "Write examples" }, { body: { action: "examples", leads } });
    expect(chat.error).toBeUndefined();
    const session = await client.getSession(sessionId);
    const parts = assistantParts(chat);
    expect(textOf(parts)).toBe("");
    const examples = dataOf(parts, "data-examples").examples as unknown[];
    expect(examples).toHaveLength(2);
    expect(examples).toEqual(session.generated_examples);
    expect(dataOf(parts, "data-run")).toMatchObject({ kind: "examples", status: "idle" });
    expect(server.emulator.ledger.exampleRuns(sessionId)).toBe(1);
  });

  it("a failed run ends in an error part with a redacted message", async () => {
    server.emulator.faults.inject({ operation: "turn", kind: "runFails" });
    const chat = newChat();
    await chat.sendMessage({ text: "One more pass, please." });
    expect(chat.status).toBe("error");
    expect(chat.error?.message).toMatch(/failed on Puffle's side.*send the message again/);
    await recorded();
    const errorChunk = chunks.findLast((c) => c.type === "error");
    expect(errorChunk?.errorText).toBe(chat.error?.message);
    expect(dataOf(assistantParts(chat), "data-run")).toMatchObject({ status: "failed" });
  });

  it("a busy session is refused with 409 before anything is sent (onBusy: throw)", async () => {
    const turns = server.emulator.ledger.turns(sessionId);
    const first = newChat();
    const second = newChat();
    const sending = first.sendMessage({ text: "A first message" });
    await vi.waitFor(() => expect(server.emulator.ledger.turns(sessionId)).toBe(turns + 1), {
      timeout: 10_000,
    });
    await second.sendMessage({ text: "A second message at once" });
    await sending;
    expect(first.status).toBe("ready");
    expect(second.status).toBe("error");
    expect(JSON.parse(second.error?.message ?? "{}").error).toMatchObject({
      code: "session_busy",
      status: 409,
    });
    expect(server.emulator.ledger.turns(sessionId)).toBe(turns + 1);
  });
});

describe("protocol ai-sdk: refusals and node:http", () => {
  let server: ListeningEmulator;
  let client: PuffleClient;
  let sessionId: string;
  const decisions: string[] = [];

  beforeAll(async () => {
    ({ server, client, sessionId } = await emulatedPuffle({
      taskDurationMs: 1_500,
      liveHoldMs: 200,
    }));
  });
  afterAll(async () => {
    await server?.close();
  });

  const handler = () =>
    createChatRoute({
      client,
      protocol: "ai-sdk",
      authorize: (request, { action }) => {
        decisions.push(action);
        return request.headers.get("cookie") === "user=1" ? true : { status: 401 };
      },
    });
  const user = (text: string) => ({ id: "m1", role: "user", parts: [{ type: "text", text }] });
  const post = (body: unknown, cookie = "user=1") =>
    handler()(
      new Request("http://app.test/api/chat", {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify(body),
      }),
    );
  const issuesOf = async (response: Response) => {
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { issues: { path: string }[] } };
    return error.issues.map((i) => i.path);
  };

  it("refuses what is not a turn with a 400 listing every issue, before anything is sent", async () => {
    expect(
      await issuesOf(await post({ id: "nope", messages: [], trigger: "submit-message", x: 1 })),
    ).toEqual(["x", "id", "messages"]);
    const regenerate = await post({
      id: sessionId,
      messages: [user("hi")],
      trigger: "regenerate-message",
    });
    expect(JSON.stringify(await regenerate.json())).toMatch(/regenerate-message.*paid again/);
    expect(
      await issuesOf(
        await post({
          id: sessionId,
          trigger: "submit-message",
          messages: [{ role: "assistant", parts: [] }],
        }),
      ),
    ).toEqual(["messages[0]"]);
    expect(
      await issuesOf(
        await post({ id: sessionId, trigger: "submit-message", messages: [user("  ")] }),
      ),
    ).toEqual(["messages[0].parts"]);
    expect(server.emulator.ledger.turns(sessionId)).toBe(0);
    expect(decisions).toEqual([]); // never asked: the body was refused first
    // Without leads, and the route has no `leads` option: refused after authorize, as on JSON.
    expect(
      await issuesOf(
        await post({
          id: sessionId,
          trigger: "submit-message",
          messages: [user("x")],
          action: "examples",
        }),
      ),
    ).toEqual(["leads"]);
    expect(decisions.splice(0)).toEqual(["examples"]);
    expect(server.emulator.ledger.exampleRuns(sessionId)).toBe(0);
  });

  it("authorizes posts and resumes; a resume path with a bad id is a 400", async () => {
    const denied = await post(
      { id: sessionId, messages: [user("hi")], trigger: "submit-message" },
      "",
    );
    expect(denied.status).toBe(401);
    const resume = (id: string, cookie = "user=1") =>
      handler()(new Request(`http://app.test/api/chat/${id}/stream`, { headers: { cookie } }));
    expect((await resume(sessionId, "")).status).toBe(401);
    expect(decisions).toEqual(["turn", "read"]);
    expect(await issuesOf(await resume("not-a-uuid"))).toEqual(["(path) chat id"]);
    const idle = await resume(sessionId);
    expect(idle.status).toBe(204);
    expect(server.emulator.ledger.turns(sessionId)).toBe(0);
  });

  it("streams over node:http (toNodeHandler) as the run goes, with the protocol's headers", async () => {
    const http = await import("node:http");
    const { toNodeHandler } = await import("../../src/server/index");
    const app = http.createServer(toNodeHandler(handler()));
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = app.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: "user=1" },
        body: JSON.stringify({
          id: sessionId,
          messages: [user("hello")],
          trigger: "submit-message",
        }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/event-stream");
      expect(response.headers.get("x-vercel-ai-ui-message-stream")).toBe("v1");
      expect(response.headers.get("cache-control")).toBe("no-cache");
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = "";
      while (!text.includes('"text-delta"')) {
        const { done, value } = await reader.read();
        expect(done).toBe(false);
        text += decoder.decode(value, { stream: true });
      }
      // The first token arrived while the turn still runs: the body is not buffered.
      expect((await client.getSession(sessionId)).task_status).toBe("chat_processing");
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
      expect(text).toContain('"type":"finish"');
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });

  it("never imports ai: the server, root, realtime and react entries pull no ai or @ai-sdk/*", async () => {
    const { build } = await import("esbuild");
    for (const entry of [
      "src/server/index.ts",
      "src/index.ts",
      "src/realtime/index.ts",
      "src/react/index.ts",
    ]) {
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        platform: "node",
        format: "esm",
        write: false,
        metafile: true,
        logLevel: "silent",
        external: ["react", "@trigger.dev/*", "msw"],
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(
        inputs.some((p) => p.startsWith("src/")),
        entry,
      ).toBe(true);
      expect(
        inputs.filter((p) => /node_modules\/(ai|ai-v\d|@ai-sdk)\//.test(p)),
        entry,
      ).toEqual([]);
    }
  });
});

describe("protocol ai-sdk: keep-alive pings", () => {
  it.each(LINES)(
    "a silent stream gets SSE comments, which $line skips",
    async ({ chat: chatOf }) => {
      const { streamResponse } = await import("../../src/server/ai-sdk/protocol");
      let body = "";
      const handler = (request: Request) => {
        const response = streamResponse(
          async (sink) => {
            sink.write({ type: "start", messageMetadata: { sessionId: "s", runId: null } });
            await new Promise((resolve) => setTimeout(resolve, 200)); // silent: pings go out
            sink.write({ type: "text-start", id: "reply" });
            sink.write({ type: "text-delta", id: "reply", delta: "after the pings" });
            sink.write({ type: "text-end", id: "reply" });
            sink.write({ type: "finish" });
          },
          {},
          request.signal,
          20,
        );
        const [mine, theirs] = (response.body as ReadableStream<Uint8Array>).tee();
        void new Response(mine).text().then((t) => {
          body = t;
        });
        return Promise.resolve(new Response(theirs, response));
      };
      const chat = chatOf("3c90c3cc-0d44-4b50-8888-8dd25736052a", (url, init) =>
        handler(new Request(url, init)),
      );
      await chat.sendMessage({ text: "hello" });
      expect(chat.error).toBeUndefined();
      expect(chat.status).toBe("ready");
      expect(chat.messages.at(-1)?.parts).toContainEqual(
        expect.objectContaining({ type: "text", text: "after the pings" }),
      );
      await vi.waitFor(() => expect(body).toContain(": ping\n\n"));
      expect(body.endsWith("data: [DONE]\n\n")).toBe(true);
    },
  );
});

describe("protocol ai-sdk: a follow that fails after the dispatch", () => {
  it("says the turn was sent and goes on (never 'try again'), and tells onError", async () => {
    const { server, client, sessionId } = await emulatedPuffle({ taskDurationMs: 300 });
    try {
      const reported: unknown[] = [];
      const handler = createChatRoute({
        client,
        authorize: () => true,
        protocol: "ai-sdk",
        onError: (_error, context) => reported.push(context.action),
      });
      // Every session read fails: the dispatch (which reads nothing first) goes through, the
      // follow cannot read the session.
      server.emulator.faults.inject({ operation: "get", kind: "status", status: 503, times: 100 });
      const chat = LINES[2]?.chat(sessionId, (url, init) => handler(new Request(url, init)));
      await chat?.sendMessage({ text: "Hello" });
      expect(chat?.status).toBe("error");
      expect(chat?.error?.message).toMatch(
        /^The turn was sent and goes on at Puffle.*\(upstream_error\).*do not send it again/,
      );
      expect(chat?.error?.message).not.toMatch(/try again/);
      expect(server.emulator.ledger.turns(sessionId)).toBe(1);
      expect(reported).toEqual(["turn"]);
    } finally {
      server.emulator.faults.clear();
      await server.close();
    }
  });
});

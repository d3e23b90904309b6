/**
 * Issue 17, items 1 and 2: the dispatch rule over real HTTP, on Node 24 and the Node floor.
 *
 * Item 1: a turn sent to a closed port (nothing listens) is refused before anything leaves the
 * machine: after the quick resend, `APIConnectionError` with `dispatch: "not_sent"`, never a
 * `DispatchUnknownError` after a long reconcile.
 *
 * Item 2: a 500 that follows the dispatch (a proxy in front of the emulator forwards the POST,
 * lets the server act, then answers 500 with Puffle's JSON body or an HTML page) is verified by a
 * session read before anything is paid again: the turn runs, so it is reconciled (one dispatch in
 * the emulator's ledger), for the default `onBusy`, `onBusy: "wait"` and through `createChatRoute`.
 * Puffle's documented 500 (the claim released) is still sent again, once.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PuffleClient } from "../../src/client";
import type { Session } from "../../src/core/types";
import { APIConnectionError, DispatchUnknownError, isPuffleError } from "../../src/index";
import { createChatRoute } from "../../src/server/index";
import { createEmulator, type Emulator, type ListeningEmulator } from "../../src/testing/index";
import { forwardingProxy } from "./proxy";

let server: ListeningEmulator;
let emu: Emulator;

beforeAll(async () => {
  server = await createEmulator({ taskDurationMs: 300, liveHoldMs: 1_000 }).listen();
  emu = server.emulator;
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  emu.faults.clear();
  await emu.finishTasks();
});

function client(baseURL = server.url, options: Record<string, unknown> = {}) {
  return new PuffleClient({
    apiKey: server.apiKey,
    baseURL,
    triggerBaseURL: server.url,
    logLevel: "off",
    retryDelay: 50,
    ...options,
  });
}

/** A session made straight on the emulator (the setup is not under test). */
async function freshSession(): Promise<Session> {
  const nodeId = emu.addNode(emu.demo.campaignId, { type: "ai" });
  return client().createSession(
    { campaign_id: emu.demo.campaignId, node_id: nodeId },
    { timeout: 30_000 },
  );
}

const dispatched = (sessionId: string, message: string) =>
  emu.ledger.dispatches.filter((d) => d.sessionId === sessionId && d.message === message).length;

/** A free port with nothing listening on it: bound, read, closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

describe("item 1: a refused connection on a turn", () => {
  it('runTurn and chat to a closed port: APIConnectionError, dispatch "not_sent" (no reconcile)', async () => {
    const port = await closedPort();
    const puffle = client(`http://127.0.0.1:${port}`, { maxRetries: 1 });
    const id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
    for (const call of [
      () => puffle.runTurn(id, { message: "Hi" }),
      () => puffle.chat(id, { message: "Hi" }, { reconcileTimeout: 60_000 }),
      () => puffle.generateExamples(id, { leads: [{ first_name: "Ada" }] }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error).not.toBeInstanceOf(DispatchUnknownError);
      expect((error as APIConnectionError).dispatch).toBe("not_sent");
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
    }
  }, 60_000);
});

/** What the proxy answers instead of the server's answer, after the server acted. */
const PAGES = {
  json: {
    contentType: "application/json",
    body: JSON.stringify({ error: "Internal server error" }),
  },
  html: {
    contentType: "text/html",
    body: "<html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1><hr>nginx</body></html>",
  },
} as const;

/**
 * A proxy in front of the emulator: it forwards every request; the first `times` dispatch POSTs
 * (`/turn`, `/generate-examples`) are forwarded and acted on, and then answered 500 with `page`.
 */
function actsThen500(target: string, page: keyof typeof PAGES, times = 1) {
  let left = times;
  return forwardingProxy(target, {
    replace: (req) => {
      const dispatch = req.method === "POST" && /\/(turn|generate-examples)$/.test(req.url ?? "");
      if (!dispatch || left <= 0) return undefined;
      left -= 1;
      return { status: 500, ...PAGES[page] };
    },
  });
}

describe("item 2: a 500 that follows the dispatch", () => {
  for (const page of ["json", "html"] as const) {
    describe(`the proxy answers 500 (${page}) after the server acted`, () => {
      it("runTurn (default onBusy): reconciled, never labelled busy or not_sent; one dispatch", async () => {
        const proxy = await actsThen500(server.url, page);
        try {
          const puffle = client(proxy.url);
          const session = await freshSession();
          const run = await puffle.runTurn(session.id, { message: `turn-${page}` });
          expect(run).toEqual({ runId: null, publicAccessToken: null, reconciled: true });
          await puffle.waitForIdle(session.id, { run });
          expect(dispatched(session.id, `turn-${page}`)).toBe(1);
        } finally {
          await proxy.close();
        }
      });

      for (const onBusy of ["throw", "wait"] as const) {
        it(`chat (onBusy "${onBusy}"): the reply of the one dispatch`, async () => {
          const proxy = await actsThen500(server.url, page);
          try {
            const puffle = client(proxy.url);
            const session = await freshSession();
            const message = `chat-${onBusy}-${page}`;
            const turn = await puffle.chat(session.id, { message }, { onBusy });
            expect(turn.reply).toEqual(expect.any(String));
            expect(turn.run.reconciled).toBe(true);
            expect(dispatched(session.id, message)).toBe(1);
            // Nothing else arrives later either.
            await emu.finishTasks();
            expect(dispatched(session.id, message)).toBe(1);
          } finally {
            await proxy.close();
          }
        });
      }

      it("generateExamples: reconciled (the session was idle just before); one example run", async () => {
        const proxy = await actsThen500(server.url, page);
        try {
          const puffle = client(proxy.url);
          const session = await freshSession();
          await client().chat(session.id, { message: "Intro for VPs of Sales" });
          await client().chat(session.id, { message: "Time to ROI, short, mention SOC 2" });
          // This client saw the session idle just before sending (what proves an example run).
          expect((await puffle.getSession(session.id)).skeleton).not.toBeNull();
          const before = emu.ledger.exampleRuns(session.id);
          const run = await puffle.generateExamples(session.id, {
            leads: [{ first_name: "Ada", company: "Analytical" }],
          });
          expect(run.reconciled).toBe(true);
          await puffle.waitForIdle(session.id, { run });
          expect(emu.ledger.exampleRuns(session.id) - before).toBe(1);
        } finally {
          await proxy.close();
        }
      });
    });
  }

  it("through createChatRoute: the browser gets { run } (reconciled), not session_busy; one dispatch", async () => {
    const proxy = await actsThen500(server.url, "json");
    try {
      const session = await freshSession();
      for (const onBusy of ["throw", "wait"] as const) {
        const errors: unknown[] = [];
        const route = createChatRoute({
          client: client(proxy.url),
          authorize: () => true,
          onBusy,
          onError: (error) => errors.push(error),
        });
        const message = `route-${onBusy}`;
        const answer = await route(
          new Request("http://app.test/api/chat", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ action: "turn", sessionId: session.id, message }),
          }),
        );
        const body = (await answer.json()) as { run?: { reconciled?: boolean }; error?: unknown };
        expect({ status: answer.status, body, errors }).toMatchObject({
          status: 200,
          body: { run: { reconciled: true } },
          errors: [],
        });
        await client().waitForIdle(session.id);
        expect(dispatched(session.id, message)).toBe(1);
        // The next turn goes through the proxy's 500 again.
        await proxy.close();
        Object.assign(proxy, await actsThen500(server.url, "json"));
      }
    } finally {
      await proxy.close();
    }
  });

  it("Puffle's documented 500 (the claim released) is sent again once: a real run, one dispatch", async () => {
    const puffle = client();
    const session = await freshSession();
    emu.faults.inject({ operation: "turn", kind: "dispatch500" });
    const run = await puffle.runTurn(session.id, { message: "released" });
    expect(run.runId).toMatch(/^run_/);
    expect(emu.ledger.requests.turn).toBeGreaterThanOrEqual(2);
    expect(dispatched(session.id, "released")).toBe(1);
    await puffle.waitForIdle(session.id, { run });
  });

  it('documented 500 on every send: InternalServerError, dispatch "not_sent", nothing dispatched', async () => {
    const puffle = client(server.url, { maxRetries: 2 });
    const session = await freshSession();
    emu.faults.inject({ operation: "turn", kind: "dispatch500", times: 3 });
    const error = await puffle.runTurn(session.id, { message: "never" }).catch((e: unknown) => e);
    expect(isPuffleError(error) && error.name).toBe("InternalServerError");
    expect((error as { dispatch?: string }).dispatch).toBe("not_sent");
    expect(dispatched(session.id, "never")).toBe(0);
  });

  it("a 500 after acting on every send: still one dispatch, and the turn's reply", async () => {
    const proxy = await actsThen500(server.url, "html", 10);
    try {
      const puffle = client(proxy.url, { maxRetries: 3 });
      const session = await freshSession();
      const turn = await puffle.chat(session.id, { message: "every" }, { onBusy: "wait" });
      expect(turn.reply).toEqual(expect.any(String));
      expect(dispatched(session.id, "every")).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});

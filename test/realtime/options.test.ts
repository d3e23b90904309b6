/**
 * Issue 17, item 7: every public option of the browser entry (`subscribeToRun`,
 * `subscribeToChat`, `createChatController` / `new ChatController`, `usePuffleChat`) is checked
 * when the function is called. A wrong one throws a typed `RealtimeOptionsError` from the call
 * itself (inside the caller's try, never outside every promise), naming the option and what it
 * must be, and nothing is sent: a loopback server counts the requests that reach it, and a
 * counting global fetch counts those that would have gone elsewhere (the real Trigger.dev host).
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { usePuffleChat } from "../../src/react/index";
import {
  ChatController,
  type ChatControllerOptions,
  createChatController,
  isPuffleError,
  RealtimeOptionsError,
  type SubscribeToRunOptions,
  subscribeToChat,
  subscribeToRun,
} from "../../src/realtime/index";

let server: Server;
let url: string;
let hits = 0;
let globalCalls = 0;
const realFetch = globalThis.fetch;
const escaped: unknown[] = [];
const onEscape = (error: unknown) => escaped.push(error);

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.on("uncaughtException", onEscape);
  process.on("unhandledRejection", onEscape);
});
afterAll(async () => {
  process.off("uncaughtException", onEscape);
  process.off("unhandledRejection", onEscape);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  hits = 0;
  globalCalls = 0;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    globalCalls += 1;
    return realFetch(input, init);
  }) as typeof fetch;
});
afterEach(() => {
  globalThis.fetch = realFetch;
  expect(hits).toBe(0);
  expect(globalCalls).toBe(0);
  expect(escaped).toEqual([]);
});

const SESSION = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const run = (extra: Record<string, unknown>): SubscribeToRunOptions =>
  ({
    runId: "run_1",
    publicAccessToken: "tr_pat_0123456789abcdefghij",
    triggerBaseURL: url,
    ...extra,
  }) as SubscribeToRunOptions;

/** The error `fn` throws synchronously (it must throw). */
function thrown(fn: () => unknown): RealtimeOptionsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RealtimeOptionsError);
    expect(isPuffleError(error)).toBe(true);
    return error as RealtimeOptionsError;
  }
  throw new Error("expected a throw");
}

describe("subscribeToRun and subscribeToChat refuse wrong options at the call, before any request", () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      "maxRetries: Infinity",
      { maxRetries: Number.POSITIVE_INFINITY },
      /maxRetries must be a whole number from 0 to 100 \(got Infinity\)/,
    ],
    ["maxRetries: -1", { maxRetries: -1 }, /maxRetries must be a whole number/],
    [
      "stallTimeoutMs: Infinity",
      { stallTimeoutMs: Number.POSITIVE_INFINITY },
      /stallTimeoutMs must be a number of ms from 1 to 2147483647, or 0 to disable \(got Infinity\)/,
    ],
    [
      "stallTimeoutMs: NaN",
      { stallTimeoutMs: Number.NaN },
      /stallTimeoutMs must be .* \(got NaN\)/,
    ],
    [
      "a plain-http triggerBaseURL on another host",
      { triggerBaseURL: "http://trigger.example.com" },
      /triggerBaseURL must be an https URL \(plain http only for localhost\)/,
    ],
    [
      "a triggerBaseURL that is not a URL",
      { triggerBaseURL: "api.trigger.dev" },
      /triggerBaseURL must be an https URL/,
    ],
    ["signal: { aborted: true }", { signal: { aborted: true } }, /signal must be an AbortSignal/],
    ["a missing token", { publicAccessToken: undefined }, /publicAccessToken is required/],
    [
      "an unknown key",
      { stallTimeout: 5 },
      /stallTimeout is not an option \(known: .*stallTimeoutMs/,
    ],
  ];
  for (const [name, extra, message] of cases) {
    it(`subscribeToRun: ${name}`, () => {
      expect(thrown(() => subscribeToRun(run(extra))).message).toMatch(message);
    });
    it(`subscribeToChat: ${name}`, () => {
      expect(thrown(() => subscribeToChat(run(extra))).message).toMatch(message);
    });
  }

  it('subscribeToRun("run_x"): a string instead of the options, and nothing goes to the real Trigger.dev host', () => {
    const error = thrown(() => subscribeToRun("run_x" as unknown as SubscribeToRunOptions));
    expect(error.message).toMatch(/\(options\) must be an object with runId, publicAccessToken/);
    expect(error.where).toBe("subscribeToRun");
  });

  it("subscribeToChat checks its own options too (drainTimeoutMs, streamKey, runTransport)", () => {
    const error = thrown(() =>
      subscribeToChat({
        ...run({}),
        drainTimeoutMs: Number.NaN,
        streamKey: "",
        runTransport: 3 as never,
      }),
    );
    expect(error.issues.map((i) => i.option).sort()).toEqual([
      "drainTimeoutMs",
      "runTransport",
      "streamKey",
    ]);
  });

  it("lists every problem at once, and never prints the token", () => {
    const error = thrown(() =>
      subscribeToRun(
        run({
          maxRetries: Number.POSITIVE_INFINITY,
          triggerBaseURL: "http://trigger.example.com/?token=tr_pat_0123456789abcdefghij",
          signal: {},
        }),
      ),
    );
    expect(error.issues).toHaveLength(3);
    expect(JSON.stringify(error)).not.toContain("0123456789abcdefghij");
    expect(error.message).not.toContain("0123456789abcdefghij");
  });

  it("allows plain http to this machine, https anywhere, and 0 to disable the stall timer", async () => {
    for (const base of [url, "http://localhost:1", "http://[::1]:1", "https://api.trigger.dev"]) {
      expect(() =>
        subscribeToRun(run({ triggerBaseURL: base, stallTimeoutMs: 0, maxRetries: 0 })),
      ).not.toThrow();
    }
  });
});

describe("createChatController refuses wrong options at the call, before any request", () => {
  const base: ChatControllerOptions = { api: `${url}/api/chat`, sessionId: SESSION };
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      "pollIntervalMs: 0 (polled ~800 times a second)",
      { pollIntervalMs: 0 },
      /pollIntervalMs must be a number of ms from 500 to 2147483647 \(got 0\)/,
    ],
    ["pollIntervalMs: -1", { pollIntervalMs: -1 }, /pollIntervalMs must be .* \(got -1\)/],
    [
      "pollIntervalMs: NaN",
      { pollIntervalMs: Number.NaN },
      /pollIntervalMs must be .* \(got NaN\)/,
    ],
    ['pollIntervalMs: "abc"', { pollIntervalMs: "abc" }, /pollIntervalMs must be .* \(got "abc"\)/],
    [
      "followTimeoutMs: NaN",
      { followTimeoutMs: Number.NaN },
      /followTimeoutMs must be a number of ms from 1 to 2147483647 \(got NaN\)/,
    ],
    [
      "followTimeoutMs: Infinity",
      { followTimeoutMs: Number.POSITIVE_INFINITY },
      /followTimeoutMs must be .* \(got Infinity\)/,
    ],
    [
      "a plain-http api on another host",
      { api: "http://chat.example.com/api/chat" },
      /api must be an https URL \(plain http only for localhost\) or a path like \/api\/chat/,
    ],
    ["headers that are a string", { headers: "x" }, /headers must be an object/],
    [
      "an unknown key",
      { pollInterval: 2_000 },
      /pollInterval is not an option \(known: .*pollIntervalMs/,
    ],
  ];
  for (const [name, extra, message] of cases) {
    it(name, () => {
      const options = { ...base, ...extra } as ChatControllerOptions;
      expect(thrown(() => createChatController(options)).message).toMatch(message);
      expect(thrown(() => new ChatController(options)).where).toBe("createChatController");
    });
  }

  it("accepts a path, https, loopback http and the smallest poll interval", () => {
    for (const api of [
      "/api/chat",
      "api/chat",
      "//chat.example.com/api",
      "https://chat.example.com/api/chat",
      `${url}/api/chat`,
    ]) {
      expect(() =>
        createChatController({ api, sessionId: SESSION, pollIntervalMs: 500 }),
      ).not.toThrow();
    }
  });
});

function Page(props: { options: Record<string, unknown> }) {
  usePuffleChat({ api: "/api/chat", sessionId: SESSION, ...props.options });
  return null;
}

describe("usePuffleChat refuses wrong options during render (to the error boundary), before any request", () => {
  it("pollIntervalMs: 0, and its own load option", () => {
    expect(() => renderToString(createElement(Page, { options: { pollIntervalMs: 0 } }))).toThrow(
      /usePuffleChat: pollIntervalMs must be/,
    );
    expect(() => renderToString(createElement(Page, { options: { load: "yes" } }))).toThrow(
      /load must be true or false/,
    );
    expect(() => renderToString(createElement(Page, { options: { fetch: "x" } }))).toThrow(
      /fetch must be a function/,
    );
  });
});

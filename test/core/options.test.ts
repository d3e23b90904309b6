/**
 * Client options: the API key, environment fallbacks, the https rule, browser refusal, logging,
 * and VERSION.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isPuffleError, PuffleClient, VERSION } from "../../src/index";
import type { Logger } from "../../src/types/index";
import {
  API_KEY,
  BASE,
  documentedSession,
  http,
  json,
  makeClient,
  SESSION_ID,
  setupMswServer,
} from "./helpers";

const { server, requests } = setupMswServer();

const ENV = ["PUFFLE_API_KEY", "PUFFLE_BASE_URL", "PUFFLE_API_BASE_URL", "PUFFLE_LOG"];

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

/** Clear the Puffle variables the machine may have set. */
function cleanEnv() {
  for (const name of ENV) vi.stubEnv(name, "");
}

function constructError(options: ConstructorParameters<typeof PuffleClient>[0]): Error {
  try {
    new PuffleClient(options);
  } catch (error) {
    expect(isPuffleError(error)).toBe(true);
    return error as Error;
  }
  throw new Error("expected the constructor to throw");
}

const anySession = (host: string) =>
  http.get(`${host}/api/campaigns/ai-chat-sessions/:id`, () =>
    json({ session: documentedSession() }),
  );

describe("the API key", () => {
  it("missing: the error says to set PUFFLE_API_KEY", () => {
    cleanEnv();
    const error = constructError({});
    expect(error.message).toContain("PUFFLE_API_KEY");
    expect(error.message).toContain("apiKey");
  });

  it("blank: refused the same way", () => {
    cleanEnv();
    expect(constructError({ apiKey: "   " }).message).toContain("PUFFLE_API_KEY");
  });

  it("from PUFFLE_API_KEY when the option is absent", async () => {
    cleanEnv();
    vi.stubEnv("PUFFLE_API_KEY", API_KEY);
    server.use(anySession("https://app.puffle.ai"));
    await new PuffleClient().getSession(SESSION_ID);
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("the option wins over PUFFLE_API_KEY", async () => {
    cleanEnv();
    vi.stubEnv(
      "PUFFLE_API_KEY",
      "pk_live_fromenv000000000000000000000000000000000000000000000000000000",
    );
    server.use(anySession("https://app.puffle.ai"));
    await new PuffleClient({ apiKey: API_KEY }).getSession(SESSION_ID);
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("the Authorization header cannot be overridden by custom headers", async () => {
    server.use(anySession("https://app.puffle.ai"));
    await makeClient({ headers: { Authorization: "Bearer other", "x-team": "a" } }).getSession(
      SESSION_ID,
      { headers: { authorization: "Bearer other2", "x-call": "b" } },
    );
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(requests[0]?.headers["x-team"]).toBe("a");
    expect(requests[0]?.headers["x-call"]).toBe("b");
  });
});

describe("a locked environment (Deno without --allow-env, some edge runtimes)", () => {
  it("reading process.env never throws when every option is passed explicitly", async () => {
    const locked = new Proxy(
      {},
      {
        get() {
          throw new Error('NotCapable: Requires env access to "PUFFLE_API_KEY"');
        },
      },
    );
    vi.stubGlobal("process", { ...process, env: locked });
    const client = new PuffleClient({
      apiKey: API_KEY,
      baseURL: BASE,
      triggerBaseURL: BASE,
      logLevel: "off",
    });
    vi.unstubAllGlobals();
    server.use(anySession(BASE));
    await client.getSession(SESSION_ID);
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("without an apiKey there, says how to pass one (not the runtime's permission error)", () => {
    const locked = new Proxy(
      {},
      {
        get() {
          throw new Error("NotCapable");
        },
      },
    );
    vi.stubGlobal("process", { ...process, env: locked });
    expect(() => new PuffleClient({ baseURL: BASE })).toThrow(/pass \{ apiKey \}/);
  });
});

describe("the base URL", () => {
  it("defaults to https://app.puffle.ai", async () => {
    cleanEnv();
    server.use(anySession("https://app.puffle.ai"));
    const client = new PuffleClient({ apiKey: API_KEY });
    expect(client.baseURL).toBe("https://app.puffle.ai");
    await client.getSession(SESSION_ID);
    expect(requests[0]?.url.origin).toBe("https://app.puffle.ai");
  });

  it("from PUFFLE_BASE_URL, which wins over PUFFLE_API_BASE_URL", async () => {
    cleanEnv();
    vi.stubEnv("PUFFLE_BASE_URL", "https://primary.example.test");
    vi.stubEnv("PUFFLE_API_BASE_URL", "https://secondary.example.test");
    server.use(anySession("https://primary.example.test"));
    const client = new PuffleClient({ apiKey: API_KEY });
    expect(client.baseURL).toBe("https://primary.example.test");
    await client.getSession(SESSION_ID);
    expect(requests[0]?.url.origin).toBe("https://primary.example.test");
  });

  it("from PUFFLE_API_BASE_URL (the documented CLI's name) when PUFFLE_BASE_URL is unset", async () => {
    cleanEnv();
    vi.stubEnv("PUFFLE_API_BASE_URL", "https://secondary.example.test");
    server.use(anySession("https://secondary.example.test"));
    const client = new PuffleClient({ apiKey: API_KEY });
    await client.getSession(SESSION_ID);
    expect(requests[0]?.url.origin).toBe("https://secondary.example.test");
  });

  it("the option wins over the environment; a path prefix and a trailing slash are kept right", async () => {
    cleanEnv();
    vi.stubEnv("PUFFLE_BASE_URL", "https://primary.example.test");
    server.use(anySession("https://proxy.example.test/puffle"));
    const client = new PuffleClient({
      apiKey: API_KEY,
      baseURL: "https://proxy.example.test/puffle/",
    });
    await client.getSession(SESSION_ID);
    expect(requests[0]?.url.href).toBe(
      `https://proxy.example.test/puffle/api/campaigns/ai-chat-sessions/${SESSION_ID}`,
    );
  });

  it.each([
    ["http://app.puffle.ai"],
    ["http://example.com:8080"],
    ["http://127.example.com"],
    ["http://127.0.0.1.nip.io"],
    ["http://localhost.example.com"],
    ["ftp://app.puffle.ai"],
    ["app.puffle.ai"],
  ])("refuses %s", (baseURL) => {
    const error = constructError({ apiKey: API_KEY, baseURL });
    expect(error.message).toContain("baseURL");
  });

  it("refuses plain http from the environment too", () => {
    cleanEnv();
    vi.stubEnv("PUFFLE_BASE_URL", "http://app.puffle.ai");
    expect(constructError({ apiKey: API_KEY }).message).toMatch(/https/);
  });

  it.each([
    ["http://localhost:4010"],
    ["http://127.0.0.1:4010"],
    ["http://127.1.2.3"],
    ["http://[::1]:4010"],
  ])("allows loopback %s over http", (baseURL) => {
    expect(() => new PuffleClient({ apiKey: API_KEY, baseURL })).not.toThrow();
  });
});

describe("browsers", () => {
  /** Make globalThis look like a browser page (no Node process), then restore it. */
  function inBrowser<T>(run: () => T): T {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
    const realProcess = globalThis.process;
    Object.defineProperty(globalThis, "process", {
      value: { env: {} },
      configurable: true,
      writable: true,
    });
    try {
      return run();
    } finally {
      Object.defineProperty(globalThis, "process", {
        value: realProcess,
        configurable: true,
        writable: true,
      });
    }
  }

  it("refuses to run in a browser without dangerouslyAllowBrowser", () => {
    const error = inBrowser(() => {
      try {
        new PuffleClient({ apiKey: API_KEY });
        return undefined;
      } catch (e) {
        return e as Error;
      }
    });
    expect(error).toBeDefined();
    expect(isPuffleError(error)).toBe(true);
    expect(error?.message).toContain("dangerouslyAllowBrowser");
    expect(error?.message).not.toContain(API_KEY.slice(24));
  });

  it("runs in a browser with dangerouslyAllowBrowser: true", () => {
    const client = inBrowser(
      () => new PuffleClient({ apiKey: API_KEY, dangerouslyAllowBrowser: true }),
    );
    expect(client.baseURL).toBe("https://app.puffle.ai");
  });

  it("globals are restored after the simulation", () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe("undefined");
    expect(typeof process.versions.node).toBe("string");
  });
});

describe("logging", () => {
  function recording() {
    const lines: Array<[string, string]> = [];
    const logger: Logger = {
      error: (m) => lines.push(["error", m]),
      warn: (m) => lines.push(["warn", m]),
      info: (m) => lines.push(["info", m]),
      debug: (m) => lines.push(["debug", m]),
    };
    return { lines, logger };
  }

  it("PUFFLE_LOG=debug turns on request lines for an injected logger", async () => {
    cleanEnv();
    vi.stubEnv("PUFFLE_LOG", "debug");
    server.use(anySession("https://app.puffle.ai"));
    const { lines, logger } = recording();
    await new PuffleClient({ apiKey: API_KEY, logger }).getSession(SESSION_ID);
    expect(lines.filter(([level]) => level === "debug").length).toBeGreaterThanOrEqual(2);
    expect(lines.some(([, m]) => m.includes("GET /api/campaigns/ai-chat-sessions/"))).toBe(true);
  });

  it("the logLevel option wins over PUFFLE_LOG", async () => {
    cleanEnv();
    vi.stubEnv("PUFFLE_LOG", "debug");
    server.use(anySession("https://app.puffle.ai"));
    const { lines, logger } = recording();
    await new PuffleClient({ apiKey: API_KEY, logger, logLevel: "off" }).getSession(SESSION_ID);
    expect(lines).toEqual([]);
  });

  it("without PUFFLE_LOG a successful call logs nothing", async () => {
    cleanEnv();
    server.use(anySession("https://app.puffle.ai"));
    const { lines, logger } = recording();
    await new PuffleClient({ apiKey: API_KEY, logger }).getSession(SESSION_ID);
    expect(lines).toEqual([]);
  });

  it("a bad PUFFLE_LOG value is reported as a warning, not thrown", () => {
    cleanEnv();
    vi.stubEnv("PUFFLE_LOG", "verbose");
    const { lines, logger } = recording();
    new PuffleClient({ apiKey: API_KEY, logger });
    expect(lines.some(([level, m]) => level === "warn" && m.includes("PUFFLE_LOG=verbose"))).toBe(
      true,
    );
  });

  it("a bad logLevel option is refused", () => {
    expect(constructError({ apiKey: API_KEY, logLevel: "loud" as never }).message).toContain(
      "logLevel",
    );
  });
});

describe("numeric options", () => {
  it.each([
    [{ timeout: 0 }, "timeout"],
    [{ timeout: -5 }, "timeout"],
    [{ maxRetries: -1 }, "maxRetries"],
    [{ maxRetries: 2.5 }, "maxRetries"],
    [{ maxRetryAfter: Number.POSITIVE_INFINITY }, "maxRetryAfter"],
    [{ retryDelay: 0 }, "retryDelay"],
    [{ retryMaxDelay: -1 }, "retryMaxDelay"],
    [{ generateContentTimeout: Number.NaN }, "generateContentTimeout"],
  ])("%o is refused, naming the option", (options, name) => {
    expect(constructError({ apiKey: API_KEY, ...options }).message).toContain(name);
  });
});

describe("VERSION", () => {
  it("equals package.json's version and is sent in the user agent", async () => {
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    expect(VERSION).toBe(pkg.version);
    server.use(anySession("https://app.puffle.ai"));
    await makeClient().getSession(SESSION_ID);
    expect(requests[0]?.headers["user-agent"]).toContain(`puffle-chat/${pkg.version}`);
  });
});

describe("unknown client options", () => {
  it("are refused with a did-you-mean, before anything is sent", () => {
    expect(() => new PuffleClient({ apikey: "pk_test_x" } as never)).toThrow(
      /unknown option "apikey"; did you mean "apiKey"\?/,
    );
    expect(
      () => new PuffleClient({ apiKey: "pk_test_abcdefgh", baseUrl: "https://x.test" } as never),
    ).toThrow(/did you mean "baseURL"/);
    expect(
      () =>
        new PuffleClient({
          apiKey: "pk_test_abcdefgh",
          realtime: { transprt: "electric" },
        } as never),
    ).toThrow(/did you mean "transport"/);
    expect(() => new PuffleClient({ apiKey: "pk_test_abcdefgh", zzzzzzzzzz: 1 } as never)).toThrow(
      /unknown option "zzzzzzzzzz"\. Known options: apiKey/,
    );
  });
});

/**
 * Secrets never leak: a canary API key and a canary public token, echoed back by a hostile server
 * in error bodies, headers and malformed 2xx bodies, never appear in any error's message, cause
 * chain, JSON form, string form or inspection, nor in any line given to a debug logger.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import type { PuffleClient } from "../../src/index";
import type { Logger } from "../../src/types/index";
import {
  API_KEY,
  CAMPAIGN_ID,
  documentedSession,
  HttpResponse,
  http,
  json,
  KEY_SECRET_PART,
  makeClient,
  NODE_ID,
  PUBLIC_TOKEN,
  SESSION_ID,
  SESSIONS,
  setupMswServer,
} from "./helpers";

const { server, requests } = setupMswServer();

/** The parts that must never be seen: the key after its 24-character prefix, the token's body. */
const TOKEN_SECRET_PART = PUBLIC_TOKEN.slice("tr_pat_".length);
const FORBIDDEN = [KEY_SECRET_PART, TOKEN_SECRET_PART, API_KEY, PUBLIC_TOKEN];

function expectClean(text: string, where: string) {
  for (const secret of FORBIDDEN) {
    expect(text.includes(secret), `${where} leaks ${secret.slice(0, 12)}…`).toBe(false);
  }
  // Nor a telling piece of one (a truncation could cut a secret but keep most of it).
  expect(text.includes(KEY_SECRET_PART.slice(0, 16)), `${where} leaks part of the key`).toBe(false);
  expect(text.includes(TOKEN_SECRET_PART.slice(0, 16)), `${where} leaks part of the token`).toBe(
    false,
  );
}

/** Every view of an error a user (or a crash reporter) could take. */
function expectErrorClean(error: unknown) {
  expect(error).toBeInstanceOf(Error);
  const e = error as Error;
  expectClean(e.message, "message");
  expectClean(String(e), "String(error)");
  expectClean(JSON.stringify(e), "JSON.stringify(error)");
  expectClean(inspect(e, { depth: 10, showHidden: true }), "util.inspect(error)");
  expectClean(e.stack ?? "", "stack");
  let cause: unknown = e.cause;
  for (let depth = 0; cause !== undefined && depth < 10; depth++) {
    expectClean(inspect(cause, { depth: 10, showHidden: true }), `cause[${depth}]`);
    expectClean(String(cause), `String(cause[${depth}])`);
    expectClean(JSON.stringify(cause) ?? "", `JSON(cause[${depth}])`);
    if (cause instanceof Error) expectClean(cause.stack ?? "", `cause[${depth}].stack`);
    cause = (cause as { cause?: unknown } | null)?.cause;
  }
  for (const [key, value] of Object.entries(e)) {
    expectClean(inspect(value, { depth: 10 }), `error.${key}`);
  }
}

/** A logger that keeps every line and its fields. */
function recordingLogger() {
  const lines: string[] = [];
  const sink =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push(
        `${level} ${message} ${fields === undefined ? "" : inspect(fields, { depth: 10 })}`,
      );
    };
  const logger: Logger = {
    error: sink("error"),
    warn: sink("warn"),
    info: sink("info"),
    debug: sink("debug"),
  };
  return { logger, lines };
}

/** Echo what the server saw: the authorization header and the token, everywhere. */
function echo(request: Request) {
  const auth = request.headers.get("authorization") ?? "";
  return {
    auth,
    headers: {
      "x-echo-authorization": auth,
      "www-authenticate": `Bearer realm="puffle", error="invalid_token", token="${API_KEY}"`,
      "x-run-token": PUBLIC_TOKEN,
      "set-cookie": `session=${API_KEY}`,
      "x-request-id": `req_${PUBLIC_TOKEN}`,
    },
  };
}

interface Scenario {
  name: string;
  install: () => void;
  run: (client: PuffleClient) => Promise<unknown>;
}

const SCENARIOS: Scenario[] = [
  {
    name: "401 flat body echoing the Authorization header",
    install: () =>
      server.use(
        http.get(`${SESSIONS}/:id`, ({ request }) => {
          const { auth, headers } = echo(request);
          return json({ error: `Invalid key: ${auth}`, token: API_KEY }, { status: 401, headers });
        }),
      ),
    run: (c) => c.getSession(SESSION_ID),
  },
  {
    name: "400 nested body with the key in code and message, the token in details",
    install: () =>
      server.use(
        http.post(`${SESSIONS}/:id/generate-examples`, ({ request }) => {
          const { auth, headers } = echo(request);
          return json(
            {
              error: {
                code: `bad_key_${API_KEY}`,
                message: `You sent ${auth} and run token ${PUBLIC_TOKEN}`,
                details: { publicAccessToken: PUBLIC_TOKEN, seen: [auth, `x${API_KEY}x`] },
              },
            },
            { status: 400, headers },
          );
        }),
      ),
    run: (c) => c.generateExamples(SESSION_ID, { leads: [{ first_name: "Ada" }] }),
  },
  {
    name: "500 plain-text body (retried) echoing both",
    install: () =>
      server.use(
        http.get(SESSIONS, ({ request }) => {
          const { auth, headers } = echo(request);
          return new HttpResponse(`upstream said: ${auth} / ${PUBLIC_TOKEN} / key=${API_KEY}`, {
            status: 500,
            headers: { ...headers, "content-type": "text/plain" },
          });
        }),
      ),
    run: (c) => c.listSessions(CAMPAIGN_ID),
  },
  {
    name: "502 HTML page with the key in its title and body",
    install: () =>
      server.use(
        http.patch(`${SESSIONS}/:id`, ({ request }) => {
          const { auth, headers } = echo(request);
          return new HttpResponse(
            `<html><head><title>502 for ${API_KEY}</title></head><body>${auth} ${PUBLIC_TOKEN}</body></html>`,
            { status: 502, headers: { ...headers, "content-type": "text/html" } },
          );
        }),
      ),
    run: (c) => c.updateSession(SESSION_ID, { title: "t" }),
  },
  {
    name: "409 busy message naming the token",
    install: () =>
      server.use(
        http.post(`${SESSIONS}/:id/turn`, ({ request }) => {
          const { headers } = echo(request);
          return json(
            { error: `Session is busy (chat_processing) with run token ${PUBLIC_TOKEN}` },
            { status: 409, headers },
          );
        }),
      ),
    run: (c) => c.runTurn(SESSION_ID, { message: "hi" }),
  },
  {
    name: "429 with Retry-After (retried) echoing the key",
    install: () =>
      server.use(
        http.post(SESSIONS, ({ request }) => {
          const { auth, headers } = echo(request);
          return json(
            { error: `rate limited for ${auth}` },
            { status: 429, headers: { ...headers, "retry-after": "0" } },
          );
        }),
      ),
    run: (c) => c.createSession({ campaign_id: CAMPAIGN_ID, node_id: NODE_ID }),
  },
  {
    name: "malformed 2xx JSON body echoing both",
    install: () =>
      server.use(
        http.get(`${SESSIONS}/:id`, ({ request }) => {
          const { auth, headers } = echo(request);
          return json(
            { session: { id: auth, token: PUBLIC_TOKEN, note: `key ${API_KEY}` } },
            { headers },
          );
        }),
      ),
    run: (c) => c.getSession(SESSION_ID),
  },
  {
    name: "2xx body that is not JSON, echoing both",
    install: () =>
      server.use(
        http.post(`${SESSIONS}/:id/turn`, ({ request }) => {
          const { auth, headers } = echo(request);
          return new HttpResponse(`runId=run_1&publicAccessToken=${PUBLIC_TOKEN}&auth=${auth}`, {
            status: 200,
            headers: { ...headers, "content-type": "text/plain" },
          });
        }),

        // The unreadable answer makes the SDK read the session (idle: nothing dispatched).
        http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })),
      ),
    run: (c) => c.runTurn(SESSION_ID, { message: "hi" }),
  },
  {
    name: "a RunHandle with a wrong runId type, echoing the token",
    install: () =>
      server.use(
        http.post(`${SESSIONS}/:id/turn`, () =>
          json({ runId: 42, publicAccessToken: PUBLIC_TOKEN, echo: API_KEY }),
        ),

        // The unreadable answer makes the SDK read the session (idle: nothing dispatched).
        http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })),
      ),
    run: (c) => c.runTurn(SESSION_ID, { message: "hi" }),
  },
];

describe("secrets never leak", () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: not in the error, nor in debug logs`, async () => {
      scenario.install();
      const { logger, lines } = recordingLogger();
      const client = makeClient({ logLevel: "debug", logger, maxRetries: 1 });
      const error = await scenario.run(client).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, "the call must fail").toBeDefined();
      expect(requests.length).toBeGreaterThan(0);
      // The server really did see (and echo) the key.
      expect(requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
      expectErrorClean(error);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.some((l) => l.startsWith("debug"))).toBe(true);
      for (const line of lines) expectClean(line, `log line "${line.slice(0, 60)}"`);
    });
  }

  it("a connection error whose cause chain carries the key and the token", async () => {
    const { logger, lines } = recordingLogger();
    const client = makeClient({
      logLevel: "debug",
      logger,
      maxRetries: 1,
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const auth = new Headers(init?.headers ?? (input as Request).headers).get("authorization");
        const root = Object.assign(new Error(`connect ECONNREFUSED with ${auth}`), {
          code: "ECONNREFUSED",
          config: { headers: { authorization: auth }, token: PUBLIC_TOKEN },
        });
        throw new TypeError("fetch failed", {
          cause: Object.assign(new Error(`socket for ${PUBLIC_TOKEN}`, { cause: root }), {
            request: { headers: { authorization: auth } },
          }),
        });
      }) as typeof fetch,
    });
    const error = await client.getSession(SESSION_ID).catch((e: unknown) => e);
    expect((error as Error).name).toBe("APIConnectionError");
    // The cause chain is kept (useful), only cleaned.
    expect(inspect(error, { depth: 10 })).toContain("ECONNREFUSED");
    expectErrorClean(error);
    for (const line of lines) expectClean(line, "log line");
  });

  it("the token handed out by a successful turn is redacted when a later error echoes it", async () => {
    const token = `tr_pat_${"z".repeat(5)}${Date.now().toString(36)}unusualFormat`;
    server.use(
      http.post(`${SESSIONS}/:id/turn`, () => json({ runId: "run_1", publicAccessToken: token })),
      http.get(`${SESSIONS}/:id`, () => json({ error: `run ${token} failed` }, { status: 500 })),
    );
    const { logger, lines } = recordingLogger();
    const client = makeClient({ maxRetries: 0, logLevel: "debug", logger });
    const run = await client.runTurn(SESSION_ID, { message: "hi" });
    expect(run.publicAccessToken).toBe(token); // the caller gets it, of course
    const error = await client.getSession(SESSION_ID).catch((e: unknown) => e);
    expect(lines.length).toBeGreaterThan(2);
    for (const view of [
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      ...lines,
    ]) {
      expect(view).not.toContain(token);
    }
  });

  it("a key that does not look like pk_live_… is still redacted once configured", async () => {
    const oddKey = `sk-test-${"q".repeat(10)}${Date.now().toString(36)}`;
    server.use(
      http.get(`${SESSIONS}/:id`, ({ request }) =>
        json(
          { error: `bad key ${request.headers.get("authorization")?.slice(7)}` },
          { status: 401 },
        ),
      ),
    );
    const { logger, lines } = recordingLogger();
    const error = await makeClient({ apiKey: oddKey, logLevel: "debug", logger })
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    for (const view of [
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      ...lines,
    ]) {
      expect(view).not.toContain(oddKey);
    }
  });

  it("the client object itself does not expose the key when logged or serialised", () => {
    const client = makeClient();
    for (const view of [
      JSON.stringify(client),
      inspect(client, { depth: 10, showHidden: true }),
      String(client),
      JSON.stringify({ ...client }),
    ]) {
      expect(view).not.toContain(KEY_SECRET_PART);
    }
  });
});

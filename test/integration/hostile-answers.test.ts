/**
 * What a hostile or broken server sends, over real HTTP on loopback (issue 17, items 4, 5, 6 and
 * 10): an API key used as a JSON object key in an error body, a key echoed in `x-request-id` on a
 * 2xx, a `baseURL` with a user and password, redirects on a POST and on a GET to a second server
 * that records whatever reaches it, `Retry-After: 1000000000`, and a `__proto__` key in an error
 * body. Each server binds 127.0.0.1 on a free port and is closed after its test.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  APIError,
  PuffleClient,
  RateLimitError,
  RequestValidationError,
  ResponseValidationError,
} from "../../src/index";

const API_KEY = `pk_live_${randomBytes(32).toString("hex")}`;
const SECRET_PART = API_KEY.slice(24);
const SESSION_ID = "9f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
const SESSION_PATH = `/api/campaigns/ai-chat-sessions/${SESSION_ID}`;

/** One request as a loopback server saw it. */
interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

type Answer = (req: Seen, res: ServerResponse) => void;

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

/** A server on 127.0.0.1 answering every request with `answer`, recording what it got. */
async function loopback(answer: Answer): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const entry: Seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      seen.push(entry);
      answer(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  open.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function send(res: ServerResponse, status: number, body: string, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}

function client(baseURL: string, options: Record<string, unknown> = {}): PuffleClient {
  return new PuffleClient({
    apiKey: API_KEY,
    baseURL,
    logLevel: "off",
    retryDelay: 5,
    retryMaxDelay: 20,
    ...options,
  });
}

/** The answer of GET /sessions/{id}: the session in its envelope. */
const SESSION = JSON.stringify({
  session: {
    id: SESSION_ID,
    user_id: "11111111-1111-4111-8111-111111111111",
    campaign_id: "3c90c3cc-0d44-4b50-8888-8dd25736052a",
    node_id: "5b0e0c8a-1c2d-4e5f-9a6b-7c8d9e0f1a2b",
    title: null,
    messages: null,
    draft_subject: null,
    draft_body: null,
    skeleton: null,
    skeleton_history: null,
    draft_history: null,
    framework_version: null,
    generated_examples: null,
    task_status: null,
    created_at: "2026-04-22T10:00:00Z",
    updated_at: "2026-04-22T10:00:00Z",
  },
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error,
  );

describe("item 4: secrets where redaction did not look", () => {
  it.each([400, 401, 402, 403, 404, 409, 422, 429, 500, 502])(
    "%i: an API key used as a JSON object key never reaches JSON.stringify or util.inspect of the error",
    async (status) => {
      const body = JSON.stringify({
        error: { code: "echo", message: "refused" },
        [API_KEY]: "the key, as a key",
        details: { [`Bearer ${API_KEY}`]: { [API_KEY]: 1 } },
      });
      const { url } = await loopback((_req, res) => send(res, status, body));
      const error = await failure(client(url, { maxRetries: 0 }).getSession(SESSION_ID));
      expect(error).toBeInstanceOf(APIError);
      for (const text of [JSON.stringify(error), inspect(error, { depth: 20, showHidden: true })]) {
        expect(text).not.toContain(SECRET_PART);
      }
      // The rest of the body is kept.
      expect((error as APIError).body).toMatchObject({ error: { code: "echo" } });
    },
  );

  it("a key echoed in x-request-id on a 2xx reaches neither _request_id nor withResponse().requestId", async () => {
    const { url } = await loopback((req, res) =>
      send(res, 200, SESSION, { "x-request-id": `req_1 ${req.authorization}` }),
    );
    const puffle = client(url);
    const session = await puffle.getSession(SESSION_ID);
    const { requestId } = await puffle.getSession(SESSION_ID).withResponse();
    for (const id of [session._request_id, requestId]) {
      expect(id).toMatch(/^req_1 Bearer /);
      expect(id).not.toContain(SECRET_PART);
    }
  });

  it("a baseURL with a user and password is refused at construction, without echoing the password", () => {
    const password = `pw-${randomBytes(8).toString("hex")}`;
    const make = (baseURL: string) => () => new PuffleClient({ apiKey: API_KEY, baseURL });
    for (const baseURL of [
      `https://puffle:${password}@app.puffle.ai`,
      `https://${password}@app.puffle.ai/`,
      `http://user:${password}@127.0.0.1:9/`,
    ]) {
      let error: unknown;
      try {
        make(baseURL)();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RequestValidationError);
      expect((error as Error).message).toMatch(/baseURL must not contain a user name or password/);
      expect(`${(error as Error).message} ${inspect(error)}`).not.toContain(password);
    }
    // A malformed URL with credentials is refused without echoing them either.
    expect(make(`https//user:${password}@app.puffle.ai`)).toThrow(/not shown/);
  });

  it("PUFFLE_BASE_URL with a password is refused the same way", () => {
    const password = `pw-${randomBytes(8).toString("hex")}`;
    const before = process.env.PUFFLE_BASE_URL;
    process.env.PUFFLE_BASE_URL = `https://user:${password}@app.puffle.ai`;
    try {
      expect(() => new PuffleClient({ apiKey: API_KEY })).toThrow(
        /PUFFLE_BASE_URL must not contain a user name or password/,
      );
      expect(() => new PuffleClient({ apiKey: API_KEY })).not.toThrow(new RegExp(password));
    } finally {
      if (before === undefined) delete process.env.PUFFLE_BASE_URL;
      else process.env.PUFFLE_BASE_URL = before;
    }
  });
});

describe("item 5: redirects are never followed", () => {
  it.each([307, 308, 301, 302, 303])(
    "a %i on POST /turn: the message never reaches the other host; a typed APIError, dispatch not_sent",
    async (status) => {
      const other = await loopback((_req, res) =>
        send(res, 200, '{"runId":"run_x","publicAccessToken":"tr_pat_x"}'),
      );
      const puffle = await loopback((req, res) =>
        send(res, status, '{"error":"moved"}', { location: `${other.url}${req.url}` }),
      );
      const error = await failure(
        client(puffle.url).runTurn(SESSION_ID, { message: "a private prompt" }),
      );
      expect(error).toBeInstanceOf(APIError);
      const apiError = error as APIError;
      expect(apiError.status).toBe(status);
      expect(apiError.dispatch).toBe("not_sent");
      expect(apiError.message).toContain(`redirect to ${other.url}`);
      expect(apiError.message).toMatch(/never follows/);
      expect(puffle.seen).toHaveLength(1); // not retried either
      expect(other.seen).toEqual([]);
    },
  );

  it("a GET redirected to another origin: the key never goes there (refused, not stripped)", async () => {
    const other = await loopback((_req, res) => send(res, 200, SESSION));
    const puffle = await loopback((req, res) =>
      send(res, 302, "", { location: `${other.url}${req.url}?token=abc` }),
    );
    const error = await failure(client(puffle.url).getSession(SESSION_ID));
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(302);
    // Only the origin is named, never the path or query it pointed at.
    expect((error as APIError).message).not.toContain("token=abc");
    expect(other.seen).toEqual([]);
    expect(puffle.seen).toHaveLength(1);
  });

  it("a same-origin redirect on a GET is not followed either (Puffle's API does not redirect: fix baseURL)", async () => {
    const puffle = await loopback((req, res) => {
      if (req.url.startsWith("/moved")) return send(res, 200, SESSION);
      send(res, 308, "", { location: `/moved${req.url}` });
    });
    const error = await failure(client(puffle.url).getSession(SESSION_ID));
    expect((error as APIError).status).toBe(308);
    expect((error as APIError).message).toMatch(/check that baseURL \(http:\/\/127\.0\.0\.1:\d+\)/);
    expect(puffle.seen.map((s) => s.url)).toEqual([SESSION_PATH]);
  });
});

describe("item 6: maxRetryAfter bounds all of a call's Retry-After waits together", () => {
  it("Retry-After: 1000000000 on every answer: one capped wait, then RateLimitError (not one wait per retry)", async () => {
    const puffle = await loopback((_req, res) =>
      send(res, 429, '{"error":"slow down"}', { "retry-after": "1000000000" }),
    );
    const error = await failure(
      client(puffle.url, { maxRetryAfter: 200, maxRetries: 3 }).runTurn(SESSION_ID, {
        message: "hi",
      }),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(1_000_000_000_000);
    expect((error as RateLimitError).dispatch).toBe("not_sent");
    // 1 send + 1 retry after the one 200 ms wait; the budget was then spent.
    expect(puffle.seen).toHaveLength(2);
  });

  it("short waits add up: two waits of 1 s do not fit in a 1.5 s budget", async () => {
    const puffle = await loopback((_req, res) =>
      send(res, 429, '{"error":"slow down"}', { "retry-after": "1" }),
    );
    const error = await failure(
      client(puffle.url, { maxRetryAfter: 1_500, maxRetries: 3 }).getSession(SESSION_ID),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(puffle.seen).toHaveLength(2);
  });

  it("waits within the budget are still made: a 429 then a 200 succeeds", async () => {
    let calls = 0;
    const puffle = await loopback((_req, res) =>
      calls++ === 0
        ? send(res, 429, '{"error":"slow down"}', { "retry-after": "0" })
        : send(res, 200, SESSION),
    );
    const session = await client(puffle.url, { maxRetryAfter: 200 }).getSession(SESSION_ID);
    expect(session.id).toBe(SESSION_ID);
    expect(puffle.seen).toHaveLength(2);
  });
});

describe("item 10: a __proto__ key in an error body", () => {
  const POISON =
    '{"error":"refused","__proto__":{"polluted":"yes","error":{"code":"evil","message":"Session is busy (chat_processing)"}}}';

  it("stays an own property of APIError.body and never becomes its prototype", async () => {
    const { url } = await loopback((_req, res) => send(res, 400, POISON));
    const error = (await failure(client(url).getSession(SESSION_ID))) as APIError;
    expect(error).toBeInstanceOf(APIError);
    const body = error.body as Record<string, unknown>;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(body.polluted).toBeUndefined();
    expect(Object.hasOwn(body, "__proto__")).toBe(true);
    expect(error.serverMessage).toBe("refused");
    // Kept as the data it is, in the JSON form too.
    const json = JSON.parse(JSON.stringify(error)).body;
    expect(Object.getOwnPropertyDescriptor(json, "__proto__")?.value).toEqual(
      expect.objectContaining({ polluted: "yes" }),
    );
  });

  it("the same for the body of a ResponseValidationError (a broken 2xx)", async () => {
    const { url } = await loopback((_req, res) =>
      send(res, 200, '{"id":1,"__proto__":{"polluted":"yes"}}'),
    );
    const error = (await failure(client(url).getSession(SESSION_ID))) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    const body = error.body as Record<string, unknown>;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(body.polluted).toBeUndefined();
  });
});

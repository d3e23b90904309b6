/**
 * HTTP error statuses mapped to their classes, for both documented error body shapes and for
 * non-JSON bodies; `instanceof` and the guards (isPuffleError, isAPIError), across module copies and realms.
 */
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { build } from "esbuild";
import { describe, expect, it, vi } from "vitest";
import * as sdk from "../../src/index";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  type APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  DispatchUnknownError,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  PuffleError,
  RateLimitError,
  RequestValidationError,
  ResponseValidationError,
  SessionBusyError,
  SkeletonRequiredError,
  TaskFailedError,
  UnprocessableEntityError,
  WaitTimeoutError,
} from "../../src/index";
import {
  DOCUMENTED_RUN,
  documentedSession,
  HttpResponse,
  http,
  json,
  makeClient,
  SESSION_ID,
  SESSIONS,
  setupMswServer,
} from "./helpers";

const { server, requests } = setupMswServer();

/** Every error class of the client, by its name: `expectKinds` asks each one `instanceof`. */
function classes(module: typeof sdk): Record<string, abstract new (...args: never) => unknown> {
  return {
    PuffleError: module.PuffleError,
    APIError: module.APIError,
    BadRequestError: module.BadRequestError,
    SkeletonRequiredError: module.SkeletonRequiredError,
    AuthenticationError: module.AuthenticationError,
    InsufficientCreditsError: module.InsufficientCreditsError,
    PermissionDeniedError: module.PermissionDeniedError,
    NotFoundError: module.NotFoundError,
    ConflictError: module.ConflictError,
    SessionBusyError: module.SessionBusyError,
    UnprocessableEntityError: module.UnprocessableEntityError,
    RateLimitError: module.RateLimitError,
    InternalServerError: module.InternalServerError,
    APIConnectionError: module.APIConnectionError,
    APIConnectionTimeoutError: module.APIConnectionTimeoutError,
    APIUserAbortError: module.APIUserAbortError,
    RequestValidationError: module.RequestValidationError,
    ResponseValidationError: module.ResponseValidationError,
    WaitTimeoutError: module.WaitTimeoutError,
    TaskFailedError: module.TaskFailedError,
    DispatchUnknownError: module.DispatchUnknownError,
    FinishSessionError: module.FinishSessionError,
    GenerateMessagesUnknownError: module.GenerateMessagesUnknownError,
  };
}

/** Assert `error` is `instanceof` exactly the classes named in `truthy` (of `module`). */
function expectKinds(error: unknown, truthy: string[], module: typeof sdk = sdk) {
  const yes = Object.entries(classes(module))
    .filter(([, cls]) => error instanceof cls)
    .map(([name]) => name)
    .sort();
  expect(yes).toEqual([...truthy].sort());
  expect(module.isPuffleError(error)).toBe(truthy.includes("PuffleError"));
  expect(module.isAPIError(error)).toBe(truthy.includes("APIError"));
}

const BODY_SHAPES = {
  flat: (message: string, _code: string) => json({ error: message }),
  nested: (message: string, code: string) => json({ error: { code, message } }),
} as const;

interface Case {
  status: number;
  cls: new (...args: never[]) => unknown;
  lineage: string[];
  message: string;
}

const API = ["PuffleError", "APIError"];
const CASES: Case[] = [
  { status: 400, cls: BadRequestError, lineage: [...API, "BadRequestError"], message: "bad field" },
  {
    status: 401,
    cls: AuthenticationError,
    lineage: [...API, "AuthenticationError"],
    message: "Invalid API key",
  },
  {
    status: 402,
    cls: InsufficientCreditsError,
    lineage: [...API, "InsufficientCreditsError"],
    message: "Out of credits",
  },
  {
    status: 403,
    cls: PermissionDeniedError,
    lineage: [...API, "PermissionDeniedError"],
    message: "Forbidden",
  },
  { status: 404, cls: NotFoundError, lineage: [...API, "NotFoundError"], message: "Not found" },
  {
    status: 409,
    cls: ConflictError,
    lineage: [...API, "ConflictError"],
    message: "Conflict of some kind",
  },
  {
    status: 422,
    cls: UnprocessableEntityError,
    lineage: [...API, "UnprocessableEntityError"],
    message: "Cannot process",
  },
  { status: 429, cls: RateLimitError, lineage: [...API, "RateLimitError"], message: "Slow down" },
  {
    status: 500,
    cls: InternalServerError,
    lineage: [...API, "InternalServerError"],
    message: "Boom",
  },
  {
    status: 502,
    cls: InternalServerError,
    lineage: [...API, "InternalServerError"],
    message: "Bad gateway",
  },
];

describe("status → class, for both documented body shapes", () => {
  for (const shape of ["flat", "nested"] as const) {
    for (const c of CASES) {
      it(`${c.status} ${shape} → ${c.cls.name}`, async () => {
        server.use(
          http.get(`${SESSIONS}/:id`, () => {
            const response = BODY_SHAPES[shape](c.message, "some_code");
            return new HttpResponse(response.body, {
              status: c.status,
              headers: { "content-type": "application/json", "x-request-id": "req_err" },
            });
          }),
        );
        const error = await makeClient({ maxRetries: 0 })
          .getSession(SESSION_ID)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(c.cls);
        expect((error as Error).name).toBe(c.cls.name);
        expectKinds(error, c.lineage);
        const apiError = error as APIError;
        expect(apiError.status).toBe(c.status);
        expect(apiError.serverMessage).toBe(c.message);
        expect(apiError.code).toBe(shape === "nested" ? "some_code" : undefined);
        expect(apiError.requestId).toBe("req_err");
        expect(apiError.method).toBe("GET");
        expect(apiError.path).toBe(`/api/campaigns/ai-chat-sessions/${SESSION_ID}`);
        expect(apiError.body).toEqual(
          shape === "flat"
            ? { error: c.message }
            : { error: { code: "some_code", message: c.message } },
        );
        expect(apiError.message).toContain(String(c.status));
        expect(apiError.message).toContain(c.message);
        expect(requests).toHaveLength(1);
      });
    }
  }
});

describe("special cases of 400, 409 and 429", () => {
  const NO_FRAMEWORK = "Session has no framework yet. Chat first to create one.";

  for (const shape of ["flat", "nested"] as const) {
    it(`400 "${NO_FRAMEWORK}" (${shape}) → SkeletonRequiredError`, async () => {
      server.use(
        http.post(`${SESSIONS}/:id/generate-examples`, () => {
          const r = BODY_SHAPES[shape](NO_FRAMEWORK, "no_framework");
          return new HttpResponse(r.body, { status: 400, headers: r.headers });
        }),
      );
      const error = await makeClient()
        .generateExamples(SESSION_ID, { leads: [{ first_name: "Ada" }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SkeletonRequiredError);
      expect(error).toBeInstanceOf(BadRequestError);
      expectKinds(error, [...API, "BadRequestError", "SkeletonRequiredError"]);
      expect((error as APIError).serverMessage).toBe(NO_FRAMEWORK);
      expect(requests).toHaveLength(1);
    });

    for (const task of ["chat_processing", "generating_examples"]) {
      it(`409 "Session is busy (${task})" (${shape}) → SessionBusyError with taskStatus`, async () => {
        server.use(
          http.post(`${SESSIONS}/:id/turn`, () => {
            const r = BODY_SHAPES[shape](`Session is busy (${task})`, "session_busy");
            return new HttpResponse(r.body, { status: 409, headers: r.headers });
          }),
        );
        const error = await makeClient()
          .runTurn(SESSION_ID, { message: "hi" })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SessionBusyError);
        expect(error).toBeInstanceOf(ConflictError);
        expectKinds(error, [...API, "ConflictError", "SessionBusyError"]);
        expect((error as SessionBusyError).taskStatus).toBe(task);
        expect((error as Error).message).toContain(task);
        expect(requests).toHaveLength(1);
      });
    }
  }

  it("409 'Session is busy' without a task name → SessionBusyError with taskStatus undefined", async () => {
    server.use(
      http.post(`${SESSIONS}/:id/turn`, () => json({ error: "Session is busy" }, { status: 409 })),
    );
    const error = await makeClient()
      .runTurn(SESSION_ID, { message: "hi" })
      .catch((e: unknown) => e);
    expect(error instanceof sdk.SessionBusyError).toBe(true);
    expect((error as SessionBusyError).taskStatus).toBeUndefined();
  });

  it("400 with another message is a plain BadRequestError", async () => {
    server.use(
      http.post(`${SESSIONS}/:id/generate-examples`, () =>
        json({ error: "leads must be an array" }, { status: 400 }),
      ),
    );
    const error = await makeClient()
      .generateExamples(SESSION_ID, { leads: [{ first_name: "Ada" }] })
      .catch((e: unknown) => e);
    expectKinds(error, [...API, "BadRequestError"]);
  });

  it("429 carries retryAfterMs from Retry-After (seconds)", async () => {
    server.use(
      http.get(`${SESSIONS}/:id`, () =>
        json({ error: "Too many requests" }, { status: 429, headers: { "retry-after": "7" } }),
      ),
    );
    const error = await makeClient({ maxRetries: 0 })
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7_000);
    expect((error as Error).message).toMatch(/7 s/);
  });

  it("429 carries retryAfterMs from Retry-After (HTTP date)", async () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 120_000);
    server.use(
      http.get(`${SESSIONS}/:id`, () =>
        json({ error: "Too many" }, { status: 429, headers: { "retry-after": at.toUTCString() } }),
      ),
    );
    const error = await makeClient({ maxRetries: 0 })
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    const ms = (error as RateLimitError).retryAfterMs ?? -1;
    expect(ms).toBeGreaterThan(100_000);
    expect(ms).toBeLessThanOrEqual(121_000);
  });

  it("429 without Retry-After has retryAfterMs undefined", async () => {
    server.use(http.get(`${SESSIONS}/:id`, () => json({ error: "Too many" }, { status: 429 })));
    const error = await makeClient({ maxRetries: 0 })
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeUndefined();
  });

  it("an undocumented 4xx (418) is a plain APIError", async () => {
    server.use(http.get(`${SESSIONS}/:id`, () => json({ error: "teapot" }, { status: 418 })));
    const error = await makeClient()
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expectKinds(error, API);
    expect((error as APIError).status).toBe(418);
  });
});

describe("non-JSON error bodies", () => {
  const HTML_502 =
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>";

  it.each([
    [
      400,
      "plain text",
      "text/plain",
      "Missing field message",
      "Missing field message",
      BadRequestError,
    ],
    [404, "plain text", "text/plain", "Not Found", "Not Found", NotFoundError],
    [
      409,
      "plain text busy",
      "text/plain",
      "Session is busy (chat_processing)",
      "Session is busy (chat_processing)",
      SessionBusyError,
    ],
    [502, "HTML page", "text/html", HTML_502, "502 Bad Gateway", InternalServerError],
    [500, "empty body", undefined, "", undefined, InternalServerError],
    [401, "empty body", undefined, "", undefined, AuthenticationError],
  ] as const)("%i %s → %s", async (status, _what, type, body, serverMessage, cls) => {
    server.use(
      http.get(
        `${SESSIONS}/:id`,
        () =>
          new HttpResponse(body === "" ? null : body, {
            status,
            headers: type ? { "content-type": type } : {},
          }),
      ),
    );
    const error = await makeClient({ maxRetries: 0 })
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(cls);
    const apiError = error as APIError;
    expect(apiError.status).toBe(status);
    expect(apiError.serverMessage).toBe(serverMessage);
    expect(apiError.body).toBe(body);
    expect(apiError.message).not.toContain("<html");
    expect(apiError.message).toContain(String(status));
    if (cls === SessionBusyError) {
      expect((error as SessionBusyError).taskStatus).toBe("chat_processing");
    }
  });

  it("a JSON error body sent as text/plain is still parsed (both shapes)", async () => {
    server.use(
      http.get(
        `${SESSIONS}/:id`,
        () =>
          new HttpResponse(JSON.stringify({ error: { code: "gone", message: "It is gone" } }), {
            status: 404,
            headers: { "content-type": "text/plain" },
          }),
      ),
    );
    const error = await makeClient()
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as APIError).serverMessage).toBe("It is gone");
    expect((error as APIError).code).toBe("gone");
    expect((error as APIError).body).toEqual({ error: { code: "gone", message: "It is gone" } });
  });

  it("an HTML 502 that claims to be JSON is still a 502 (InternalServerError), not a connection error", async () => {
    server.use(
      http.get(
        `${SESSIONS}/:id`,
        () =>
          new HttpResponse(HTML_502, {
            status: 502,
            headers: { "content-type": "application/json" },
          }),
      ),
    );
    const error = await makeClient({ maxRetries: 0 })
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as APIError).status).toBe(502);
    expect((error as APIError).serverMessage).toBe("502 Bad Gateway");
  });

  it("an HTML 502 that claims to be JSON on /turn: fate unknown, so the session is read; idle → DispatchUnknownError caused by it", async () => {
    server.use(
      http.post(
        `${SESSIONS}/:id/turn`,
        () =>
          new HttpResponse(HTML_502, {
            status: 502,
            headers: { "content-type": "application/json" },
          }),
      ),
      http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })),
    );
    const error = await makeClient({ maxRetries: 0 })
      .runTurn(SESSION_ID, { message: "hi" }, { reconcileTimeout: 50 })
      .catch((e: unknown) => e);
    expect(error instanceof DispatchUnknownError).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(InternalServerError);
    expect(requests.map((r) => r.method).slice(0, 2)).toEqual(["POST", "GET"]);
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });
});

describe("response validation", () => {
  it("a 2xx body that breaks the structure → ResponseValidationError with issues and body", async () => {
    server.use(http.get(`${SESSIONS}/:id`, () => json({ session: { id: 42 } })));
    const error = await makeClient()
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expectKinds(error, ["PuffleError", "ResponseValidationError"]);
    const rve = error as ResponseValidationError;
    expect(rve.status).toBe(200);
    expect(rve.body).toEqual({ session: { id: 42 } });
    expect(rve.issues.map((i) => i.path.join("."))).toContain("session.id");
    expect(rve.issues.map((i) => i.path.join("."))).toContain("session.user_id");
  });

  it("a 2xx body that is not JSON → ResponseValidationError with the text (after reading the session)", async () => {
    server.use(
      http.post(
        `${SESSIONS}/:id/turn`,
        () =>
          new HttpResponse("<html>oops</html>", {
            status: 200,
            headers: { "content-type": "text/html" },
          }),
      ),
    );
    server.use(http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })));
    const error = await makeClient({ maxRetries: 0 })
      .runTurn(SESSION_ID, { message: "hi" }, { reconcileTimeout: 50 })
      .catch((e: unknown) => e);
    expect(error instanceof DispatchUnknownError).toBe(true);
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(ResponseValidationError);
    expect((cause as ResponseValidationError).body).toBe("<html>oops</html>");
    // An unreadable 2xx on /turn: the session was read before deciding (it was idle).
    expect(requests.map((r) => r.method).slice(0, 2)).toEqual(["POST", "GET"]);
  });

  it("a RunHandle without runId → ResponseValidationError", async () => {
    server.use(
      http.post(`${SESSIONS}/:id/turn`, () =>
        json({ publicAccessToken: DOCUMENTED_RUN.publicAccessToken }),
      ),
      http.get(`${SESSIONS}/:id`, () => json({ session: documentedSession() })),
    );
    const error = await makeClient({ maxRetries: 0 })
      .runTurn(SESSION_ID, { message: "hi" }, { reconcileTimeout: 50 })
      .catch((e: unknown) => e);
    expect(error instanceof DispatchUnknownError).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(ResponseValidationError);
  });
});

describe("instanceof and the guards", () => {
  it("are false for non-errors, plain errors and look-alikes", () => {
    const lookAlike = Object.assign(new Error("x"), { name: "NotFoundError", status: 404 });
    for (const value of [undefined, null, 0, "NotFoundError", {}, [], new Error("x"), lookAlike]) {
      expectKinds(value, []);
    }
  });

  it("are true for errors built directly, along their lineage", () => {
    const init = { status: 409, body: { error: "Session is busy (chat_processing)" } };
    expectKinds(new SessionBusyError(init, "chat_processing"), [
      ...API,
      "ConflictError",
      "SessionBusyError",
    ]);
    expectKinds(new APIConnectionTimeoutError("t"), [
      "PuffleError",
      "APIConnectionError",
      "APIConnectionTimeoutError",
    ]);
    expectKinds(new APIConnectionError("c"), ["PuffleError", "APIConnectionError"]);
    expectKinds(new APIUserAbortError(), ["PuffleError", "APIUserAbortError"]);
    expectKinds(new RequestValidationError("op", []), ["PuffleError", "RequestValidationError"]);
    expectKinds(new WaitTimeoutError(SESSION_ID, 1, undefined), [
      "PuffleError",
      "WaitTimeoutError",
    ]);
    expectKinds(
      new TaskFailedError({ sessionId: SESSION_ID, runId: "run_1", runStatus: "FAILED" }),
      ["PuffleError", "TaskFailedError"],
    );
    expectKinds(new PuffleError("p"), ["PuffleError"]);
  });

  it("work on an error from a second copy of the module (fresh module graph)", async () => {
    vi.resetModules();
    const copy = (await import("../../src/index")) as typeof sdk;
    expect(copy.NotFoundError).not.toBe(NotFoundError);
    const foreign = new copy.SessionBusyError({ status: 409 }, "chat_processing");
    expect(foreign).toBeInstanceOf(SessionBusyError);
    expectKinds(foreign, [...API, "ConflictError", "SessionBusyError"]);
    // And the other way round: the copy's classes recognise this copy's errors.
    const local = new NotFoundError({ status: 404 });
    expectKinds(local, [...API, "NotFoundError"], copy);
    expect(copy.isAPIError(local, 404)).toBe(true);
    expect(copy.isAPIError(local, 409)).toBe(false);
  });

  it("work on an error made in another realm (vm context with its own Error)", async () => {
    const bundle = await build({
      stdin: {
        contents: 'export * from "./src/core/api-errors"; export * from "./src/core/errors";',
        resolveDir: fileURLToPath(new URL("../..", import.meta.url)),
        loader: "ts",
      },
      bundle: true,
      write: false,
      format: "iife",
      globalName: "errors",
      platform: "neutral",
      logLevel: "silent",
    });
    const code = bundle.outputFiles[0]?.text ?? "";
    const context = vm.createContext({});
    vm.runInContext(code, context);
    const foreign = vm.runInContext(
      'new errors.RateLimitError({ status: 429, body: { error: "slow" } }, 5000)',
      context,
    ) as unknown;
    expect(foreign).not.toBeInstanceOf(Error); // another realm's Error
    expectKinds(foreign, [...API, "RateLimitError"]);
    expect((foreign as RateLimitError).retryAfterMs).toBe(5_000);
    // The other realm's classes recognise this realm's errors, and only by their own kind.
    const check = vm.runInContext(
      "(e) => [e instanceof errors.RateLimitError, e instanceof errors.APIError, e instanceof errors.NotFoundError]",
      context,
    ) as (e: unknown) => boolean[];
    expect(check(new RateLimitError({ status: 429 }, undefined))).toEqual([true, true, false]);
  });
});

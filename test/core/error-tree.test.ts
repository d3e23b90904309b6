/**
 * One error tree: every error class exported by any entry of the package is a PuffleError under
 * the one brand (so `isPuffleError` is true for all of them, across realms), and HTTP messages
 * are joined cleanly and say things once.
 */
import { describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/errors";
import * as main from "../../src/index";
import * as react from "../../src/react/index";
import * as realtime from "../../src/realtime/index";
import * as server from "../../src/server/index";
import { RouteError } from "../../src/server/route-error";
import * as testing from "../../src/testing/index";
import {
  API_KEY,
  BASE,
  HttpResponse,
  http,
  json,
  makeClient,
  SESSION_ID,
  SESSIONS,
  setupMswServer,
} from "./helpers";

const init = { status: 400, body: { error: "x" }, method: "GET", path: "/api/x" };
const run = { runId: "run_1" };

/** One instance of every error class, by class name. */
const instances: Record<string, () => unknown> = {
  PuffleError: () => new main.PuffleError("x"),
  APIError: () => new main.APIError({ ...init, status: 418 }),
  BadRequestError: () => new main.BadRequestError(init),
  SkeletonRequiredError: () => new main.SkeletonRequiredError(init),
  AuthenticationError: () => new main.AuthenticationError({ ...init, status: 401 }),
  InsufficientCreditsError: () => new main.InsufficientCreditsError({ ...init, status: 402 }),
  PermissionDeniedError: () => new main.PermissionDeniedError({ ...init, status: 403 }),
  NotFoundError: () => new main.NotFoundError({ ...init, status: 404 }),
  ConflictError: () => new main.ConflictError({ ...init, status: 409 }),
  SessionBusyError: () => new main.SessionBusyError({ ...init, status: 409 }, "chat_processing"),
  UnprocessableEntityError: () => new main.UnprocessableEntityError({ ...init, status: 422 }),
  RateLimitError: () => new main.RateLimitError({ ...init, status: 429 }, 1000),
  InternalServerError: () => new main.InternalServerError({ ...init, status: 503 }),
  APIConnectionError: () => new main.APIConnectionError("x"),
  APIConnectionTimeoutError: () => new main.APIConnectionTimeoutError("x"),
  APIUserAbortError: () => new main.APIUserAbortError(),
  RequestValidationError: () => new main.RequestValidationError("op", []),
  ResponseValidationError: () => new main.ResponseValidationError("op", 200, [], null),
  TaskFailedError: () =>
    new main.TaskFailedError({ sessionId: SESSION_ID, runId: "run_1", runStatus: "FAILED" }),
  WaitTimeoutError: () => new main.WaitTimeoutError(SESSION_ID, 10, undefined),
  DispatchUnknownError: () =>
    new main.DispatchUnknownError({
      operation: "runTurn",
      sessionId: SESSION_ID,
      session: undefined,
      evidence: "x",
      cause: undefined,
    }),
  GenerateMessagesUnknownError: () =>
    new main.GenerateMessagesUnknownError({ campaignId: "c", nodeId: "n", cause: new Error("x") }),
  FinishSessionError: () =>
    new main.FinishSessionError("x", { reason: "session-busy", steps: [], sessionId: SESSION_ID }),
  RealtimeError: () => new realtime.RealtimeError("protocol", "x", run),
  RealtimeUnauthorizedError: () => new realtime.RealtimeUnauthorizedError(run),
  RealtimeForbiddenError: () => new realtime.RealtimeForbiddenError(run),
  RealtimeNotFoundError: () => new realtime.RealtimeNotFoundError(run),
  RealtimeUnreachableError: () =>
    new realtime.RealtimeUnreachableError({ ...run, attempts: 1, last: "x" }),
  RealtimeStalledError: () => new realtime.RealtimeStalledError({ ...run, stallTimeoutMs: 5 }),
  RealtimeProtocolError: () => new realtime.RealtimeProtocolError({ ...run, detail: "x" }),
  ChatControllerError: () =>
    new realtime.ChatControllerError({ code: "network", message: "x", dispatched: false }),
  RealtimeMissingDependencyError: () =>
    new realtime.RealtimeMissingDependencyError({ ...run, packageName: "@trigger.dev/sdk" }),
  RealtimeOptionsError: () =>
    new realtime.RealtimeOptionsError("subscribeToRun", [
      { option: "runId", message: "is required" },
    ]),
};

function errorClasses(module: Record<string, unknown>): string[] {
  return Object.entries(module)
    .filter(
      ([, value]) =>
        typeof value === "function" &&
        (value as { prototype?: unknown }).prototype instanceof Error,
    )
    .map(([name]) => name);
}

describe("one error tree", () => {
  it("covers every error class every entry exports", () => {
    const exported = new Set([
      ...errorClasses(main),
      ...errorClasses(realtime),
      ...errorClasses(testing as Record<string, unknown>),
      ...errorClasses(server as Record<string, unknown>),
      ...errorClasses(react as Record<string, unknown>),
    ]);
    expect([...exported].sort()).toEqual(Object.keys(instances).sort());
  });

  it.each(Object.keys(instances))("%s is a PuffleError (guard and instanceof)", (name) => {
    const error = instances[name]?.();
    expect(main.isPuffleError(error)).toBe(true);
    expect(realtime.isPuffleError(error)).toBe(true);
    expect(error).toBeInstanceOf(main.PuffleError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe(name);
  });

  it("instanceof follows each class's own kind: its lineage and nothing else", () => {
    const classes = new Map<string, abstract new (...args: never) => unknown>();
    for (const module of [main, realtime] as Record<string, unknown>[]) {
      for (const name of errorClasses(module)) {
        classes.set(name, module[name] as abstract new (...args: never) => unknown);
      }
    }
    for (const [name, make] of Object.entries(instances)) {
      const error = make();
      for (const [other, cls] of classes) {
        // The brand must agree with the prototype chain exactly (a BadRequestError is not a
        // NotFoundError; a NotFoundError is an APIError).
        const byChain = Object.prototype.isPrototypeOf.call(cls.prototype, error as object);
        expect(error instanceof cls, `${name} instanceof ${other}`).toBe(byChain);
      }
    }
  });

  it("isAPIError(e, status) checks the status's class and the status", () => {
    const notFound = new main.NotFoundError({ ...init, status: 404 });
    const busy = new main.SessionBusyError({ ...init, status: 409 }, undefined);
    expect(main.isAPIError(notFound)).toBe(true);
    expect(main.isAPIError(notFound, 404)).toBe(true);
    expect(main.isAPIError(notFound, 400)).toBe(false);
    expect(main.isAPIError(busy, 409)).toBe(true);
    expect(main.isAPIError(new main.APIError({ ...init, status: 404 }), 404)).toBe(false);
    expect(main.isAPIError(new main.APIError({ ...init, status: 418 }), 418)).toBe(true);
    expect(main.isAPIError(new main.InternalServerError({ ...init, status: 503 }), 503)).toBe(true);
    expect(main.isAPIError(new main.InternalServerError({ ...init, status: 503 }), 500)).toBe(
      false,
    );
    expect(main.isAPIError(new main.APIConnectionError("x"))).toBe(false);
    expect(main.isAPIError(new Error("x"), 404)).toBe(false);
  });

  it("plain errors and objects are not instanceof PuffleError; a user's subclass is", () => {
    const lookAlike = Object.assign(new Error("x"), { name: "PuffleError" });
    for (const value of [new Error("x"), new TypeError("x"), {}, null, "PuffleError", lookAlike]) {
      expect(value instanceof main.PuffleError).toBe(false);
    }
    class AppError extends main.NotFoundError {}
    const mine = new AppError({ ...init, status: 404 });
    expect(mine).toBeInstanceOf(AppError);
    expect(mine).toBeInstanceOf(main.NotFoundError);
    expect(new main.NotFoundError({ ...init, status: 404 })).not.toBeInstanceOf(AppError);
    expect(mine.message).toContain("belongs to another account"); // the hint of its kind
  });

  it("the route's and the CLI's errors are PuffleErrors too", () => {
    const route = new RouteError(409, "session_busy", "busy", {}, {});
    expect(route).toBeInstanceOf(main.PuffleError);
    expect(route).toBeInstanceOf(RouteError);
    expect(route.name).toBe("RouteError");
    expect(route).not.toBeInstanceOf(main.APIError);
    const cli = new CliError("PUFFLE_NODE_ID is missing");
    expect(cli).toBeInstanceOf(main.PuffleError);
    expect(cli.name).toBe("CliError");
    expect(cli).not.toBeInstanceOf(RouteError);
  });

  it("the two entries share one PuffleError and one guard", () => {
    expect(realtime.PuffleError).toBe(main.PuffleError);
    expect(
      realtime.isRealtimeError(new realtime.RealtimeStalledError({ ...run, stallTimeoutMs: 1 })),
    ).toBe(true);
    expect(realtime.isRealtimeError(new main.NotFoundError({ ...init, status: 404 }))).toBe(false);
  });

  it("the 401/403/404 realtime errors carry their literal status", () => {
    expect(new realtime.RealtimeUnauthorizedError(run).status).toBe(401);
    expect(new realtime.RealtimeForbiddenError(run).status).toBe(403);
    expect(new realtime.RealtimeNotFoundError(run).status).toBe(404);
  });
});

describe("messages", () => {
  const { server } = setupMswServer();

  it("join the server's sentence and the SDK's hint with one period", async () => {
    server.use(
      http.get(`${SESSIONS}/:id`, () =>
        json({ error: "Missing or revoked API key." }, { status: 401 }),
      ),
    );
    const error = await makeClient()
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect(error instanceof main.AuthenticationError).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain("Missing or revoked API key. Check PUFFLE_API_KEY");
    expect(message).not.toContain("..");
  });

  it("say the busy state once", async () => {
    server.use(
      http.post(`${SESSIONS}/:id/turn`, () =>
        json({ error: "Session is busy (chat_processing)" }, { status: 409 }),
      ),
    );
    const error = await makeClient()
      .runTurn(SESSION_ID, { message: "hi" })
      .catch((e: unknown) => e);
    expect(error instanceof main.SessionBusyError).toBe(true);
    const message = (error as Error).message;
    expect(message.match(/is busy/gi)).toHaveLength(1);
    expect(message.match(/chat_processing/g)).toHaveLength(1);
    expect(message).toContain('onBusy: "wait"');
  });

  it("a 404 that is not Puffle's answer points at baseURL, not at an id", async () => {
    server.use(
      http.get(
        SESSIONS,
        () => new HttpResponse("<html><title>Not Found</title></html>", { status: 404 }),
      ),
    );
    const error = await makeClient()
      .listSessions(SESSION_ID)
      .catch((e: unknown) => e);
    expect(error instanceof main.NotFoundError).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(`baseURL (${BASE})`);
    expect(message).not.toContain("Check the id");
  });

  it("a Puffle 404 says the id may not exist or not be yours", async () => {
    server.use(http.get(`${SESSIONS}/:id`, () => json({ error: "Not found" }, { status: 404 })));
    const error = await makeClient()
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain("belongs to another account");
    expect((error as Error).message).not.toContain("baseURL");
  });

  it("a connection error names the host it tried, never the key", async () => {
    server.use(http.get(`${SESSIONS}/:id`, () => HttpResponse.error()));
    const error = await makeClient({ maxRetries: 0 })
      .getSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect(error instanceof main.APIConnectionError).toBe(true);
    expect((error as Error).message).toContain("no answer from https://app.puffle.ai");
    expect(JSON.stringify(error)).not.toContain(API_KEY.slice(24));
  });
});

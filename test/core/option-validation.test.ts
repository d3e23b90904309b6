/**
 * Issue 9, case 7: every option is validated like every argument, before anything is sent:
 * method options, wait options and client options. Unknown keys are refused with a did-you-mean;
 * wrong types and values give one RequestValidationError listing each problem; a bad fetch or
 * logger is refused at construction; `new PuffleClient(null)` is a clear error.
 */
import { describe, expect, it } from "vitest";
import { PuffleClient, RequestValidationError } from "../../src/index";
import { API_KEY, BASE, makeClient, SESSION_ID, setupMswServer } from "./helpers";

const { requests } = setupMswServer();

async function refused(promise: Promise<unknown> | (() => unknown)) {
  let error: unknown;
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (e) {
    error = e;
  }
  expect(error instanceof RequestValidationError, String(error)).toBe(true);
  expect(requests).toHaveLength(0);
  return error as RequestValidationError;
}

const puffle = () => makeClient();
const TURN = { message: "hi" };

describe("method options", () => {
  it("null options are refused (not a TypeError) by chat, waitForIdle, runTurn, getSession", async () => {
    await refused(puffle().chat(SESSION_ID, TURN, null as never));
    await refused(puffle().waitForIdle(SESSION_ID, null as never));
    await refused(puffle().runTurn(SESSION_ID, TURN, null as never));
    await refused(puffle().getSession(SESSION_ID, null as never));
    await refused(puffle().waitForIdleDetailed(SESSION_ID, [] as never));
  });

  it("signal: a string is a RequestValidationError naming options.signal", async () => {
    const error = await refused(puffle().getSession(SESSION_ID, { signal: "x" as never }));
    expect(error.issues[0]?.path).toEqual(["options", "signal"]);
    await refused(puffle().chat(SESSION_ID, TURN, { signal: "x" as never }));
  });

  it("unknown keys get a did-you-mean", async () => {
    const error = await refused(puffle().runTurn(SESSION_ID, TURN, { onbusy: "wait" } as never));
    expect(error.message).toMatch(/did you mean "onBusy"/);
    const chat = await refused(puffle().chat(SESSION_ID, TURN, { requestTimeout: 5 } as never));
    expect(chat.message).toMatch(/unknown option "requestTimeout"/);
    await refused(puffle().waitForIdle(SESSION_ID, { runn: {} } as never));
  });

  it("every problem is listed at once", async () => {
    const error = await refused(
      puffle().chat(SESSION_ID, TURN, {
        timeout: -1,
        headers: { "bad header": "x", ok: 1 } as never,
        poll: { initialDelayMs: 0, jiter: 1 } as never,
        onEvent: "log" as never,
        onBusy: "later" as never,
      }),
    );
    const paths = error.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(
      expect.arrayContaining([
        "options.timeout",
        "options.headers.bad header",
        "options.headers.ok",
        "options.poll.initialDelayMs",
        "options.poll.jiter",
        "options.onEvent",
        "options.onBusy",
      ]),
    );
  });

  it("a bad run handle, mode and deadline are refused by waitForIdle", async () => {
    const error = await refused(
      puffle().waitForIdle(SESSION_ID, {
        run: { runId: 5 } as never,
        mode: "fast" as never,
        deadline: Number.NaN,
      }),
    );
    expect(error.issues).toHaveLength(3);
  });
});

describe("client options", () => {
  it("new PuffleClient(null) and non-objects are clear errors", async () => {
    await refused(() => new PuffleClient(null as never));
    await refused(() => new PuffleClient("pk_test_x" as never));
  });

  it("a bad fetch or logger is refused at construction", async () => {
    await refused(() => new PuffleClient({ apiKey: API_KEY, fetch: "fetch" as never }));
    const logger = await refused(() => new PuffleClient({ apiKey: API_KEY, logger: {} as never }));
    expect(logger.message).toMatch(/error, warn, info and debug/);
  });

  it('headers: "x-a: b", api_key and a negative timeout are refused', async () => {
    await refused(() => new PuffleClient({ apiKey: API_KEY, headers: "x-a: b" as never }));
    const key = await refused(() => new PuffleClient({ api_key: API_KEY } as never));
    expect(key.message).toMatch(/did you mean "apiKey"/);
    await refused(
      () => new PuffleClient({ apiKey: API_KEY, baseURL: BASE, timeout: -1, maxRetries: 1.5 }),
    );
  });
});

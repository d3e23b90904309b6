/**
 * The options specs (src/internal/check-options.ts): composition, one error type for every
 * refusal, and finishSession's options, each checked before anything is sent.
 */
import { describe, expect, it } from "vitest";
import type { FinishSessionOptions } from "../../src/core/options";
import { isPuffleError, RequestValidationError } from "../../src/index";
import {
  CHAT_OPTIONS,
  checkOptions,
  DISPATCH_OPTIONS,
  FINISH_SESSION_OPTIONS,
  REQUEST_OPTIONS,
  type Spec,
  WAIT_OPTIONS,
} from "../../src/internal/check-options";
import { makeClient, SESSION_ID, setupMswServer } from "./helpers";

const { requests } = setupMswServer();

function refusal<T>(spec: Spec<T>, value: unknown): RequestValidationError {
  try {
    checkOptions("op", "options", value, spec);
  } catch (error) {
    expect(error instanceof RequestValidationError, String(error)).toBe(true);
    return error as RequestValidationError;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

const keys = (spec: Spec<unknown>) => Object.keys(spec.keys).sort();

describe("composed specs", () => {
  it("dispatch options are the request options and the dispatch's own", () => {
    expect(keys(DISPATCH_OPTIONS)).toEqual(
      [
        ...keys(REQUEST_OPTIONS),
        "onBusy",
        "busyTimeout",
        "poll",
        "onUnknown",
        "reconcileTimeout",
      ].sort(),
    );
  });

  it("chat options are the wait options but run, and the dispatch options", () => {
    const expected = new Set([...keys(WAIT_OPTIONS), ...keys(DISPATCH_OPTIONS)]);
    expected.delete("run");
    expect(keys(CHAT_OPTIONS)).toEqual([...expected].sort());
  });

  it("deadlineAt is accepted where internal calls pass it, never suggested", () => {
    expect(() => checkOptions("op", "options", { deadlineAt: 1 }, DISPATCH_OPTIONS)).not.toThrow();
    const error = refusal(REQUEST_OPTIONS, { deadlinAt: 1 });
    expect(error.message).toContain('did you mean "deadline"');
    expect(error.message).not.toContain("deadlineAt,");
  });

  it("the value constraints the old re-checks enforced", () => {
    const error = refusal(CHAT_OPTIONS, {
      deadline: 0,
      busyTimeout: -1,
      reconcileTimeout: Number.POSITIVE_INFINITY,
      maxRetries: 101,
      onBusy: "later",
      onUnknown: "retry",
      timeout: 2_147_483_648,
    });
    expect(error.issues.map((i) => i.path.join(".")).sort()).toEqual(
      [
        "options.busyTimeout",
        "options.deadline",
        "options.maxRetries",
        "options.onBusy",
        "options.onUnknown",
        "options.reconcileTimeout",
        "options.timeout",
      ].sort(),
    );
  });
});

/** A bad value for every option of FinishSessionOptions (the compiler asks for a new one's). */
const BAD_FINISH: Record<keyof FinishSessionOptions, unknown> = {
  signal: "abort",
  timeout: -1,
  deadline: 0,
  maxRetries: 1.5,
  headers: { "bad header": "x" },
  via: "patch",
  lint: "strict",
  resolve: "yes",
};

describe("FINISH_SESSION_OPTIONS", () => {
  it("has a bad value in this test for every option it checks", () => {
    expect(keys(FINISH_SESSION_OPTIONS)).toEqual(Object.keys(BAD_FINISH).sort());
  });

  it.each(Object.entries(BAD_FINISH))("refuses a bad %s", (key, value) => {
    const error = refusal(FINISH_SESSION_OPTIONS, { [key]: value });
    expect(error.issues[0]?.path.slice(0, 2)).toEqual(["options", key]);
  });

  it("lists every problem at once, with the words finishSession's own check used", () => {
    const error = refusal(FINISH_SESSION_OPTIONS, BAD_FINISH);
    expect(error.issues).toHaveLength(Object.keys(BAD_FINISH).length);
    expect(error.message).toMatch(
      /via must be .*lint must be lint options .*resolve must be a boolean/,
    );
  });

  it("checks the lint options themselves, and lets false and {} through", () => {
    const error = refusal(FINISH_SESSION_OPTIONS, {
      lint: { instructions: "loud", availableVarNames: "first_name", requireSubjct: false },
    });
    expect(error.issues.map((i) => i.path.join("."))).toEqual([
      "options.lint.instructions",
      "options.lint.availableVarNames",
      "options.lint.requireSubjct",
    ]);
    expect(error.message).toContain('did you mean "requireSubject"');
    for (const lint of [false, {}, { instructions: "off", enDash: false }]) {
      expect(() => checkOptions("op", "options", { lint }, FINISH_SESSION_OPTIONS)).not.toThrow();
    }
  });

  it("a null or non-object options argument is refused", () => {
    refusal(FINISH_SESSION_OPTIONS, null);
    refusal(FINISH_SESSION_OPTIONS, "updateCampaign");
  });

  it.each(Object.entries(BAD_FINISH))(
    "puffle.finishSession refuses a bad %s before anything is sent",
    async (key, value) => {
      const error = await makeClient()
        .finishSession(SESSION_ID, { [key]: value } as never)
        .catch((e: unknown) => e);
      expect(isPuffleError(error), String(error)).toBe(true);
      expect(String((error as Error).message)).toContain(key);
      expect(requests).toHaveLength(0);
    },
  );
});
